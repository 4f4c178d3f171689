/**
 * The web apps' API client: typed calls for docs/api.md.
 *
 *   const matters = await api.matters();
 *   try { await api.submit(id) } catch (e) { if (e instanceof ApiError) message.error(e.message) }
 */
import { get, post, put } from './client';
import type {
  Attachment, CaseCreated, CaseFlow, CaseStatus, CaseSubmission, CaseSummary, CaseView, Matter, MatterSummary, Me, Notification, PublicProgress, Task,
  TaskCompletion, User, ReturnTarget, TaskReturn, TaskReturned, CaseResubmitted, TaskRecalled, TaskClaimed, CaseStatusChanged, Suspension,
  CaseAttachment, TaskComment, TaskCommentInput,
  PrecheckAnswer, PrecheckRequest,
} from './types';
import type { CaseDocument } from './types';
import type { CaseStats } from './types';

export { ApiError, signInUrl, request, mayRetry, newIdempotencyKey, createApiClient, type ApiClient, type ClientOptions, type RequestOptions } from './client';
export type * from './types';
export { evaluations, type Evaluation, type EvaluationBody, type EvaluationInvite, type EvaluationFollowUp } from './evaluation';
export { moves, type CountersignMode, type StaffMember, type TaskBatchResult } from './moves';
export { materials, type MaterialProvenance, type ReusableMaterial, type ReusableMaterials, type MaterialReuseBody, type AttachmentOrigin } from './materials';

const q = (params: Record<string, string | undefined>) => {
  const s = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => !!e[1])).toString();
  return s ? `?${s}` : '';
};

/**
 * Every page of a paged list (API.md "Lists"): follows `X-Next-Cursor` until none is sent.
 * `soFar` sees the items loaded so far after each page that has more after it.
 */
async function allPages<T>(path: string, params: Record<string, string | undefined>, soFar?: (items: T[]) => void): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 100; i++) {
    let next: string | null = null;
    out.push(...await get<T[]>(`${path}${q({ ...params, limit: '200', cursor })}`, { onHeaders: (h) => { next = h.get('X-Next-Cursor'); } }));
    if (!next) break;
    soFar?.([...out]);
    cursor = next;
  }
  return out;
}

export const api = {
  login: (username: string, password: string) => post<{ user: User }>('/auth/login', { username, password }, { noRedirect: true }),
  logout: () => post<unknown>('/auth/logout', {}, { noRedirect: true }),
  /** One's own password (a one-time or reset one must be changed before anything else). */
  changePassword: (current: string, next: string) => post<unknown>('/auth/password', { current, next }, { noRedirect: true }),
  me: () => get<Me>('/me', { noRedirect: true }),
  matters: () => get<MatterSummary[]>('/matters'),
  matter: (key: string) => get<Matter>(`/matters/${encodeURIComponent(key)}`),
  /** The viewer's cases; `mine`: filed (我受理的, window staff) or cc (抄送我的); `search`: 办件查询 by number, ID number or name. */
  cases: (p: { mine?: 'filed' | 'cc'; limit?: number; search?: string } = {}) => get<CaseSummary[]>(`/cases${q({ mine: p.mine, limit: p.limit ? String(p.limit) : undefined, q: p.search })}`),
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
  tasks: (params: { state?: 'open' | 'done' | 'all'; department?: string; q?: string } = {}, soFar?: (tasks: Task[]) => void) => allPages<Task>('/tasks', params, soFar),
  /** One task of the caller's (any state, however old), or undefined. */
  task: async (id: string) => (await get<Task[]>(`/tasks${q({ state: 'all', id })}`))[0],
  claim: (id: string) => post<TaskClaimed>(`/tasks/${id}/claim`),
  unclaim: (id: string) => post<TaskClaimed>(`/tasks/${id}/unclaim`),
  complete: (id: string, body: TaskCompletion) =>
    post<unknown>(`/tasks/${id}/complete`, body),
  /** 退回 (docs/office-moves.md). */
  returnTargets: (id: string) => get<ReturnTarget[]>(`/tasks/${id}/return-targets`),
  returnTask: (id: string, body: TaskReturn) => post<TaskReturned>(`/tasks/${id}/return`, body),
  resubmit: (caseId: string, data: Record<string, unknown>) => post<CaseResubmitted>(`/cases/${caseId}/resubmit`, { data }),
  // office moves (docs/office-moves.md)
  recall: (id: string) => post<TaskRecalled>(`/tasks/${id}/recall`),
  withdraw: (id: string, reason: string) => post<CaseStatusChanged>(`/cases/${id}/withdraw`, { reason }),
  suspend: (id: string, body: Suspension) => post<CaseStatusChanged>(`/cases/${id}/suspend`, body),
  resume: (id: string) => post<CaseStatusChanged>(`/cases/${id}/resume`),
  /** Every file of a case and who attached it. */
  caseAttachments: (caseId: string) => get<CaseAttachment[]>(`/cases/${caseId}/attachments`),
  /** A comment (and files of the case) on one's task, without completing it. */
  commentTask: (taskId: string, body: TaskCommentInput) => post<TaskComment>(`/tasks/${taskId}/comments`, body),
  notifications: () => get<Notification[]>('/notifications'),
  markRead: (id: string) => post<unknown>(`/notifications/${id}/read`),
  /** 先测一测: the eligibility pre-check and the personal 一次告知书 (nothing stored). */
  precheck: (matter: string, answers: PrecheckRequest) => post<PrecheckAnswer>(`/matters/${encodeURIComponent(matter)}/precheck`, answers),
  /** 办件进度查询, without sign-in: 404 for an unknown number or a wrong pair alike, 429 when asked too often. */
  publicProgress: (no: string, id4: string) => get<PublicProgress>(`/public/progress${q({ no, id4 })}`, { noRedirect: true }),
  /** Official documents of a case (issued by the server); download with `documentUrl`. */
  documents: (caseId: string) => get<CaseDocument[]>(`/cases/${caseId}/documents`),
  documentUrl: (id: string) => `/api/v1/documents/${encodeURIComponent(id)}`,
  applicationPdfUrl: (caseId: string) => `/api/v1/cases/${encodeURIComponent(caseId)}/application.pdf`,
  /** The city's statistics (admins); `from`/`to` are days (China time). */
  stats: (params: { from?: string; to?: string; matter?: string } = {}) => get<CaseStats>(`/admin/stats${q(params)}`),
  statsXlsxUrl: (params: { from?: string; to?: string; matter?: string } = {}) => `/api/v1/admin/stats.xlsx${q(params)}`,
};
