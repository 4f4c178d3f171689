/**
 * Errors the API answers with. Every error body is `{error:{code,message}}` (API.md): `code` is
 * stable English for machines, `message` is Chinese for people; details sit beside them.
 */
import type { Context, Next } from 'koa';
import { EngineError, type EngineErrorCode } from '@lianban/runtime';
import { FormSchemaError } from '@lianban/runtime/validate';
import { DomainError, type DomainErrorCode } from '../services/errors';

/**
 * The one table from a domain error's code to its HTTP status: the services' `DomainError`
 * and the engine's `EngineError` (whose documented statuses are 404 for a wait that is not
 * open and 422 for input the flow refuses). Their message is already Chinese and is answered
 * as is unless the entry gives one; `code` renames one clients know by another name.
 */
export const ERROR_STATUS: Record<DomainErrorCode | EngineErrorCode, { status: number; code?: string; message?: string }> = {
  'bad-credentials': { status: 401 },
  // a throttled sign-in (docs/security.md); the login route sets Retry-After
  'too-many-attempts': { status: 429 },
  'last-admin': { status: 409 },
  'not-found': { status: 404 },
  forbidden: { status: 403 },
  invalid: { status: 422 },
  exists: { status: 409 },
  'publish-problems': { status: 422 },
  'publish-conflict': { status: 409 },
  'case-ended': { status: 409 },
  'too-large': { status: 413 },
  'unsupported-media-type': { status: 415 },
  infected: { status: 422 },
  'not-draft': { status: 409 },
  'already-done': { status: 409 },
  claimed: { status: 409 },
  'no-waiting-step': { status: 409 },
  // Nothing was written: the same request again will do (with Retry-After, like a lost transaction).
  'try-again': { status: 503 },
  'revision-conflict': { status: 503, code: 'try-again' },
  'flow-broken': { status: 500 },
  // a `FormSchemaError` (a published form that no longer compiles) names its problems in English, for the log
  'form-broken': { status: 500, message: '已发布的表单无法使用，请联系管理员' },
  'idempotency-key-reused': { status: 422 },
  // a storage quota (drafts per applicant, attachment bytes per case / per applicant and day)
  'quota-exceeded': { status: 429 },
  // a task-only form (filled in during handling, e.g. 常州 附件5) sent as the application form
  'not-an-application-form': { status: 422 },
  // office moves (services/task-moves.ts)
  'waiting-for-signers': { status: 409 },
  'too-soon': { status: 429 },
  // runtime/src/engine/errors.ts
  'definition-mismatch': { status: 409 },
  'not-active': { status: 409 },
  'wrong-wait-kind': { status: 409 },
  'unknown-wait': { status: 404 },
  'invalid-outcome': { status: 422 },
  'invalid-input': { status: 422 },
  runaway: { status: 409 },
  // office moves (services/case-moves.ts, engine run/recall.ts and run/retry.ts)
  'moved-on': { status: 409 },
  'case-suspended': { status: 409 },
  'retry-failed': { status: 409 },
  'no-incident': { status: 404 },
};

/** The table's code of a domain error (the runtime's `FormSchemaError` is `form-broken`); undefined for anything else. */
function domainCode(e: unknown): keyof typeof ERROR_STATUS | undefined {
  if (e instanceof DomainError || e instanceof EngineError) return e.code;
  if (e instanceof FormSchemaError) return 'form-broken';
  return undefined;
}

/** Thrown by controllers for an expected failure with a given HTTP status (services throw `DomainError`). */
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
    const known = domainCode(e);
    if (e instanceof ApiError) {
      ctx.status = e.status;
      ctx.body = { error: { code: e.code, message: e.message, ...e.details } };
    } else if (known) {
      const { status, code, message } = ERROR_STATUS[known];
      ctx.status = status;
      if (status === 503) ctx.set('Retry-After', '1');
      ctx.body = { error: { code: code ?? known, message: message ?? e.message, ...(e instanceof DomainError ? e.details : {}) } };
      // a broken published definition is a defect to look into, not the caller's mistake
      if (status >= 500 && status !== 503) ctx.app.emit('error', err, ctx);
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
