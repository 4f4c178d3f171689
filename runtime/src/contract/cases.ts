/**
 * Cases (办件), tasks (待办), attachments and notifications: `/cases`, `/tasks`, `/attachments`,
 * `/notifications`, and the department systems' `/messages` and `/outbox`.
 */
import type { ItemStatus } from '../engine/index';
import type { TaskMoveState } from './office-moves';
import type { AttachmentOrigin, MaterialProvenance } from './materials';

export type { ItemStatus };

export type CaseStatus = 'draft' | 'submitted' | 'in-progress' | 'needs-applicant' | 'needs-correction' | 'completed' | 'rejected' | 'withdrawn' | 'suspended' | 'cancelled';
export type TaskState = 'open' | 'claimed' | 'done' | 'cancelled';

/** `POST /cases` body: an application (or, with `draft`, a draft). */
export interface CaseSubmission {
  matter: string;
  form: string;
  data: Record<string, unknown>;
  draft?: boolean;
  /** 容缺: codes of the materials the applicant promises to hand in later. */
  promised?: string[];
  /** 窗口收件: the citizen a window staff member files for (window staff only). */
  onBehalfOf?: Citizen;
  /** 帮办代办: the agent who came for the citizen (needs the 授权委托书 as material `authorization-letter`). */
  agent?: CaseAgent;
}

/** How a case came in: filed by the applicant online, or at the counter by window staff. */
export type CaseChannel = 'online' | 'window';

/** The citizen a case is filed for at the counter (the case is theirs: their account with this ID number sees it). */
export interface Citizen { idNumber: string; name: string; phone: string }

/** Who came to the counter for the citizen, and how they are related (本人委托的代理人). */
export interface CaseAgent { name: string; idNumber: string; relation: string }

/** The material code of the agent's 授权委托书 (an attachment of the case). */
export const AUTHORIZATION_LETTER = 'authorization-letter';

/** A comment a staff member added to their task without completing it (with files of the case). */
export interface TaskComment {
  id: string;
  taskId: string;
  taskName: string;
  at: string;
  author: string;
  authorName?: string;
  department: string;
  text: string;
  attachments: { fileId: string; name: string }[];
}

/** `POST /tasks/:id/comments` body. */
export interface TaskCommentInput { text: string; attachments?: string[] }

/** `GET /cases/:id/attachments`: one file of the case and who attached it. */
export interface CaseAttachment { fileId: string; name: string; size: number; material: string | null; uploadedBy: string | null; /** Who attached it, as the reader may know them (a name; a department for the applicant). */ uploadedByName?: string; uploadedAt: string; contentType?: string; /** 免提交: where a reused file came from (absent: uploaded for this case). */ provenance?: MaterialProvenance; /** How it came in (本人上传, 窗口代收, …). */ origin?: AttachmentOrigin }

/** `POST /cases` answer (201; `no` is null for a draft). */
export interface CaseCreated { id: string; no: string | null; status: CaseStatus }

/** `PUT /cases/:id` body: the draft's data. */
export interface DraftUpdate { data: Record<string, unknown> }

/** `PUT /cases/:id` answer. */
export interface DraftSaved { id: string; status: 'draft' }

/** `POST /cases/:id/submit` answer. */
export interface CaseSubmitted { id: string; no: string; status: CaseStatus }

export interface CaseItem {
  /** `rejected` (不予批准): on a refused case, the item whose own step refused it (the engine's `not-applicable`). */
  key: string; title: string; department: string; status: ItemStatus | 'rejected' | 'withdrawn' | 'cancelled';
  /** `GET /cases/:id`: the item's declared result (办理结果: values of its task form's `x-item-result` fields), once recorded. */
  result?: Record<string, unknown>;
  /** The same result as shown, in form order: label, value and the value as people read it (`3,125.40 元`). */
  resultFields?: ItemResultField[];
  resultAt?: string;
  /** The item's 办理时限 on this case: working days from 受理, and when it ends (moved by 补正/挂起 pauses). */
  deadline?: { workdays: number; dueAt: string };
}

