/**
 * Cross-site request refusal (docs/security.md): a state-changing request (POST, PUT, PATCH,
 * DELETE) whose `Origin` is present and not this server's own origin, or whose
 * `Sec-Fetch-Site` is `cross-site`, answers 403 `cross-site`. The session cookie is already
 * SameSite=Strict; this also covers bodyless POSTs and older browsers. Department systems with
 * a bearer API key send neither header and pass.
 */
import type { Context, Next } from 'koa';
import { ApiError } from './errors';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export async function sameOriginGuard(ctx: Context, next: Next): Promise<void> {
  if (STATE_CHANGING.has(ctx.method)) {
    const origin = ctx.get('origin');
    const site = ctx.get('sec-fetch-site').toLowerCase();
    // ctx.protocol believes X-Forwarded-Proto only from a trusted proxy (client-address.ts); the
    // proxy passes the Host header through (docs/production.md)
    const own = `${ctx.protocol}://${ctx.host}`.toLowerCase();
    if (site === 'cross-site' || (origin && origin.toLowerCase() !== own)) {
      throw new ApiError(403, 'cross-site', '拒绝来自其他网站的请求：请在本系统页面内操作');
    }
  }
  await next();
}
