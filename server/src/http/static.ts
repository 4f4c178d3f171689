/**
 * Serves the built web apps: the portal (applicants and staff) at `/`, the designer at
 * `/designer/`. Client-side routes fall back to the app's index.html. When the apps have not
 * been built yet, a Chinese page says how to build them instead of a bare 404.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from 'koa';
import serve from 'koa-static';
import mount from 'koa-mount';
import compose from 'koa-compose';

const NOT_BUILT = `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>联办</title>
<body style="font:16px/1.6 sans-serif;padding:2rem"><h1>前端页面尚未构建</h1>
<p>请运行 <code>npm start</code>（会先构建前端再启动服务）。API 在 <a href="/api/v1/health">/api/v1/health</a>。</p></body></html>`;

export function webApps(webRoot: string) {
  const apps = [
    { prefix: '/designer', dir: path.join(webRoot, 'designer') },
    { prefix: '', dir: path.join(webRoot, 'portal') },
  ];
  return compose(apps.map(({ prefix, dir }) => {
    const files = serve(dir, { index: 'index.html', maxage: 0, gzip: false, setHeaders: cacheHeaders });
    // Each app answers its own paths alone: nothing after it should see a designer path.
    const fallback = async (ctx: Context) => {
      await files(ctx, async () => {});
      if (ctx.body !== undefined || ctx.status !== 404 || ctx.method !== 'GET') return;
      if (ctx.path.startsWith('/api/') || path.extname(ctx.path)) return;
      const index = path.join(dir, 'index.html');
      ctx.type = 'html';
      ctx.body = fs.existsSync(index) ? fs.createReadStream(index) : NOT_BUILT;
    };
    return prefix ? mount(prefix, fallback) : fallback;
  }));
}

/** Vite's hashed assets never change: browsers may keep them a year. index.html is always revalidated. */
function cacheHeaders(res: { setHeader(name: string, value: string): void }, file: string): void {
  res.setHeader('Cache-Control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
}
