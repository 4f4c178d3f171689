/**
 * 统一身份认证 (services/oidc.ts; docs/integrations.md): `GET /auth/oidc` (whether the sign-in
 * pages show the button, and the cities), `GET /auth/oidc/login?city=&next=` → the provider →
 * `GET /auth/oidc/callback` → `next`. The two browser steps answer a redirect, or a page in
 * Chinese when the sign-in is refused (the precise code goes to the log).
 */
import type { Context } from 'koa';
import { linkCounterCases } from '../services/counter-intake';
import { finishOidcLogin, LOGIN_TTL_MS, OidcError, oidcStatus, startOidcLogin } from '../services/oidc';
import { setSessionCookie } from '../http/session';
import { DomainError } from '../services/errors';
import { throttle } from '../services/public-progress';
import { log } from '../log';
import type { FeatureRoute } from './deps';

/** The browser's binding of its sign-ins in progress (the hash is kept with each; services/oidc.ts). */
export const OIDC_COOKIE = 'lianban_oidc';
const COOKIE_PATH = '/api/v1/auth/oidc';
/**
 * Sign-ins started per client address in 15 minutes: each one stores a pending sign-in (state,
 * PKCE verifier), so an anonymous caller must not be able to start them without end. Generous:
 * a service hall's staff and citizens may share one address.
 */
export const OIDC_LOGIN_LIMIT = 120;

function query(ctx: Context, name: string): string | undefined {
  const v = ctx.query[name];
  return typeof v === 'string' ? v : undefined;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The page a refused sign-in shows: what happened in Chinese, the code to quote, a way back. */
function refusalPage(ctx: Context, err: unknown, step: 'login' | 'callback') {
  const e = err instanceof OidcError ? err : new OidcError('oidc-internal', '统一身份认证登录失败，请稍后再试', 500, (err as Error)?.message);
  if (err instanceof OidcError) log.warn({ code: e.code, detail: e.detail, step }, 'oidc: sign-in refused');
  else log.error({ err, code: e.code, step }, 'oidc: sign-in failed');
  ctx.status = e.status;
  ctx.type = 'text/html; charset=utf-8';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>统一身份认证登录未完成</title>
<style>body{font-family:system-ui,"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;background:#f5f7fa;margin:0;padding:0 16px}
main{max-width:520px;margin:12vh auto;background:#fff;border-radius:8px;padding:32px;box-shadow:0 2px 8px rgba(0,0,0,.08)}
h1{font-size:22px;margin:0 0 16px}p{font-size:16px;line-height:1.7}.code{color:#888;font-size:13px}a{color:#1677ff}</style></head>
<body><main role="alert"><h1>统一身份认证登录未完成</h1><p>${escapeHtml(e.message)}</p>
<p><a href="/login">返回登录页</a></p><p class="code">错误代码：${escapeHtml(e.code)}</p></main></body></html>`;
}

export const OIDC_ROUTES: FeatureRoute[] = [
  {
    method: 'get', path: '/auth/oidc', summary: '统一身份认证是否开启（登录页据此显示按钮）及可选城市', who: 'anyone', answer: 'OidcInfo',
    handler: async (ctx, { models }) => {
      const status = oidcStatus();
      const cities = status.enabled ? await models.Tenant.find({}).select({ _id: 1, name: 1 }).sort({ _id: 1 }).limit(100).lean() : [];
      ctx.body = { ...status, cities: cities.map((c) => ({ key: c._id, name: c.name })) };
    },
  },
  {
    method: 'get', path: '/auth/oidc/login', summary: '统一身份认证登录：转到省统一身份认证平台（授权码 + PKCE）', who: 'anyone',
    parameters: [
      { name: 'city', in: 'query', required: false, schema: { type: 'string' }, description: '城市标识（只有一个城市时可省略）' },
      { name: 'next', in: 'query', required: false, schema: { type: 'string' }, description: '登录后回到的本站路径' },
    ],
    handler: async (ctx, { models }) => {
      try {
        await throttle(models, ctx.ip, Date.now(), 'oidc-login', OIDC_LOGIN_LIMIT).catch((e: unknown) => {
          if (!(e instanceof DomainError) || e.code !== 'too-many-attempts') throw e;
          const retryAfter = Number(e.details.retryAfter);
          ctx.set('Retry-After', String(retryAfter));
          throw new OidcError('too-many-attempts', `登录尝试过于频繁，请 ${Math.ceil(retryAfter / 60)} 分钟后再试`, 429);
        });
        const { url, binding } = await startOidcLogin(models, { city: query(ctx, 'city'), next: query(ctx, 'next'), origin: `${ctx.protocol}://${ctx.host}`, binding: ctx.cookies.get(OIDC_COOKIE) });
        // Lax: the provider's redirect back to the callback is a cross-site top-level navigation
        ctx.cookies.set(OIDC_COOKIE, binding, { httpOnly: true, sameSite: 'lax', secure: ctx.secure, path: COOKIE_PATH, maxAge: LOGIN_TTL_MS, overwrite: true });
        ctx.set('Cache-Control', 'no-store');
        ctx.redirect(url);
      } catch (e) {
        refusalPage(ctx, e, 'login');
      }
    },
  },
  {
    method: 'get', path: '/auth/oidc/callback', summary: '统一身份认证平台回调：换取令牌、校验身份、登录后回到 next', who: 'anyone',
    parameters: [
      { name: 'code', in: 'query', required: false, schema: { type: 'string' } },
      { name: 'state', in: 'query', required: true, schema: { type: 'string' } },
    ],
    handler: async (ctx, { models }) => {
      try {
        const { user, token, next } = await finishOidcLogin(models, { query: new URLSearchParams(ctx.querystring), binding: ctx.cookies.get(OIDC_COOKIE), ip: ctx.ip });
        setSessionCookie(ctx, token);
        // cases filed at the window for this ID number before the account existed become theirs
        await linkCounterCases(models, user, ctx.ip);
        ctx.set('Cache-Control', 'no-store');
        ctx.redirect(next);
      } catch (e) {
        refusalPage(ctx, e, 'callback');
      }
    },
  },
];
