/**
 * Graceful shutdown (rolling restarts behind a load balancer, docs/production.md): `close()`
 * stops accepting connections, lets a request in progress finish and answers it with
 * `Connection: close`, then closes the database.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configFromEnv, startServer } from '@lianban/server';

describe('graceful shutdown', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lianban-drain-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('should finish a request in progress and refuse new connections while closing', async () => {
    const server = await startServer({ ...configFromEnv({}), port: 0, host: '127.0.0.1', dataDir, webRoot: '/nonexistent', demo: false });
    // a request whose body is still arriving when the server is told to stop
    const answer = new Promise<{ status: number; connection?: string; body: string }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: server.port, method: 'POST', path: '/api/v1/auth/login', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
        let body = '';
        res.on('data', (b) => (body += b));
        res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection, body }));
      });
      req.on('error', reject);
      req.write('{"username":"nobody",');
      setTimeout(() => req.end('"password":"wrong-password"}'), 300);
    });
    await new Promise((r) => setTimeout(r, 100));
    const closing = server.close(5000);
    await new Promise((r) => setTimeout(r, 50));
    // no new connections
    await expect(fetch(`${server.url.replace('localhost', '127.0.0.1')}/api/v1/health`)).rejects.toThrow();
    // the request in progress got its answer, with the connection closed after it
    const res = await answer;
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body).error.code).toBe('bad-credentials');
    expect(res.connection).toBe('close');
    await closing;
  }, 60_000);
});
