/**
 * Cross-site request refusal (docs/security.md): a state-changing request (POST, PUT, PATCH,
 * DELETE) whose `Origin` is present and not this server's own (an http(s) origin whose host
 * name is the request's `Host`), or whose `Sec-Fetch-Site` is `cross-site`, answers 403
 * `cross-site`. Scheme and port are not compared: behind a TLS proxy the scheme is the proxy's
 * to tell, nginx's `$host` carries no port, and cookies are not kept apart by port anyway. The session cookie is already
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
    // the proxy passes the Host header through (docs/production.md)
    if (site === 'cross-site' || (origin && !sameHost(origin, ctx.hostname))) {
      throw new ApiError(403, 'cross-site', '拒绝来自其他网站的请求：请在本系统页面内操作');
    }
  }
  await next();
}

function sameHost(origin: string, hostname: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.toLowerCase() === hostname.toLowerCase();
  } catch {
    return false; // "null" (sandboxed frames, privacy-sensitive redirects) or garbage
  }
}
