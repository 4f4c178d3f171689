/**
 * The sample nginx.conf in docs/production.md is a working configuration: `nginx -t` accepts it
 * (paths moved to a temporary directory; the TLS certificate lines dropped, as there is no
 * certificate here).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findNginx, repo } from './cluster';

describe('finding nginx', () => {
  it('should say how to install nginx when there is none', () => {
    expect(() => findNginx({}, ['/nonexistent/nginx'])).toThrow(/apt-get install -y nginx/);
    expect(() => findNginx({ NGINX_PATH: '/nonexistent/nginx' })).toThrow(/NGINX_PATH/);
  });
});

describe('docs/production.md nginx.conf', () => {
  it('should pass nginx -t', () => {
    const nginx = findNginx();
    const doc = fs.readFileSync(path.join(repo, 'docs/production.md'), 'utf8');
    const block = /```nginx\n([\s\S]*?)```/.exec(doc);
    expect(block, 'an ```nginx block in docs/production.md').not.toBeNull();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lianban-nginx-t-'));
    try {
      const conf = block![1]!
        .replace('/run/nginx.pid', `${dir}/nginx.pid`)
        .replaceAll('/var/log/nginx/', `${dir}/`)
        .replace(/^\s*ssl_(certificate|certificate_key|protocols) .*$/gm, '')
        .replace('listen 443 ssl http2;', 'listen 443;')
        .replace('http {', `http {\n  client_body_temp_path ${dir}/cb; proxy_temp_path ${dir}/p; fastcgi_temp_path ${dir}/f; uwsgi_temp_path ${dir}/u; scgi_temp_path ${dir}/s;`);
      fs.writeFileSync(path.join(dir, 'nginx.conf'), conf);
      let refused = '';
      try {
        execFileSync(nginx, ['-t', '-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log')], { stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (err) {
        refused = String((err as { stderr?: Buffer }).stderr ?? (err as Error).message);
      }
      expect(refused, 'nginx -t on the sample configuration').toBe('');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
