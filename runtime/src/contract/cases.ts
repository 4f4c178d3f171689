/**
 * Cases (办件), tasks (待办), attachments and notifications: `/cases`, `/tasks`, `/attachments`,
 * `/notifications`, and the department systems' `/messages` and `/outbox`.
 */
import type { ItemStatus } from '../engine/index';

export type { ItemStatus };

export type CaseStatus = 'draft' | 'submitted' | 'in-progress' | 'needs-applicant' | 'completed' | 'rejected' | 'withdrawn';
export type TaskState = 'open' | 'claimed' | 'done' | 'cancelled';

/** `POST /cases` body: an application (or, with `draft`, a draft). */
export interface CaseSubmission {
  matter: string;
  form: string;
  data: Record<string, unknown>;
  draft?: boolean;
  /** 容缺: codes of the materials the applicant promises to hand in later. */
  promised?: string[];
}

/** `POST /cases` answer (201; `no` is null for a draft). */
export interface CaseCreated { id: string; no: string | null; status: CaseStatus }

/** `PUT /cases/:id` body: the draft's data. */
export interface DraftUpdate { data: Record<string, unknown> }

/** `PUT /cases/:id` answer. */
export interface DraftSaved { id: string; status: 'draft' }

/** `POST /cases/:id/submit` answer. */
export interface CaseSubmitted { id: string; no: string; status: CaseStatus }

export interface CaseItem {
  key: string; title: string; department: string; status: ItemStatus;
  /** `GET /cases/:id`: the item's declared result (办理结果: values of its task form's `x-item-result` fields), once recorded. */
  result?: Record<string, unknown>;
  /** The same result as shown, in form order: label, value and the value as people read it (`3,125.40 元`). */
  resultFields?: ItemResultField[];
  resultAt?: string;
}

/** One field of an item's declared result. */
export interface ItemResultField { key: string; title: string; value: unknown; text: string }

export interface CaseTask {
  id: string;
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
}

/** `GET /cases/:id` (and `POST /cases/:id/reveal`): the case with its data, tasks and timeline. */
export interface CaseView extends CaseSummary {
  data: Record<string, unknown>;
  /** Whether identity numbers are masked (staff, until they reveal them). */
  masked: boolean;
  tasks: CaseTask[];
  timeline: TimelineEntry[];
}

/** `GET /cases/:id/flow`: the diagram and how far the case got. */
export interface CaseFlow { xml: string; version: number; done: string[]; active: string[] }

/** `GET /tasks`: one task. */
export interface Task {
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
export interface Attachment { fileId: string; name: string; size: number; contentType: string; material?: string }

/** `GET /notifications`: one notification. */
export interface Notification {
  id: string;
  caseId: string;
  caseNo: string;
  kind: 'accepted' | 'needs-action' | 'completed' | 'rejected';
  message: string;
  at: string;
  read: boolean;
}

/** One entry of an upload field's value in a case's data. */
export interface UploadEntry { name: string; fileId?: string; size?: number; material?: string; promised?: boolean }
