/**
 * The route table: each operation of `/api/v1` is declared once, as data — method, path,
 * summary, who may call, request-body schema, answer type, handler. `routerFor` registers a
 * table on a koa router, checking who may call before the handler runs; `openapi.ts` prints the
 * same table into the OpenAPI document. A route cannot be registered without knowing who may
 * call it.
 *
 *   export const THINGS: Route<RouteDeps>[] = [
 *     { method: 'get', path: '/things/:id', summary: '某物', who: 'signed-in', answer: 'Thing',
 *       handler: async (ctx, { models }) => { ctx.body = await things.get(models, requireUser(ctx), ctx.params.id!); } },
 *   ];
 */
import Router, { type RouterContext } from '@koa/router';
import { ACCESS, isWho, type Who } from '@lianban/runtime/contract';
import { requireAccess, type CallerState } from './session';
import { ApiError } from './errors';

export type Method = 'get' | 'post' | 'put';

/** What the document says of an operation (everything but its handler). */
export interface RouteInfo {
  method: Method;
  /** Koa path under `/api/v1`, e.g. `/cases/:id`. */
  path: string;
  /** Chinese, for the document. */
  summary: string;
  /** Who may call (`ACCESS` in `@lianban/runtime/contract`): enforced here, printed as `x-roles`. */
  who: Who;
  /** Name of the request-body schema the handler validates with (`bodyValidator`'s name). */
  body?: string;
  /** Name of the answer's type in `@lianban/runtime/contract`. */
  answer?: string;
  /** Status of a successful answer (default 200); set after the handler. */
  status?: 200 | 201;
  /** OpenAPI parameters besides the path's (headers, query). */
  parameters?: Record<string, unknown>[];
  /** Answered while the account must still change its password (the session itself: `/me`, logout, `POST /auth/password`). */
  beforePasswordChange?: true;
}

/** One operation: its description and its handler, which gets the dependencies `D`. */
export interface Route<D> extends RouteInfo {
  handler: (ctx: RouterContext, deps: D) => Promise<void> | void;
}

/** A router answering the routes of `table` with `deps`; throws for a route without a known `who`. */
export function routerFor<D>(table: readonly Route<D>[], deps: D): Router {
  const router = new Router();
  for (const route of table) {
    if (!isWho(route.who)) {
      throw new Error(`${route.method.toUpperCase()} ${route.path}: who may call is not declared (who: ${String(route.who)})`);
    }
    const access = ACCESS[route.who];
    router[route.method](route.path, async (ctx) => {
      ctx.state.route = route.path; // the template, for the metrics' labels
      requireAccess(ctx, access);
      // a one-time or reset password is changed before anything else (services/password-change.ts)
      if (route.who !== 'anyone' && !route.beforePasswordChange && (ctx.state as CallerState).user?.mustChangePassword) {
        throw new ApiError(403, 'password-change-required', '请先修改密码：首次登录或密码被重置后须设置自己的新密码');
      }
      await route.handler(ctx, deps);
      if (route.status) ctx.status = route.status;
    });
  }
  return router;
}

/** `/cases/:id` → `/cases/{id}`. */
export const openApiPath = (koaPath: string) => koaPath.replace(/:([A-Za-z]+)/g, '{$1}');
