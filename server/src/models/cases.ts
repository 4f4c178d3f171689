/**
 * Cases (办件) with their flow state and tasks embedded: one document is the unit of change,
 * updated with an optimistic revision check (`rev`), so two concurrent completions can't both
 * win. Department queues query the embedded tasks through a multikey index.
 */
import { Schema } from 'mongoose';
import type { CaseDeadline, ItemDeadline } from '../services/case-deadline';
import { refuseWorkWhileSuspended } from './case-suspension';

export type CaseStatus = 'draft' | 'submitted' | 'in-progress' | 'needs-applicant' | 'needs-correction' | 'completed' | 'rejected' | 'withdrawn' | 'suspended' | 'cancelled';
export type TaskState = 'open' | 'claimed' | 'done' | 'cancelled';

export interface CaseTask {
  id: string;
  waitId: string;
  elementId: string;
  kind: string;
  name: string;
  /** Department key, or `applicant` for the applicant's own tasks. */
  department: string;
  formKey?: string;
  linkedItem?: string;
  /** `lb:issueDocument`: the document kind completing this task issues (services/documents.ts). */
  issueDocument?: string;
  outcomes: string[];
  dueAt?: Date;
  state: TaskState;
  claimedBy?: string;
  completedBy?: string;
  outcome?: string;
  comment?: string;
  createdAt: Date;
  completedAt?: Date;
  /** 撤回: the flow state before this completion (engine `RecallPoint`); kept only on the latest completion that pushed nothing. */
  recall?: Record<string, unknown>;
  // Office moves (services/task-moves.ts, docs/office-moves.md):
  /** Only this user may work the task (a 委派 delegate, an added signer). */
  assignee?: string;
  /** 委派: the delegator, and whether the delegate has handled it (`pending`) or handed it back (`resolved`). */
  owner?: string;
  delegation?: 'pending' | 'resolved';
  /** 委派: what the delegate proposed when handing it back. */
  delegateResult?: { by: string; outcome?: string; comment?: string; at: Date };
  /** Form data proposed for the task (by the delegate); the completion uses it when it sends none. */
  draftData?: Record<string, unknown>;
  /** 加签 on this task: the mode and the signers still to approve. */
  countersign?: { mode: 'before' | 'after' | 'parallel'; signers: string[]; by: string };
  /** 加签 after/parallel: the claimant's completion, held until every signer approved. */
  held?: { by: string; outcome?: string; comment?: string; data?: Record<string, unknown>; at: Date };
  /** A 加签 sub-task: the task it was added to. */
  parentId?: string;
  /** 催办: when the last reminder went out (one per task per hour). */
  remindedAt?: Date;
}

/** 挂起: why and until when, and the status the case goes back to on 恢复. */
export interface CaseSuspension {
  at: Date;
  by: string;
  reason: string;
  until?: Date;
  resumeStatus: CaseStatus;
}

/** A 补正 notice: one list of every problem at once (一次性告知). */
export interface CaseCorrection {
  /** The task that returned the case: it reopens for its department on resubmission. */
  taskId: string;
  elementId: string;
  name: string;
  department: string;
  reason: string;
  /** Paths of the application form the applicant may change; everything else is locked. */
  fields: string[];
  /** Per-field messages, by path. */
  notes: Record<string, string>;
  by: string;
  at: Date;
  /** By when the applicant should correct (`YYYY-MM-DD`, China time), when the task set one. */
  deadline?: string;
  /** The listed fields' titles as the form named them at the time (for the 补正告知书). */
  titles?: Record<string, string>;
}

/** What a case (or an item) keeps of its 好差评, for lists and statistics. */
export interface CaseEvaluationSummary {
  score: number;
  reasons: string[];
  comment?: string;
  channel: 'portal' | 'sms' | 'window';
  department: string;
  at: Date;
}

export interface TimelineEntry {
  at: Date;
  actor: string;
  action: string;
  elementId?: string;
  detail?: string;
}

