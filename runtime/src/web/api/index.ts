/**
 * The web apps' API client: typed calls for docs/api.md.
 *
 *   const matters = await api.matters();
 *   try { await api.submit(id) } catch (e) { if (e instanceof ApiError) message.error(e.message) }
 */
import { get, post, put } from './client';
import type {
  Attachment, CaseCreated, CaseFlow, CaseStatus, CaseSubmission, CaseSummary, CaseView, Matter, MatterSummary, Me, Notification, Task,
  TaskCompletion, User,
} from './types';
import type { CaseDocument } from './types';

export { ApiError, signInUrl, request, mayRetry, newIdempotencyKey, createApiClient, type ApiClient, type ClientOptions, type RequestOptions } from './client';
export type * from './types';

const q = (params: Record<string, string | undefined>) => {
  const s = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => !!e[1])).toString();
  return s ? `?${s}` : '';
};

/** Every page of a paged list (API.md "Lists"): follows `X-Next-Cursor` until none is sent. */
async function allPages<T>(path: string, params: Record<string, string | undefined>): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 100; i++) {
    let next: string | null = null;
    out.push(...await get<T[]>(`${path}${q({ ...params, limit: '200', cursor })}`, { onHeaders: (h) => { next = h.get('X-Next-Cursor'); } }));
    if (!next) break;
    cursor = next;
  }
  return out;
}

export const api = {
  login: (username: string, password: string) => post<{ user: User }>('/auth/login', { username, password }, { noRedirect: true }),
  logout: () => post<unknown>('/auth/logout', {}, { noRedirect: true }),
  me: () => get<Me>('/me', { noRedirect: true }),
  matters: () => get<MatterSummary[]>('/matters'),
  matter: (key: string) => get<Matter>(`/matters/${encodeURIComponent(key)}`),
  cases: () => get<CaseSummary[]>('/cases'),
  case: (id: string) => get<CaseView>(`/cases/${id}`),
  reveal: (id: string) => post<CaseView>(`/cases/${id}/reveal`),
  flow: (id: string) => get<CaseFlow>(`/cases/${id}/flow`),
  /** With `idempotencyKey`, a retry of the same submission gets the case the first attempt created. */
  createCase: (body: Omit<CaseSubmission, 'promised'>, idempotencyKey?: string) =>
    post<CaseCreated>('/cases', body, idempotencyKey ? { headers: { 'Idempotency-Key': idempotencyKey } } : undefined),
  updateDraft: (id: string, data: Record<string, unknown>) => put<{ id: string; status: CaseStatus }>(`/cases/${id}`, { data }),
  submit: (id: string) => post<{ id: string; no: string; status: CaseStatus }>(`/cases/${id}/submit`),
  upload: (caseId: string, file: File, material?: string) => {
    const body = new FormData();
    body.append('file', file);
    if (material) body.append('material', material);
    return post<Attachment>(`/cases/${caseId}/attachments`, body);
  },
  attachmentUrl: (fileId: string) => `/api/v1/attachments/${encodeURIComponent(fileId)}`,
  /** All the caller's tasks (every page). */
  tasks: (params: { state?: 'open' | 'done' | 'all'; department?: string; q?: string } = {}) => allPages<Task>('/tasks', params),
  claim: (id: string) => post<unknown>(`/tasks/${id}/claim`),
  unclaim: (id: string) => post<unknown>(`/tasks/${id}/unclaim`),
  complete: (id: string, body: TaskCompletion) =>
    post<unknown>(`/tasks/${id}/complete`, body),
  notifications: () => get<Notification[]>('/notifications'),
  markRead: (id: string) => post<unknown>(`/notifications/${id}/read`),
  /** Official documents of a case (issued by the server); download with `documentUrl`. */
  documents: (caseId: string) => get<CaseDocument[]>(`/cases/${caseId}/documents`),
  documentUrl: (id: string) => `/api/v1/documents/${encodeURIComponent(id)}`,
  applicationPdfUrl: (caseId: string) => `/api/v1/cases/${encodeURIComponent(caseId)}/application.pdf`,
};
