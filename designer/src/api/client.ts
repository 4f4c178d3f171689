/**
 * The designer's use of the one HTTP client (`createApiClient` from `@lianban/runtime/web`): JSON
 * in and out, the session cookie, Chinese error messages from `error.message`, and a redirect to
 * the designer's sign-in page when the session is missing or has timed out (401).
 *
 *   const list = await api.get<Department[]>('/admin/departments');
 *   await api.put(`/admin/forms/${key}`, { title, schema });
 *   try { … } catch (e) { if (e instanceof ApiError && e.status === 422) e.problems … }
 */
import { ApiError, createApiClient } from '@lianban/runtime/web';

export { ApiError };
export type { PublishProblem } from '@lianban/runtime/contract';

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

const client = createApiClient({
  // A 401 means the session is gone, whether or not this request redirects.
  onUnauthorized: (quiet) => {
    signedInHint.clear();
    if (!quiet) redirectToSignIn();
  },
});

const opts = (options?: RequestOptions) => ({ noRedirect: !!options?.quiet401 });

export const api = {
  get: <T>(path: string, options?: RequestOptions) => client.get<T>(path, opts(options)),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => client.post<T>(path, body, opts(options)),
  put: <T>(path: string, body: unknown, options?: RequestOptions) => client.put<T>(path, body, opts(options)),
};

/** A readable Chinese message for any thrown value. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    const details = e.errors.map((x) => x.message).filter(Boolean);
    return details.length ? `${e.message}（${details.slice(0, 3).join('；')}）` : e.message;
  }
  return e instanceof Error ? e.message : String(e);
}
