/** `POST /auth/login`, `POST /auth/logout`, `GET /me`, `POST /auth/password` (API.md). */
import { PLATFORM_TENANT, type LoginRequest, type PasswordChange } from '@lianban/runtime/contract';
import { login, logout, type SessionUser } from '../services/auth';
import { changePassword } from '../services/password-change';
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

const passwordBody = bodyValidator<PasswordChange>({
  type: 'object',
  required: ['current', 'next'],
  properties: {
    current: { type: 'string', minLength: 1, maxLength: 200 },
    // the policy itself (length, classes, not the username) is checked by the service
    next: { type: 'string', minLength: 1, maxLength: 200 },
  },
}, 'PasswordChange');

/** The user as the API shows it (login answer, `/me`). */
const shown = (user: SessionUser) => ({
  username: user.username, displayName: user.displayName, roles: user.roles, tenant: user.tenant, departments: user.departments,
  authLevel: user.authLevel ?? 1, // the 实名 level of this sign-in (services/oidc.ts)
  ...(user.mustChangePassword ? { mustChangePassword: true } : {}),
});

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
      ctx.body = { user: shown(user) };
    },
  },
  {
    method: 'post', path: '/auth/logout', summary: '退出登录', who: 'account', answer: 'Ok', beforePasswordChange: true,
    handler: async (ctx, { models }) => {
      const user = requireUser(ctx);
      await logout(models, (ctx.state as CallerState).token!, user, ctx.ip);
      clearSessionCookie(ctx);
      ctx.body = { ok: true };
    },
  },
  {
    method: 'get', path: '/me', summary: '当前用户', who: 'account', answer: 'Me', beforePasswordChange: true,
    handler: async (ctx, { models }) => {
      const user = requireUser(ctx);
      // an operator belongs to the platform, no city
      const platform = user.tenant === PLATFORM_TENANT;
      const [tenant, departments] = await Promise.all([
        platform ? { _id: PLATFORM_TENANT, name: '省级平台' } : models.Tenant.findById(user.tenant).lean(),
        // the city's own names of its departments (the pages label tasks, tabs and items with them)
        platform ? [] : models.Department.find({ tenant: user.tenant }).select({ key: 1, name: 1 }).sort({ key: 1 }).lean(),
      ]);
      ctx.body = {
        user: shown(user),
        tenant: tenant ? { key: tenant._id, name: tenant.name, departments: departments.map((d) => ({ key: d.key, name: d.name })) } : null,
      };
    },
  },
  {
    method: 'post', path: '/auth/password', summary: '修改本人密码（一次性或被重置的密码须先修改）', who: 'account', body: 'PasswordChange', answer: 'Ok', beforePasswordChange: true,
    handler: async (ctx, { models }) => {
      const user = requireUser(ctx);
      const { current, next } = passwordBody(ctx);
      await changePassword(models, user, (ctx.state as CallerState).token!, current, next, ctx.ip).catch((e: unknown) => {
        if (e instanceof DomainError && e.code === 'too-many-attempts') ctx.set('Retry-After', String(e.details.retryAfter));
        throw e;
      });
      ctx.body = { ok: true };
    },
  },
];
