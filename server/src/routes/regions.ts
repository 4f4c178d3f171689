/** `GET /regions/:code/children` — 街道 of a county, 社区 of a street (public data, cached by browsers). */
import Router from '@koa/router';
import { ApiError } from '../http/errors';
import { regionChildren } from '../services/regions';

export function regionRoutes(): Router {
  const router = new Router();
  router.get('/regions/:code/children', async (ctx) => {
    const children = await regionChildren(ctx.params.code!);
    if (children === null) throw new ApiError(404, 'not-found', '区划代码须为 6 位（县级）或 9 位（乡镇级）');
    ctx.set('Cache-Control', 'public, max-age=86400');
    ctx.body = children;
  });
  return router;
}