export interface CaseDoc {
  tenant: string;
  no: string | null;
  matter: { key: string; version: number; title: string };
  form: string;
  applicant: string;
  applicantName: string;
  status: CaseStatus;
  data: Record<string, unknown>;
  items: {
    key: string; title: string; department: string; status: string;
    /** The item's declared result (fields of its task form marked `x-item-result`), once that task is done. */
    result?: Record<string, unknown>; resultText?: string; resultForm?: string; resultAt?: Date; resultBy?: string;
    /** 好差评 of this item, in short. */
    evaluation?: CaseEvaluationSummary;
    /** The item's 办理时限 on this case (services/case-deadline.ts). */
    deadline?: ItemDeadline;
  }[];
  flow: { hash: string; state: Record<string, unknown> | null };
  tasks: CaseTask[];
  timeline: TimelineEntry[];
  /** Data of the forms filled in tasks (e.g. 附件5 by the applicant), by form key. */
  taskForms?: Record<string, Record<string, unknown>>;
  /** Materials promised instead of handed in (容缺受理). */
  promised: string[];
  /** 抄送: accounts (user ids) and departments given read-only access (services/task-moves.ts). */
  cc?: { users: string[]; departments: string[] };
  /** The client's `Idempotency-Key` of the POST /cases that created it: a retry gets this case back. */
  idempotencyKey?: string;
  /** SHA-256 of the canonical JSON of that request's body: a replay with another body is refused. */
  idempotencyHash?: string;
  /** 补正 under way (status `needs-correction`): the task that returned the case and what to correct (services/correction.ts). */
  correction?: CaseCorrection | null;
  /** Every 补正 round of the case, oldest first (each gets its 补正告知书: services/documents.ts). */
  corrections?: CaseCorrection[];
  /** The due-date clock (services/case-clock.ts): paused since `pausedAt`, `pausedMs` paused in all. */
  clock?: { pausedAt: Date | null; pausedMs: number } | null;
  /** 承诺时限 of the case, from 受理, moved by the clock's pauses (services/case-deadline.ts); absent: the matter sets none. */
  deadline?: CaseDeadline | null;
  rev: number;
  /** Set by mongoose on every write (timestamps): the statistics' rollup folds cases changed since its watermark. */
  updatedAt?: Date;
  createdAt: Date;
  submittedAt?: Date;
  endedAt?: Date;
  /** 好差评 of the whole case, in short (the full record with its follow-ups: collection `evaluations`). */
  evaluation?: CaseEvaluationSummary;
  /** While suspended (挂起). */
  suspension?: CaseSuspension | null;
  /** How it came in: `window` when filed at the counter (absent: online). */
  channel?: 'online' | 'window';
  /** 窗口收件: the citizen it is filed for; `applicant` is their account, or `counter:<case id>` until they sign in. */
  onBehalfOf?: { idNumber: string; name: string; phone: string };
  /** 帮办代办: the agent who came for the citizen. */
  agent?: { name: string; idNumber: string; relation: string };
  /** The window staff member who filed it (may see it, edit and submit it while a draft). */
  filedBy?: { id: string; username: string; name?: string };
  /** Comments staff added to their tasks (services/task-comments.ts). */
  comments?: CaseComment[];
  /** 受理, an item's or the case's 办结 happened and is not yet in the provincial exchange (services/exchange/records.ts). */
  exchangeDue?: boolean;
  /** The last step's side documents not yet folded into their collections (services/step-effects.ts `PendingEffects`). */
  pending?: unknown;
}

export interface CaseComment {
  id: string;
  taskId: string;
  taskName: string;
  at: Date;
  author: string;
  authorName?: string;
  department: string;
  text: string;
  attachments: { fileId: string; name: string }[];
}

const taskSchema = new Schema<CaseTask>({
  id: { type: String, required: true },
  waitId: String,
  elementId: String,
  kind: String,
  name: String,
  department: String,
  formKey: String,
  linkedItem: String,
  issueDocument: String,
  outcomes: [String],
  dueAt: Date,
  state: { type: String, enum: ['open', 'claimed', 'done', 'cancelled'] },
  claimedBy: String,
  completedBy: String,
  outcome: String,
  comment: String,
  createdAt: Date,
  completedAt: Date,
  recall: Schema.Types.Mixed,
  assignee: String,
  owner: String,
  delegation: String,
  delegateResult: { type: Schema.Types.Mixed },
  draftData: { type: Schema.Types.Mixed },
  countersign: { type: Schema.Types.Mixed },
  held: { type: Schema.Types.Mixed },
  parentId: String,
  remindedAt: Date,
}, { _id: false });

