import Router from '@koa/router';
import type { Database } from '../db/connection';

/** `GET /health` — liveness plus which database is in use (API.md). */
export function healthRoutes(db: Database): Router {
  const router = new Router();
  router.get('/health', (ctx) => {
    const available = db.connection !== null && db.connection.readyState === 1;
    ctx.body = {
      status: available ? 'ok' : 'degraded',
      db: available ? { mode: db.mode, available } : { mode: db.mode, available, message: db.problem ?? '数据库连接已断开' },
    };
  });
  return router;
}
