/**
 * Translates one engine step into changes of a case document: tasks opened and withdrawn,
 * item statuses, case status, timeline, and the side documents to write with it (outbox items,
 * timers, notifications). Pure: no I/O; `cases.ts` persists the result atomically.
 */
import crypto from 'node:crypto';
import type { Effect, StepResult, Wait } from '@lianban/runtime';
import type { CaseDoc, CaseStatus, CaseTask, OutboxDoc, TimerDoc, NotificationDoc } from '../models';
import { APPLICANT_REMINDER, remindApplicant } from './applicant-reminder';

export interface StepContext {
  actor: string;
  now: Date;
  /** Departments that work in their own system: their tasks go to the outbox too. */
  systemDepartments: Set<string>;
  /** The case id (for side documents). */
  caseId: string;
}

export interface CaseChanges {
  set: Partial<Pick<CaseDoc, 'status' | 'items' | 'tasks' | 'flow' | 'endedAt'>>;
  timeline: CaseDoc['timeline'];
  outbox: Omit<OutboxDoc, 'tenant'>[];
  timers: Omit<TimerDoc, 'tenant'>[];
  cancelTimers: string[];
  notifications: Omit<NotificationDoc, 'tenant' | 'user'>[];
}

const USER_FACING_KINDS = new Set(['userTask']);

function taskFromWait(w: Wait, now: Date): CaseTask {
  const department = w.candidateGroups?.[0] ?? w.department ?? 'unassigned';
  return {
    id: crypto.randomUUID(),
    waitId: w.id,
    elementId: w.elementId,
    kind: w.kind,
    name: w.name ?? w.elementId,
    department,
    formKey: w.formKey,
    linkedItem: w.linkedItem,
    ...(w.issueDocument ? { issueDocument: w.issueDocument } : {}),
    outcomes: w.outcomes ?? [],
    dueAt: w.dueAt ? new Date(w.dueAt) : undefined,
    state: 'open',
    createdAt: now,
  };
}

/** Case status from the engine's state and open waits (docs/flow-extensions.md). */
export function caseStatusOf(step: StepResult, tasks: CaseTask[]): CaseStatus {
  if (step.state.status === 'completed') return 'completed';
  if (step.state.status === 'rejected') return 'rejected';
  if (tasks.some((t) => t.department === 'applicant' && (t.state === 'open' || t.state === 'claimed'))) return 'needs-applicant';
  return 'in-progress';
}

/**
 * Applies an engine step to a case: `doc` is the case before the step, `completedWaitId` the
 * wait this step completed (its task becomes done elsewhere), `step` what the engine returned.
 */
export function changesFor(doc: Pick<CaseDoc, 'no' | 'items' | 'tasks' | 'status' | 'flow'>, step: StepResult, ctx: StepContext): CaseChanges {
  const changes: CaseChanges = { set: {}, timeline: [], outbox: [], timers: [], cancelTimers: [], notifications: [] };
  const openWaitIds = new Set(step.waits.map((w) => w.id));
  // Waits the case already had (tasks, and timers already scheduled: a pending timer is not scheduled again).
  const before = (doc.flow.state as { waits?: { id: string }[] } | null)?.waits ?? [];
  const known = new Set([...doc.tasks.map((t) => t.waitId), ...before.map((w) => w.id)]);

  // Tasks whose wait is gone without being completed by this step were withdrawn (boundary timer, rejection…).
  // (Tasks of kind `promise` are the server's own, not the flow's: 容缺 materials to hand in.)
  const tasks = doc.tasks.map((t) => (t.state === 'open' || t.state === 'claimed') && t.kind !== 'promise' && !openWaitIds.has(t.waitId)
    ? { ...t, state: 'cancelled' as const, completedAt: ctx.now }
    : t);
  for (const w of step.waits) {
    if (known.has(w.id)) continue;
    if (w.kind === 'timer') {
      changes.timers.push({ caseId: ctx.caseId, waitId: w.id, dueAt: new Date(w.dueAt!), leaseUntil: null, firedAt: null });
      continue;
    }
    if (!USER_FACING_KINDS.has(w.kind) && w.kind !== 'receiveTask' && w.kind !== 'messageCatch') continue;
    const task = taskFromWait(w, ctx.now);
    tasks.push(task);
    changes.timeline.push({ at: ctx.now, actor: 'system', action: 'task.opened', elementId: w.elementId, detail: task.name });
    if (task.department === 'applicant') {
      changes.notifications.push({ caseId: ctx.caseId, caseNo: doc.no, kind: 'needs-action', message: `您的办件 ${doc.no ?? ''} 需要您办理：${task.name}`, at: ctx.now, readAt: null });
    } else if (ctx.systemDepartments.has(task.department) && w.kind === 'userTask') {
      changes.outbox.push({ department: task.department, caseId: ctx.caseId, caseNo: doc.no ?? '', kind: 'task', taskId: task.id, elementId: w.elementId, linkedItem: w.linkedItem, payload: { task: task.name, outcomes: task.outcomes }, createdAt: ctx.now, ackedAt: null });
    }
  }
  const items = doc.items.map((i) => ({ ...i }));
  for (const effect of step.effects) {
    if (effect.type === 'push' && effect.connector === APPLICANT_REMINDER) remindApplicant(effect, tasks, changes, doc, ctx);
    else applyEffect(effect, items, changes, doc, ctx);
  }
  for (const e of step.effects) if (e.type === 'cancelled') changes.cancelTimers.push(e.waitId);

  // 补正 under way: the case keeps waiting on the applicant while other branches move on.
  const status = doc.status === 'needs-correction' && step.state.status === 'active' ? 'needs-correction' : caseStatusOf(step, tasks);
  changes.set = { tasks, items, status, flow: { hash: doc.flow.hash, state: step.state as unknown as Record<string, unknown> } };
  if (status === 'completed' || status === 'rejected') changes.set.endedAt = ctx.now;
  return changes;
}

function applyEffect(effect: Effect, items: CaseDoc['items'], changes: CaseChanges, doc: Pick<CaseDoc, 'no'>, ctx: StepContext) {
  switch (effect.type) {
    case 'itemStatus': {
      const item = items.find((i) => i.key === effect.linkedItem);
      if (item) item.status = effect.status;
      break;
    }
    case 'push':
      changes.outbox.push({
        department: effect.department ?? effect.connector ?? 'data-sharing', caseId: ctx.caseId, caseNo: doc.no ?? '', kind: 'push',
        elementId: effect.elementId, linkedItem: effect.linkedItem, payload: effect.payload, createdAt: ctx.now, ackedAt: null,
      });
      changes.timeline.push({ at: ctx.now, actor: 'system', action: 'pushed', elementId: effect.elementId, detail: effect.department ?? effect.connector });
      break;
    case 'caseEnded':
      changes.timeline.push({ at: ctx.now, actor: 'system', action: `case.${effect.status}` });
      changes.notifications.push({
        caseId: ctx.caseId, caseNo: doc.no, kind: effect.status, at: ctx.now, readAt: null,
        message: effect.status === 'completed' ? `您的办件 ${doc.no ?? ''} 已办结` : `您的办件 ${doc.no ?? ''} 未获批准，已办结`,
      });
      break;
    case 'incident':
      changes.timeline.push({ at: ctx.now, actor: 'system', action: 'incident', elementId: effect.elementId, detail: `${effect.code}: ${effect.message}` });
      break;
    default:
      break;
  }
}