export const caseSchema = new Schema<CaseDoc>({
  tenant: { type: String, required: true },
  no: { type: String, default: null },
  matter: { key: String, version: Number, title: String },
  form: String,
  applicant: { type: String, required: true },
  applicantName: String,
  status: { type: String, required: true },
  data: { type: Schema.Types.Mixed, default: {} },
  items: [{ key: String, title: String, department: String, status: String, result: Schema.Types.Mixed, resultText: String, resultForm: String, resultAt: Date, resultBy: String, evaluation: Schema.Types.Mixed, deadline: { type: Schema.Types.Mixed, default: undefined }, _id: false }],
  flow: { hash: String, state: Schema.Types.Mixed },
  tasks: [taskSchema],
  timeline: [{ at: Date, actor: String, action: String, elementId: String, detail: String, _id: false }],
  taskForms: { type: Schema.Types.Mixed, default: {} },
  promised: [String],
  correction: { type: Schema.Types.Mixed, default: null },
  corrections: { type: [Schema.Types.Mixed], default: undefined },
  clock: { type: Schema.Types.Mixed, default: null },
  deadline: { type: Schema.Types.Mixed, default: undefined },
  cc: { type: Schema.Types.Mixed },
  idempotencyKey: String,
  idempotencyHash: String,
  rev: { type: Number, default: 0 },
  createdAt: Date,
  submittedAt: Date,
  endedAt: Date,
  // 好差评 of the whole case (services/evaluation.ts; the full record is in `evaluations`)
  evaluation: Schema.Types.Mixed,
  suspension: { type: Schema.Types.Mixed, default: undefined },
  channel: String,
  onBehalfOf: { type: { idNumber: String, name: String, phone: String, _id: false }, default: undefined },
  agent: { type: { name: String, idNumber: String, relation: String, _id: false }, default: undefined },
  filedBy: { type: { id: String, username: String, name: String, _id: false }, default: undefined },
  comments: { type: [{ id: String, taskId: String, taskName: String, at: Date, author: String, authorName: String, department: String, text: String, attachments: [{ fileId: String, name: String, _id: false }], _id: false }], default: undefined },
  exchangeDue: { type: Boolean, default: undefined },
  // the last step's side documents until they are folded into their collections (services/step-effects.ts)
  pending: { type: Schema.Types.Mixed, default: undefined },
}, { versionKey: false, minimize: false, timestamps: { createdAt: false, updatedAt: 'updatedAt' } });
caseSchema.index({ 'pending.at': 1 }, { partialFilterExpression: { 'pending.at': { $type: 'date' } } });
caseSchema.index({ tenant: 1, 'onBehalfOf.idNumber': 1 }, { partialFilterExpression: { 'onBehalfOf.idNumber': { $type: 'string' } } });
caseSchema.index({ tenant: 1, no: 1 }, { unique: true, partialFilterExpression: { no: { $type: 'string' } } });
// the provincial exchange's collector finds the cases with something new to report (few at a time)
caseSchema.index({ exchangeDue: 1 }, { partialFilterExpression: { exchangeDue: { $exists: true } } });
caseSchema.index({ tenant: 1, applicant: 1, createdAt: -1 });
caseSchema.index({ tenant: 1, 'tasks.department': 1, 'tasks.state': 1 });
caseSchema.index({ tenant: 1, 'tasks.id': 1 });
// GET /admin/stats: the cases submitted in a period (services/stats.ts)
caseSchema.index({ tenant: 1, submittedAt: 1 });
// the statistics' rollup folder: cases changed since its watermark (services/stats-rollup.ts)
caseSchema.index({ tenant: 1, updatedAt: 1 });
caseSchema.index({ tenant: 1, applicant: 1, idempotencyKey: 1 }, { unique: true, partialFilterExpression: { idempotencyKey: { $type: 'string' } } });
// GET /cases?mine=filed (我受理的) and ?mine=cc (抄送我的)
caseSchema.index({ tenant: 1, 'filedBy.id': 1, createdAt: -1 }, { partialFilterExpression: { 'filedBy.id': { $type: 'string' } } });
caseSchema.index({ tenant: 1, 'cc.users': 1 }, { partialFilterExpression: { 'cc.users': { $exists: true } } });
caseSchema.index({ tenant: 1, 'cc.departments': 1 }, { partialFilterExpression: { 'cc.departments': { $exists: true } } });
// GET /cases?q=<name> (办件查询 by the applicant's name; services/case-search.ts)
caseSchema.index({ tenant: 1, applicantName: 1 });
// 挂起: no write changes a suspended case's tasks or flow (models/case-suspension.ts)
caseSchema.plugin(refuseWorkWhileSuspended);

