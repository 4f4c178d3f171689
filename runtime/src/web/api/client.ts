/**
 * The one fetch client for `/api/v1` (docs/api.md), shared by the portal and the designer. Errors
 * become `ApiError` with the server's Chinese `message` (and the 422 details); what a 401 does
 * is the app's choice (`onUnauthorized`): the portal sends the browser to `/login?next=…`, the
 * designer to its own sign-in page.
 *
 *   const client = createApiClient({ onUnauthorized: (quiet) => { if (!quiet) location.assign('/login') } });
 *   const me = await client.get<Me>('/me', { noRedirect: true });
 */
import type { FieldError } from '@lianban/runtime';
import type { ErrorBody, PublishProblem } from '@lianban/runtime/contract';

const BASE = '/api/v1';

/** Thrown for any non-2xx answer (status 0: no answer at all); `message` is the server's Chinese message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** 422: field errors by dotted data path (`code` as the form validator names it; body-schema errors carry none). */
    readonly errors: FieldError[] = [],
    /** 422 on publish: what keeps the matter from being published. */
    readonly problems: PublishProblem[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface RequestOptions {
  /** Don't send the browser to the sign-in page on 401 (the sign-in page itself, session probes, optional loads). */
  noRedirect?: boolean;
  /** Extra request headers (e.g. `Idempotency-Key`). */
  headers?: Record<string, string>;
  /** Sees the headers of a successful answer (e.g. a list's `X-Next-Cursor`). */
  onHeaders?: (headers: Headers) => void;
}

export interface ClientOptions {
  /** Called on every 401 before the error is thrown; `quiet` when the request asked not to be redirected. */
  onUnauthorized?: (quiet: boolean) => void;
}

/** The requests one app sends. */
export interface ApiClient {
  request<T>(method: string, path: string, body?: unknown, opts?: RequestOptions): Promise<T>;
  get<T>(path: string, opts?: RequestOptions): Promise<T>;
  post<T>(path: string, body?: unknown, opts?: RequestOptions): Promise<T>;
  put<T>(path: string, body: unknown, opts?: RequestOptions): Promise<T>;
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

async function toError(res: Response): Promise<ApiError> {
  let body: Partial<ErrorBody> = {};
  try { body = await res.json() as typeof body; } catch { /* not JSON (e.g. a proxy's error page) */ }
  const e: Partial<ErrorBody['error']> = body.error ?? {};
  const fallback = res.status >= 500 ? '服务暂时不可用，请稍后再试' : `请求失败（${res.status}）`;
  return new ApiError(res.status, e.code ?? `http-${res.status}`, e.message ?? fallback, (e.errors ?? []) as FieldError[], e.problems ?? []);
}

/** A client whose 401s go to `onUnauthorized`. */
export function createApiClient(options: ClientOptions = {}): ApiClient {
  async function request<T>(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
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
      if (res.status === 401) options.onUnauthorized?.(!!opts.noRedirect);
      throw err;
    }
    opts.onHeaders?.(res.headers);
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }
  return {
    request,
    get: (path, opts) => request('GET', path, undefined, opts),
    post: (path, body, opts) => request('POST', path, body ?? {}, opts),
    put: (path, body, opts) => request('PUT', path, body, opts),
  };
}

/** Where a 401 sends the portal: the sign-in page, remembering the current path. */
export function signInUrl(): string {
  const here = window.location.pathname + window.location.search;
  return here.startsWith('/login') ? '/login' : `/login?next=${encodeURIComponent(here)}`;
}

/** The portal's client (applicants and staff). */
export const portalClient = createApiClient({
  onUnauthorized: (quiet) => { if (!quiet) window.location.assign(signInUrl()); },
});

/** Sends one request from the portal and returns the parsed JSON answer. */
export const request = portalClient.request;
export const get = portalClient.get;
export const post = portalClient.post;
export const put = portalClient.put;
