/**
 * A small typed fetch client for `/api/v1` (docs/api.md). Errors become `ApiError` with the
 * server's Chinese `message`; a 401 on anything but the sign-in itself sends the browser to
 * `/login?next=…` so the user signs in and comes back.
 */
import type { FieldError } from '@lianban/runtime';

const BASE = '/api/v1';

/** Thrown for any non-2xx answer; `message` is the server's Chinese message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** 422: field errors by dotted data path. */
    readonly errors: FieldError[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface RequestOptions {
  /** Don't redirect to the sign-in page on 401 (the sign-in page and the session probe). */
  noRedirect?: boolean;
  /** Extra request headers (e.g. `Idempotency-Key`). */
  headers?: Record<string, string>;
}

/** Whether a failed request may have taken effect unseen, or not at all: the network or a proxy failed. */
export function mayRetry(e: unknown): boolean {
  return e instanceof ApiError && (e.status === 0 || e.status === 502 || e.status === 503 || e.status === 504);
}

/** A fresh key for `Idempotency-Key` (random; crypto.randomUUID needs a secure context, so not only that). */
export function newIdempotencyKey(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  const bytes = new Uint8Array(16);
  c.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Where a 401 sends the browser: the sign-in page, remembering the current path. */
export function signInUrl(): string {
  const here = window.location.pathname + window.location.search;
  return here.startsWith('/login') ? '/login' : `/login?next=${encodeURIComponent(here)}`;
}

async function toError(res: Response): Promise<ApiError> {
  let body: { error?: { code?: string; message?: string; errors?: FieldError[] } } = {};
  try { body = await res.json() as typeof body; } catch { /* not JSON */ }
  const e = body.error ?? {};
  const fallback = res.status >= 500 ? '服务暂时不可用，请稍后再试' : `请求失败（${res.status}）`;
  return new ApiError(res.status, e.code ?? String(res.status), e.message ?? fallback, e.errors ?? []);
}

/** Sends one request and returns the parsed JSON answer. */
export async function request<T>(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
  const init: RequestInit = { method, headers: { accept: 'application/json', ...opts.headers }, credentials: 'same-origin' };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] = 'application/json';
  }
  let res: Response;
  try {
    res = await fetch(BASE + path, init);
  } catch {
    throw new ApiError(0, 'network', '网络连接失败，请检查网络后重试');
  }
  if (!res.ok) {
    const err = await toError(res);
    if (res.status === 401 && !opts.noRedirect) window.location.assign(signInUrl());
    throw err;
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const get = <T>(path: string, opts?: RequestOptions) => request<T>('GET', path, undefined, opts);
export const post = <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('POST', path, body ?? {}, opts);
export const put = <T>(path: string, body: unknown) => request<T>('PUT', path, body);