/** Per-day case-number sequences: `_id` is prefix + date, e.g. `CZ20261121`. */
export const counterSchema = new Schema<{ _id: string; seq: number }>({ _id: String, seq: Number }, { versionKey: false });

/** Items pushed to a department (service tasks, and tasks of departments working in their own system). */
export interface OutboxDoc {
  tenant: string;
  department: string;
  caseId: string;
  caseNo: string;
  kind: 'push' | 'task';
  taskId?: string;
  elementId: string;
  linkedItem?: string;
  payload: unknown;
  createdAt: Date;
  ackedAt: Date | null;
}

export const outboxSchema = new Schema<OutboxDoc>({
  tenant: { type: String, required: true },
  department: { type: String, required: true },
  caseId: String,
  caseNo: String,
  kind: String,
  taskId: String,
  elementId: String,
  linkedItem: String,
  payload: Schema.Types.Mixed,
  createdAt: Date,
  ackedAt: { type: Date, default: null },
}, { versionKey: false, minimize: false });
outboxSchema.index({ tenant: 1, department: 1, ackedAt: 1, createdAt: 1 });
// The metrics' outbox depth counts what is not acknowledged, all cities at once: without this it scanned every entry ever pushed.
outboxSchema.index({ ackedAt: 1 });

/** A timer a case waits for; the scheduler claims due ones with a lease so each fires once. */
export interface TimerDoc {
  tenant: string;
  caseId: string;
  waitId: string;
  dueAt: Date;
  leaseUntil: Date | null;
  leaseOwner?: string;
  firedAt: Date | null;
}

export const timerSchema = new Schema<TimerDoc>({
  tenant: String,
  caseId: String,
  waitId: String,
  dueAt: Date,
  leaseUntil: { type: Date, default: null },
  leaseOwner: String,
  firedAt: { type: Date, default: null },
}, { versionKey: false });
timerSchema.index({ firedAt: 1, dueAt: 1 });
timerSchema.index({ caseId: 1, waitId: 1 }, { unique: true });

/** In-app messages to applicants (accepted, needs action, done); SMS/e-mail go through a provider. */
export interface NotificationDoc {
  tenant: string;
  user: string;
  caseId: string;
  caseNo: string | null;
  kind: 'accepted' | 'needs-action' | 'completed' | 'rejected' | 'returned' | 'withdrawn' | 'cancelled' | 'suspended' | 'resumed' | 'recalled' | 'task-moved' | 'cc' | 'reminder' | 'evaluation' | 'deadline-warning' | 'deadline-overdue';
  message: string;
  at: Date;
  readAt: Date | null;
  /** When the SMS/e-mail went to the provider (null: not yet). */
  sentAt?: Date | null;
  /** The dispatcher's batch that holds it while unsent (services/notify.ts; absent/null: free), and since when. */
  claim?: string | null;
  claimedAt?: Date | null;
}

export const notificationSchema = new Schema<NotificationDoc>({
  tenant: String, user: String, caseId: String, caseNo: String, kind: String, message: String, at: Date,
  readAt: { type: Date, default: null },
  sentAt: { type: Date, default: null },
  // no defaults: the hot path's inserts stay as they were; a missing claim matches `claim: null`
  claim: String, claimedAt: Date,
}, { versionKey: false });
notificationSchema.index({ tenant: 1, user: 1, at: -1 });
notificationSchema.index({ sentAt: 1 });
