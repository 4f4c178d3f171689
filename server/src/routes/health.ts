/** `GET /health` — liveness plus which database is in use (API.md) — and `GET /openapi.json`: answered even without a database. */
import type { Database } from '../db/connection';
import type { Route } from '../http/route-table';

export interface PublicDeps {
  db: Database;
  /** The OpenAPI document (built from the route table once). */
  document: unknown;
}

export const PUBLIC_ROUTES: Route<PublicDeps>[] = [
  {
    method: 'get', path: '/health', summary: '健康检查与数据库模式', who: 'anyone', answer: 'Health',
    handler: (ctx, { db }) => {
      const available = db.connection !== null && db.connection.readyState === 1;
      ctx.body = {
        status: available ? 'ok' : 'degraded',
        db: available ? { mode: db.mode, available } : { mode: db.mode, available, message: db.problem ?? '数据库连接已断开' },
      };
    },
  },
  {
    method: 'get', path: '/openapi.json', summary: '本文档', who: 'anyone',
    handler: (ctx, { document }) => { ctx.body = document; },
  },
];
