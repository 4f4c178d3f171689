/**
 * Who is calling: a browser session (HttpOnly cookie) or a department system (Bearer API key).
 * Sets `ctx.state.user` or `ctx.state.system`; the guards below refuse what is not allowed.
 */
import type { Context, Next } from 'koa';
import type { Access } from '@lianban/runtime/contract';
import type { DepartmentCaller, SessionUser } from '../services/auth';
import { cachedApiKey, cachedSession } from '../services/session-cache';
import type { Models } from '../models';
import type { Role } from '../models';
import { ApiError } from './errors';

export const SESSION_COOKIE = 'lianban_sid';

export interface CallerState {
  user?: SessionUser;
  system?: DepartmentCaller;
  token?: string;
}

export function callerMiddleware(getModels: () => Models | null) {
  return async (ctx: Context, next: Next) => {
    const models = getModels();
    if (models) {
      const auth = ctx.get('authorization');
      const token = ctx.cookies.get(SESSION_COOKIE);
      if (auth.startsWith('Bearer ')) {
        const system = await cachedApiKey(models, auth.slice(7).trim());
        if (!system) throw new ApiError(401, 'bad-api-key', 'API 密钥无效或已吊销');
        ctx.state.system = system;
      } else if (token) {
        const user = await cachedSession(models, token);
        if (user) {
          ctx.state.user = user;
          ctx.state.token = token;
        } else {
          ctx.cookies.set(SESSION_COOKIE, null);
        }
      }
    }
    await next();
  };
}

export function setSessionCookie(ctx: Context, token: string): void {
  ctx.cookies.set(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: ctx.secure, path: '/', overwrite: true });
}

export function clearSessionCookie(ctx: Context): void {
  ctx.cookies.set(SESSION_COOKIE, null, { httpOnly: true, sameSite: 'strict', path: '/' });
}

/** The signed-in user, or 401. */
export function requireUser(ctx: Context): SessionUser {
  const user = (ctx.state as CallerState).user;
  if (!user) throw new ApiError(401, 'unauthenticated', '请先登录（或登录已超时）');
  return user;
}

/** The signed-in user having one of `roles`, or 401/403. */
export function requireRole(ctx: Context, ...roles: Role[]): SessionUser {
  const user = requireUser(ctx);
  if (!roles.some((r) => user.roles.includes(r))) throw new ApiError(403, 'forbidden', '没有权限执行此操作');
  return user;
}

/**
 * Lets through the callers a route's `access` names (the route table's `who`), or 401/403:
 * anyone; a department system if listed; else a user with one of the listed roles.
 */
export function requireAccess(ctx: Context, access: Access): void {
  const { roles } = access;
  if (roles.includes('anyone')) return;
  if (roles.includes('department-system') && (ctx.state as CallerState).system) return;
  const userRoles = roles.filter((r): r is Role => r !== 'department-system' && r !== 'anyone');
  if (userRoles.length === 0) requireSystem(ctx);
  else requireRole(ctx, ...userRoles);
}

/** A department system authenticated by its API key, or 401. */
export function requireSystem(ctx: Context): DepartmentCaller {
  const system = (ctx.state as CallerState).system;
  if (!system) throw new ApiError(401, 'unauthenticated', '需要部门系统的 API 密钥（Authorization: Bearer …）');
  return system;
}

export function actorOf(ctx: Context) {
  const { user, system } = ctx.state as CallerState;
  return {
    tenant: user?.tenant ?? system?.tenant ?? '',
    name: user?.username ?? (system ? `apikey:${system.keyPrefix}` : 'anonymous'),
    ip: ctx.ip,
  };
}
