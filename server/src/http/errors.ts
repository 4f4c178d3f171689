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
  'nothing-to-publish': { status: 409 },
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
  'template-moved-on': { status: 409 },
  'unresolved-conflict': { status: 409 },
  'case-suspended': { status: 409 },
  'retry-failed': { status: 409 },
  'no-incident': { status: 404 },
  // 统一身份认证: the sign-in's 实名 level is below the matter's (services/auth-level.ts)
  'auth-level-too-low': { status: 403 },
  // 免提交: the 电子证照 platform did not answer (services/licences); the applicant uploads instead
  'licence-unavailable': { status: 502 },
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

/** What an error answers: its status, the JSON error body, and whether it is a defect to report. */
export interface ErrorAnswer {
  status: number;
  body: { error: { code: string; message: string } & Record<string, unknown> };
  /** Seconds for `Retry-After` (transient failures). */
  retryAfter?: number;
  /** An unexpected failure (or a broken published definition): emitted as an app `error` to be logged. */
  report: boolean;
}

/** Maps a thrown error to its answer; unexpected ones become 500 without leaking internals. */
export function errorAnswer(err: unknown): ErrorAnswer {
  const e = err as Error & { status?: number; expose?: boolean; type?: string };
  const known = domainCode(e);
  const answer = (status: number, error: ErrorAnswer['body']['error'], extra: Partial<ErrorAnswer> = {}): ErrorAnswer => ({ status, body: { error }, report: false, ...extra });
  if (e instanceof ApiError) return answer(e.status, { code: e.code, message: e.message, ...e.details });
  if (known) {
    const { status, code, message } = ERROR_STATUS[known];
    // a broken published definition is a defect to look into, not the caller's mistake
    return answer(status, { code: code ?? known, message: message ?? e.message, ...(e instanceof DomainError ? e.details : {}) },
      { ...(status === 503 ? { retryAfter: 1 } : {}), report: status >= 500 && status !== 503 });
  }
  // An id from the URL that cannot be an id names nothing.
  if (e.name === 'CastError' && (e as { path?: string }).path === '_id') return answer(404, { code: 'not-found', message: '请求的资源不存在' });
  // http-errors thrown by koa or its middleware (e.g. a body that is not JSON).
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) return answer(e.status, { code: httpCode(e.status, e.type), message: httpMessage(e.status) });
  // The database is briefly unreachable or a write raced another and ran out of retries:
  // nothing was changed, the same request again will do.
  if (isTransient(e)) return answer(503, { code: 'try-again', message: '系统繁忙，本次操作未生效，请稍后重试' }, { retryAfter: 1, report: true });
  return answer(500, { code: 'internal', message: '服务器内部错误，请稍后重试' }, { report: true });
}

/** Maps thrown errors to the JSON error body (`errorAnswer`). */
export async function errorMiddleware(ctx: Context, next: Next): Promise<void> {
  try {
    await next();
    if (ctx.status === 404 && ctx.body === undefined && ctx.path.startsWith('/api/')) {
      throw new ApiError(404, 'not-found', '请求的资源不存在');
    }
  } catch (err) {
    const { status, body, retryAfter, report } = errorAnswer(err);
    ctx.status = status;
    if (retryAfter !== undefined) ctx.set('Retry-After', String(retryAfter));
    ctx.body = body;
    if (report) ctx.app.emit('error', err, ctx);
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
