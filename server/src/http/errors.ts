/**
 * Errors the API answers with. Every error body is `{error:{code,message}}` (API.md): `code` is
 * stable English for machines, `message` is Chinese for people; details sit beside them.
 */
import type { Context, Next } from 'koa';

/** Thrown by controllers and services for an expected failure with a given HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Maps thrown errors to the JSON error body; unexpected ones become 500 without leaking internals. */
export async function errorMiddleware(ctx: Context, next: Next): Promise<void> {
  try {
    await next();
    if (ctx.status === 404 && ctx.body === undefined && ctx.path.startsWith('/api/')) {
      throw new ApiError(404, 'not-found', '请求的资源不存在');
    }
  } catch (err) {
    const e = err as Error & { status?: number; expose?: boolean; type?: string };
    if (e instanceof ApiError) {
      ctx.status = e.status;
      ctx.body = { error: { code: e.code, message: e.message, ...e.details } };
    } else if (e.name === 'CastError' && (e as { path?: string }).path === '_id') {
      // An id from the URL that cannot be an id names nothing.
      ctx.status = 404;
      ctx.body = { error: { code: 'not-found', message: '请求的资源不存在' } };
    } else if (typeof e.status === "number" && e.status >= 400 && e.status < 500) {
      // http-errors thrown by koa or its middleware (e.g. a body that is not JSON).
      ctx.status = e.status;
      ctx.body = { error: { code: httpCode(e.status, e.type), message: httpMessage(e.status) } };
    } else if (isTransient(e)) {
      // The database is briefly unreachable or a write raced another and ran out of retries:
      // nothing was changed, the same request again will do.
      ctx.status = 503;
      ctx.set('Retry-After', '1');
      ctx.body = { error: { code: 'try-again', message: '系统繁忙，本次操作未生效，请稍后重试' } };
      ctx.app.emit('error', err, ctx);
    } else {
      ctx.status = 500;
      ctx.body = { error: { code: 'internal', message: '服务器内部错误，请稍后重试' } };
      ctx.app.emit('error', err, ctx);
    }
  }
}

function httpCode(status: number, type?: string): string {
  if (type === 'entity.parse.failed' || (status === 400 && type === undefined)) return 'malformed-json';
  if (status === 413) return 'too-large';
  if (status === 415) return 'unsupported-media-type';
  return `http-${status}`;
}

function httpMessage(status: number): string {
  switch (status) {
    case 400: return '请求格式不正确';
    case 413: return '请求内容过大';
    case 415: return '不支持的请求内容类型';
    default: return '请求无法处理';
  }
}

/**
 * A database error after which nothing was written and a retry succeeds: a transaction that
 * lost a write conflict (TransientTransactionError) or no database server to send it to. (A
 * network error in the middle of a write is not one: the write may have happened.)
 */
function isTransient(e: Error & { hasErrorLabel?: (label: string) => boolean }): boolean {
  if (typeof e.hasErrorLabel === 'function' && e.hasErrorLabel('TransientTransactionError')) return true;
  return e.name === 'MongoServerSelectionError';
}
