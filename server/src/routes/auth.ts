/** `POST /auth/login`, `POST /auth/logout`, `GET /me` (API.md). */
import Router from '@koa/router';
import type { Models } from '../models';
import { login, logout } from '../services/auth';
import { bodyValidator } from '../http/validate';
import { clearSessionCookie, requireUser, setSessionCookie, type CallerState } from '../http/session';

const loginBody = bodyValidator<{ username: string; password: string }>({
  type: 'object',
  required: ['username', 'password'],
  properties: {
    username: { type: 'string', minLength: 1, maxLength: 100 },
    password: { type: 'string', minLength: 1, maxLength: 200 },
  },
}, 'Login');

export function authRoutes(models: Models): Router {
  const router = new Router();
  router.post('/auth/login', async (ctx) => {
    const { username, password } = loginBody(ctx);
    const { user, token } = await login(models, username, password, ctx.ip);
    setSessionCookie(ctx, token);
    ctx.body = { user: { username: user.username, displayName: user.displayName, roles: user.roles, tenant: user.tenant, departments: user.departments } };
  });
  router.post('/auth/logout', async (ctx) => {
    const user = requireUser(ctx);
    await logout(models, (ctx.state as CallerState).token!, user, ctx.ip);
    clearSessionCookie(ctx);
    ctx.body = { ok: true };
  });
  router.get('/me', async (ctx) => {
    const user = requireUser(ctx);
    const tenant = await models.Tenant.findById(user.tenant).lean();
    ctx.body = {
      user: { username: user.username, displayName: user.displayName, roles: user.roles, tenant: user.tenant, departments: user.departments },
      tenant: tenant ? { key: tenant._id, name: tenant.name } : null,
    };
  });
  return router;
}