/** A case's 承诺时限 (docs/deadlines.md): counted in working days from 受理; `paused` while 补正/挂起 stop the clock. */
export interface CaseDeadlineInfo {
  workdays: number;
  /** The departments are warned this many working days before `dueAt`. */
  warnWorkdays: number;
  startedAt: string;
  dueAt: string;
  /** Working days the clock stood still (the due date moved by as many). */
  pausedWorkdays: number;
  paused: boolean;
  /** When the departments were warned, and when it was escalated to their leads and the city admins. */
  warnedAt: string | null;
  escalatedAt: string | null;
}

/** One field of an item's declared result. */
export interface ItemResultField { key: string; title: string; value: unknown; text: string }

export interface CaseTask extends TaskMoveState {
  id: string;
  kind?: string;
  name: string;
  department: string;
  state: TaskState;
  outcome?: string;
  dueAt?: string;
  claimedBy?: string;
  completedBy?: string;
  elementId: string;
  outcomes?: string[];
  formKey?: string;
}

export interface TimelineEntry { at: string; actor: string; action: string; elementId?: string; detail?: unknown }

/** `GET /cases`: one case. */
export interface CaseSummary {
  id: string;
  no: string | null;
  status: CaseStatus;
  matter: string;
  matterTitle?: string;
  version: number;
  form: string;
  applicantName?: string;
  items: CaseItem[];
  active: string[];
  createdAt: string;
  submittedAt?: string;
  endedAt?: string;
  /** `window`: filed at the counter (absent on older cases: online). */
  channel?: CaseChannel;
  /** The case's tasks (lists carry them too: 办件查询 shows the steps under way). */
  tasks?: CaseTask[];
}

/** `GET /cases/:id` (and `POST /cases/:id/reveal`): the case with its data, tasks and timeline. */
export interface CaseView extends CaseSummary {
  data: Record<string, unknown>;
  /** The usernames the view shows, as the reader may know them: names for staff, departments (and 本人) for the applicant. */
  people?: Record<string, string>;
  /** Whether identity numbers are masked (staff, until they reveal them). */
  masked: boolean;
  tasks: CaseTask[];
  timeline: TimelineEntry[];
  /** 补正 under way (status `needs-correction`): the notice, one list of every problem. */
  correction?: CorrectionNotice | null;
  /** While `suspended` (挂起): why, by whom, until when. */
  suspension?: { at: string; by: string; reason: string; until: string | null } | null;
  /** 窗口收件: the citizen (ID number masked for staff), the agent, and who filed it. */
  onBehalfOf?: Citizen;
  agent?: CaseAgent;
  filedBy?: { username: string; name?: string };
  /** Comments staff added to their tasks. */
  comments?: TaskComment[];
  /** 承诺时限 (null: the matter sets none). */
  deadline?: CaseDeadlineInfo | null;
}

/** A 补正 notice (一次性告知): why, and which fields of the application to correct (the rest is locked). */
export interface CorrectionNotice {
  /** The step that returned the case (it continues there after the resubmission). */
  step: string;
  department: string;
  reason: string;
  /** Application form paths the applicant may change, each with its message (may be empty). */
  fields: { path: string; title: string; message: string }[];
  at: string;
}

/** `POST /tasks/:id/return` body: 退回 to the applicant for 补正, or to an earlier step (its element id). */
export interface TaskReturn {
  to: 'applicant' | string;
  reason: string;
  /** To the applicant: the application form paths to correct (at least one). */
  fields?: string[];
  /** To the applicant: a message per field path. */
  notes?: Record<string, string>;
  /** To the applicant: by when to correct (`YYYY-MM-DD`, today or later), printed on the 补正告知书. */
  deadline?: string;
}

/** `POST /tasks/:id/return` answer. */
export interface TaskReturned { id: string; state: 'cancelled'; caseStatus: CaseStatus; to: string }

