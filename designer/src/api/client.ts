/**
 * The designer's HTTP client for the server API (docs/api.md): JSON in and out, the session
 * cookie, Chinese error messages from `error.message`, and a redirect to the sign-in page
 * when the session is missing or has timed out (401).
 *
 *   const list = await api.get<Department[]>('/admin/departments');
 *   await api.put(`/admin/forms/${key}`, { title, schema });
 *   try { … } catch (e) { if (e instanceof ApiError && e.status === 422) e.problems … }
 */

/** One publish problem: the flow element or form field it names, and a Chinese message. */
export interface PublishProblem { element?: string; field?: string; message: string }

/** Thrown for every non-2xx answer; `message` is the server's Chinese text. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors: Array<{ path: string; message: string }> = [],
    readonly problems: PublishProblem[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const PREFIX = '/api/v1';
/** Where the app lives (BrowserRouter basename); the sign-in route sits under it. */
export const BASENAME = '/designer';

const HINT = 'lianban.designer.signedIn';

/**
 * Whether this browser signed in to the designer (a hint kept beside the HttpOnly session
 * cookie, which scripts cannot read). Signed-out visitors are sent to the sign-in page, and the
 * flow sandbox uses demo data, without a request that could only answer 401.
 */
export const signedInHint = {
  get: (): boolean => { try { return !!window.localStorage.getItem(HINT); } catch { return false; } },
  set: (username: string) => { try { window.localStorage.setItem(HINT, username); } catch { /* private mode: requests decide */ } },
  clear: () => { try { window.localStorage.removeItem(HINT); } catch { /* nothing kept */ } },
};

/** Sends the browser to the sign-in page, remembering where it was. */
export function redirectToSignIn(): void {
  const here = window.location.pathname + window.location.search;
  if (window.location.pathname.startsWith(`${BASENAME}/signin`)) return;
  window.location.assign(`${BASENAME}/signin?next=${encodeURIComponent(here)}`);
}

interface RequestOptions {
  /** Do not redirect on 401 (the sign-in page itself, optional loads). */
  quiet401?: boolean;
}

async function request<T>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(PREFIX + path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json', accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', '无法连接服务器，请检查网络后重试');
  }
  const text = await res.text();
  let json: unknown;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (res.ok) return json as T;
  const error = (json as { error?: { code?: string; message?: string; errors?: ApiError['errors']; problems?: PublishProblem[] } } | null)?.error;
  if (res.status === 401) {
    signedInHint.clear();
    if (!options.quiet401) redirectToSignIn();
  }
  throw new ApiError(res.status, error?.code ?? 'http-' + res.status, error?.message ?? `请求失败（${res.status}）`, error?.errors ?? [], error?.problems ?? []);
}

export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, undefined, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('POST', path, body ?? {}, options),
  put: <T>(path: string, body: unknown, options?: RequestOptions) => request<T>('PUT', path, body, options),
};

/** A readable Chinese message for any thrown value. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    const details = e.errors.map((x) => x.message).filter(Boolean);
    return details.length ? `${e.message}（${details.slice(0, 3).join('；')}）` : e.message;
  }
  return e instanceof Error ? e.message : String(e);
}
