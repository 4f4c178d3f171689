/**
 * The office moves on a whole case (issue #18, API.md "Office moves"): 撤回, 撤回申请,
 * 挂起/恢复, 终止, incidents and their retry.
 */
import type { CaseStatus } from './cases';

/** `POST /cases/:id/withdraw`, `POST /admin/cases/:id/cancel`. */
export interface MoveReason { reason: string }

/** `POST /cases/:id/suspend`: `until` (ISO date-time) resumes the case by itself. */
export interface Suspension { reason: string; until?: string }

/** What `POST /tasks/:id/recall` answers: the task is open again, claimed by the recaller. */
export interface TaskRecalled { id: string; state: 'claimed'; caseStatus?: CaseStatus }

/** What withdraw, cancel, suspend and resume answer. */
export interface CaseStatusChanged { id: string; status: CaseStatus; until?: string | null; pausedMs?: number }

/** `GET /admin/incidents`: a step of a running case that failed (engine incident). */
export interface CaseIncident {
  /** `<case id>.<index>`: for `POST /admin/incidents/:id/retry`. */
  id: string;
  caseId: string;
  caseNo: string | null;
  matterTitle: string;
  caseStatus: CaseStatus;
  elementId: string;
  flowId: string | null;
  code: string;
  message: string;
  at: string;
}

export interface IncidentRetried { id: string; resolved: true; caseStatus?: CaseStatus }

/** The suspension shown in the case view while the case is `suspended`. */
export interface CaseSuspensionView { at: string; by: string; reason: string; until: string | null }