/** `GET /tasks/:id/return-targets`: an earlier step the task may go back to. */
export interface ReturnTarget { elementId: string; name: string }

/** `POST /cases/:id/resubmit` body: the corrected application data (only the listed fields may differ). */
export interface CaseResubmission { data: Record<string, unknown> }

/** `POST /cases/:id/resubmit` answer. */
export interface CaseResubmitted { id: string; status: CaseStatus; taskId: string }

/** `POST /admin/cases/:id/move` body: element (or wait) ids whose tokens are cancelled, and the element to place one at. */
export interface CaseMove { from: string | string[]; to: string }

/** `POST /admin/cases/:id/move` answer. */
export interface CaseMoved { id: string; status: CaseStatus; active: string[] }

/** `GET /cases/:id/flow`: the diagram and how far the case got. */
export interface CaseFlow { xml: string; version: number; done: string[]; active: string[] }

/** `GET /tasks`: one task. */
export interface Task extends TaskMoveState {
  id: string;
  /** `userTask` and the like from the flow; `promise` for 容缺 materials to hand in. */
  kind?: string;
  caseId: string;
  caseNo: string;
  matter: string;
  matterTitle?: string;
  name: string;
  department: string;
  state: TaskState;
  claimedBy?: string | null;
  /** The claimant as the reader may know them (an account's name for staff). */
  claimedByName?: string;
  dueAt?: string | null;
  outcomes?: string[];
  formKey?: string | null;
  linkedItem?: string | null;
  createdAt: string;
  applicantName?: string;
  caseStatus?: CaseStatus;
  /** A done task's declared result on its linked item, in one line (`月基本养老金：3,125.40 元；…`); null: none. */
  itemResult?: string | null;
  /** Present on finished tasks in `state=all` lists. */
  completedAt?: string | null;
  /** A finished task the caller completed and may still try to recall (撤回, `POST /tasks/:id/recall`). */
  recallable?: boolean;
  /** The case's 承诺时限 due date (null: none), and whether 补正/挂起 stop its clock now. */
  caseDueAt?: string | null;
  caseClockPaused?: boolean;
}

/** `POST /tasks/:id/claim|unclaim` answer. */
export interface TaskClaimed { id: string; state: 'claimed' | 'open'; claimedBy: string | null }

/** `POST /tasks/:id/complete` body. */
export interface TaskCompletion { outcome?: string; data?: Record<string, unknown>; comment?: string }

/** `POST /tasks/:id/complete` answer. */
export interface TaskCompleted { id: string; state: 'done'; caseStatus?: CaseStatus }

/** `POST /messages` body: a department system reports on a case. */
export interface MessageRequest { name: string; caseNo: string; variables?: Record<string, unknown> }

/** `POST /messages` answer. */
export interface MessageCorrelated { caseNo: string; elementId: string; caseStatus?: CaseStatus }

/** `GET /outbox`: one thing pushed to the calling department's system. */
export interface OutboxEntry {
  id: string;
  caseId: string;
  caseNo: string;
  kind: string;
  taskId: string | null;
  elementId: string;
  linkedItem: string | null;
  payload: unknown;
  createdAt: string;
}

/** `POST /cases/:id/attachments` answer (201). */
export interface Attachment { fileId: string; name: string; size: number; contentType: string; material?: string | null; uploadedBy?: string; /** 免提交: where a reused file came from. */ provenance?: MaterialProvenance }

/** `GET /notifications`: one notification. */
export interface Notification {
  id: string;
  caseId: string;
  caseNo: string;
  kind: 'accepted' | 'needs-action' | 'completed' | 'rejected' | 'returned' | 'withdrawn' | 'cancelled' | 'suspended' | 'resumed' | 'recalled' | 'task-moved' | 'cc' | 'reminder' | 'evaluation' | 'deadline-warning' | 'deadline-overdue';
  message: string;
  at: string;
  read: boolean;
}

/** One entry of an upload field's value in a case's data. */
export interface UploadEntry { name: string; fileId?: string; size?: number; material?: string; promised?: boolean }
