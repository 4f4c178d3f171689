/** `POST /auth/login`, `POST /auth/logout`, `GET /me` (API.md). */
import type { LoginRequest } from '@lianban/runtime/contract';
import { login, logout } from '../services/auth';
import { linkCounterCases } from '../services/counter-intake';
import { DomainError } from '../services/errors';
import { bodyValidator } from '../http/validate';
import { clearSessionCookie, requireUser, setSessionCookie, type CallerState } from '../http/session';
import type { FeatureRoute } from './deps';

const loginBody = bodyValidator<LoginRequest>({
  type: 'object',
  required: ['username', 'password'],
  properties: {
    username: { type: 'string', minLength: 1, maxLength: 100 },
    password: { type: 'string', minLength: 1, maxLength: 200 },
  },
}, 'Login');

export const AUTH_ROUTES: FeatureRoute[] = [
  {
    method: 'post', path: '/auth/login', summary: '登录', who: 'anyone', body: 'Login', answer: 'LoginAnswer',
    handler: async (ctx, { models }) => {
      const { username, password } = loginBody(ctx);
      const { user, token } = await login(models, username, password, ctx.ip).catch((e: unknown) => {
        // 429: say when to come back (docs/security.md, "Sign-in throttling")
        if (e instanceof DomainError && e.code === 'too-many-attempts') ctx.set('Retry-After', String(e.details.retryAfter));
        throw e;
      });
      setSessionCookie(ctx, token);
      // cases filed for this applicant at the counter before they had an account become theirs
      await linkCounterCases(models, user, ctx.ip);
      ctx.body = { user: { username: user.username, displayName: user.displayName, roles: user.roles, tenant: user.tenant, departments: user.departments } };
    },
  },
  {
    method: 'post', path: '/auth/logout', summary: '退出登录', who: 'signed-in', answer: 'Ok',
    handler: async (ctx, { models }) => {
      const user = requireUser(ctx);
      await logout(models, (ctx.state as CallerState).token!, user, ctx.ip);
      clearSessionCookie(ctx);
      ctx.body = { ok: true };
    },
  },
  {
    method: 'get', path: '/me', summary: '当前用户', who: 'signed-in', answer: 'Me',
    handler: async (ctx, { models }) => {
      const user = requireUser(ctx);
      const tenant = await models.Tenant.findById(user.tenant).lean();
      ctx.body = {
        user: { username: user.username, displayName: user.displayName, roles: user.roles, tenant: user.tenant, departments: user.departments, authLevel: user.authLevel ?? 1 },
        tenant: tenant ? { key: tenant._id, name: tenant.name } : null,
      };
    },
  },
];
