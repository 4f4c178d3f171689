/**
 * The office moves that act on a whole case or undo a step (issue #18): 撤回 (recall a
 * completion), 撤回申请 (the applicant withdraws), 挂起/恢复 (suspend/resume, the clock paused),
 * 终止 (the admin cancels), and the admin's incident list with retry. Each is written to the
 * case's timeline, the audit and the notifications, and refused 409 when the case has moved on.
 * Engine steps (recall, cancel, retry) go through `advanceCase`; suspend/resume change no flow
 * state and are guarded by the case's revision like a claim.
 */
import { cancelCase, canRecall, openIncidents, recall, recallPoint, retryIncident, type FlowState, type RecallPoint, type StepResult } from '@lianban/runtime';
import { isValidObjectId, trusted, type ClientSession, type Connection } from 'mongoose';
import type { CaseStatus, CaseTask, Models } from '../models';
import type { CaseSuspension } from '../models/cases';
import { advanceCase } from './advance-case';
import { audit } from './audit';
import type { SessionUser } from './auth';
import type { CaseChanges } from './case-flow';
import { holdTimers, pauseClock, releaseTimers, resumeClock } from './case-clock';
import { mutateCase, RevisionConflict, type CaseWithId } from './case-store';
import { DomainError } from './errors';
import { SUSPENDED_MESSAGE } from '../models/case-suspension';

const OPEN = new Set(['open', 'claimed']);
const ENDED = new Set<CaseStatus>(['completed', 'rejected', 'withdrawn', 'cancelled']);
/** The longest a suspension may be set to end by itself (`until`). */
export const MAX_SUSPENSION_DAYS = 366;
/** Timer documents that resume a suspended case carry this prefix instead of a wait id. */
export const RESUME_TIMER_PREFIX = 'resume:';

const isOpen = (t: CaseTask) => OPEN.has(t.state);
const staffTask = (t: CaseTask) => t.department !== 'applicant' && t.kind !== 'promise';

async function caseOf(models: Models, tenant: string, id: string): Promise<CaseWithId | null> {
  if (!isValidObjectId(id)) return null;
  return models.Case.findOne({ _id: id, tenant }).lean() as Promise<CaseWithId | null>;
}

function notEnded(doc: CaseWithId): void {
  if (ENDED.has(doc.status)) throw new DomainError('case-ended', '办件已结束，不能再这样处理');
  if (doc.status === 'draft') throw new DomainError('moved-on', '办件尚未提交（草稿可直接删除）');
}

/** In-app notifications to the staff of `departments` (the applicant's go with the step). */
async function notifyDepartments(models: Models, doc: CaseWithId, departments: Iterable<string>, kind: string, message: string, now: Date, session?: ClientSession): Promise<void> {
  const keys = [...new Set(departments)].filter((d) => d !== 'applicant').slice(0, 50);
  if (!keys.length) return;
  const users = await models.User.find({ tenant: doc.tenant, roles: 'staff', departments: trusted({ $in: keys }) }).select({ _id: 1 }).limit(500).session(session ?? null).lean();
  if (!users.length) return;
  await models.Notification.insertMany(users.map((u) => ({ tenant: doc.tenant, user: String(u._id), caseId: String(doc._id), caseNo: doc.no, kind, message, at: now, readAt: null })), { session });
}

function applicantNotice(doc: CaseWithId, kind: CaseChanges['notifications'][number]['kind'], message: string, now: Date): CaseChanges['notifications'][number] {
  return { caseId: String(doc._id), caseNo: doc.no, kind, message, at: now, readAt: null };
}

/**
 * Before a body is read: 404 for a case the caller may not reach (another city, another
 * applicant's, a department without a task in it), 403 for one they see but may not move.
 */
export async function reachableCase(models: Models, user: SessionUser, id: string, move: 'withdraw' | 'hold' | 'cancel'): Promise<void> {
  const doc = await caseOf(models, user.tenant, id);
  if (!doc || (move === 'withdraw' && doc.applicant !== user.id)) throw new DomainError('not-found', '办件不存在');
  if (move === 'hold') mayHold(user, doc);
}

// ---- 撤回: recall a completion ----------------------------------------------------------------

/**
 * Called by the completion (services/tasks.ts): keeps on the completed task the point it can be
 * recalled to — unless the step pushed, sent a message or ended the case (those cannot be
 * taken back) — and drops older points from the other tasks (only the latest can still match).
 */
export function keepRecallPoint(changes: CaseChanges, step: StepResult, before: FlowState | null, taskId: string, waitId: string): void {
  if (!before || !changes.set.tasks) return;
  const final = changes.outbox.length > 0 || step.effects.some((e) => e.type === 'push' || e.type === 'message' || e.type === 'caseEnded');
  changes.set.tasks = changes.set.tasks.map((t) => {
    if (t.id === taskId) return final ? t : { ...t, recall: recallPoint(before, step.state, waitId) as unknown as Record<string, unknown> };
    if (!t.recall) return t;
    const { recall: _dropped, ...rest } = t;
    return rest;
  });
}

/** `POST /tasks/:id/recall`: by who completed it, while the step it led to is untouched. */
export async function recallTask(models: Models, conn: Connection, user: SessionUser, taskId: string, ip?: string) {
  const load = () => models.Case.findOne({ tenant: user.tenant, 'tasks.id': taskId }).lean() as Promise<CaseWithId | null>;
  return mutateCase(models, load, async (doc) => {
    const task = doc.tasks.find((t) => t.id === taskId);
    if (!task || !user.departments.includes(task.department)) throw new DomainError('not-found', '待办不存在');
    if (task.state !== 'done') throw new DomainError('moved-on', '该待办尚未办结或已撤销，无需撤回');
    if (task.completedBy !== user.username) throw new DomainError('forbidden', '只有办理人本人可以撤回');
    refuseWhileSuspended(doc);
    notEnded(doc);
    const point = task.recall as unknown as RecallPoint | undefined;
    const state = doc.flow.state as unknown as FlowState | null;
    if (!point) throw new DomainError('moved-on', '该办理已推送到其他部门或系统、已结束办件，或之后又有办理，不能撤回');
    if (!canRecall(state, point)) throw new DomainError('moved-on', '办件已进入后续环节，不能撤回');
    const before = new Set(point.before.waits.map((w) => w.id));
    const opened = doc.tasks.filter((t) => !before.has(t.waitId) && t.waitId && t.createdAt >= (task.completedAt ?? new Date(0)) && t.kind !== 'promise');
    const touched = opened.find((t) => t.state !== 'open');
    if (touched) throw new DomainError('moved-on', `后续环节「${touched.name}」已被认领或办理，不能撤回`);
    const now = new Date();
    const reopened: CaseTask = { ...task, state: 'claimed', claimedBy: user.username, completedBy: undefined, outcome: undefined, comment: undefined, completedAt: undefined, recall: undefined };
    const revive: { waitId: string; dueAt: Date }[] = [];
    const changes = await advanceCase({ models, conn }, doc, { actor: user.username, now }, (def) => ({
      step: recall(def, state!, point, { now: now.toISOString(), actor: user.username }),
      base: { ...doc, tasks: doc.tasks.map((t) => (t.id === taskId ? reopened : t)) },
      event: { at: now, actor: user.username, action: 'task.recalled', elementId: task.elementId, detail: task.name },
      amend: (ch) => {
        // timers the completion had cancelled (a boundary timer of the task) are pending again
        const existing = new Set(point.before.waits.filter((w) => w.kind === 'timer').map((w) => w.id));
        revive.push(...ch.timers.filter((t) => existing.has(t.waitId)).map((t) => ({ waitId: t.waitId, dueAt: t.dueAt })));
        ch.timers = ch.timers.filter((t) => !existing.has(t.waitId));
      },
      alsoWrite: async (s) => {
        for (const t of revive) {
          await models.Timer.updateOne({ caseId: String(doc._id), waitId: t.waitId }, { $set: { dueAt: t.dueAt, firedAt: null, leaseUntil: null } }, { session: s });
        }
        await notifyDepartments(models, doc, opened.map((t) => t.department), 'recalled', `办件 ${doc.no ?? ''} 的「${task.name}」已被 ${user.username} 撤回，后续待办已撤销`, now, s);
        await audit(models, { tenant: doc.tenant, name: user.username, ip }, 'task.recall', `case:${doc.no}`, { task: task.name, cancelled: opened.map((t) => t.name) }, s);
      },
    }));
    return { id: taskId, state: 'claimed' as const, caseStatus: changes.set.status };
  });
}

// ---- 撤回申请 and 终止: end the case without a result ------------------------------------------

async function endCase(models: Models, conn: Connection, doc: CaseWithId, how: 'withdrawn' | 'cancelled', actor: SessionUser, reason: string, ip?: string) {
  const now = new Date();
  const label = how === 'withdrawn' ? '申请人撤回申请' : '管理员终止';
  const departments = doc.tasks.filter(staffTask).map((t) => t.department);
  const state = doc.flow.state as unknown as FlowState | null;
  if (!state || state.status !== 'active') throw new DomainError('case-ended', '办件流程已结束');
  const changes = await advanceCase({ models, conn }, doc, { actor: actor.username, now }, (def) => ({
    step: cancelCase(def, state, { now: now.toISOString(), actor: actor.username, reason }),
    event: { at: now, actor: actor.username, action: `case.${how}`, detail: reason },
    set: { suspension: null, clock: { pausedAt: null, pausedMs: doc.clock?.pausedMs ?? 0 } },
    amend: (ch) => {
      ch.set.status = how;
      ch.set.endedAt = now;
      ch.notifications.push(applicantNotice(doc, how, `您的办件 ${doc.no ?? ''} 已${how === 'withdrawn' ? '撤回' : '被终止'}：${reason}`, now));
    },
    alsoWrite: async (s) => {
      await models.Timer.updateMany({ caseId: String(doc._id), firedAt: null }, { $set: { firedAt: new Date(0) } }, { session: s });
      await notifyDepartments(models, doc, departments, how, `办件 ${doc.no ?? ''} 已${label}（${reason}），相关待办已撤销`, now, s);
      await audit(models, { tenant: doc.tenant, name: actor.username, ip }, how === 'withdrawn' ? 'case.withdraw' : 'case.cancel', `case:${doc.no}`, { reason }, s);
    },
  }));
  return { id: String(doc._id), status: changes.set.status! };
}

/** `POST /cases/:id/withdraw`: the applicant, before any department completed a step. */
export async function withdrawCase(models: Models, conn: Connection, user: SessionUser, id: string, reason: string, ip?: string) {
  return mutateCase(models, async () => {
    const doc = await caseOf(models, user.tenant, id);
    return doc && doc.applicant === user.id ? doc : null;
  }, async (doc) => {
    notEnded(doc);
    const done = doc.tasks.find((t) => staffTask(t) && t.state === 'done');
    if (done) throw new DomainError('moved-on', `「${done.name}」已办理，办件已受理，不能撤回申请；如需停办请联系办理部门`);
    return endCase(models, conn, doc, 'withdrawn', user, reason, ip);
  });
}

/** `POST /admin/cases/:id/cancel`: the city's admin, any time before the case ends. */
export async function cancelCaseByAdmin(models: Models, conn: Connection, admin: SessionUser, id: string, reason: string, ip?: string) {
  return mutateCase(models, () => caseOf(models, admin.tenant, id), async (doc) => {
    notEnded(doc);
    return endCase(models, conn, doc, 'cancelled', admin, reason, ip);
  });
}

// ---- 挂起 / 恢复 -------------------------------------------------------------------------------

/** Staff of a department with an open task in the case, or the city's admin; 404 for who may not see it. */
function mayHold(user: SessionUser, doc: CaseWithId): void {
  if (user.roles.includes('admin')) return;
  const mine = doc.tasks.filter((t) => user.departments.includes(t.department));
  if (!mine.length) throw new DomainError('not-found', '办件不存在');
  if (!mine.some(isOpen)) throw new DomainError('forbidden', '只有在该办件有待办的部门或管理员可以挂起、恢复');
}

/** `POST /cases/:id/suspend`. */
export async function suspendCase(models: Models, conn: Connection, user: SessionUser, id: string, body: { reason: string; until?: string }, ip?: string) {
  const now = new Date();
  let until: Date | undefined;
  if (body.until !== undefined) {
    until = new Date(body.until);
    const max = now.getTime() + MAX_SUSPENSION_DAYS * 86_400_000;
    if (Number.isNaN(until.getTime()) || until.getTime() <= now.getTime() || until.getTime() > max) {
      throw new DomainError('invalid', `恢复时间须是今后 ${MAX_SUSPENSION_DAYS} 天内的日期时间`, { errors: [{ path: 'until', message: '须是将来的日期时间' }] });
    }
  }
  return mutateCase(models, () => caseOf(models, user.tenant, id), async (doc) => {
    mayHold(user, doc);
    if (doc.status === 'suspended') throw new DomainError('case-suspended', '办件已挂起');
    notEnded(doc);
    const suspension: CaseSuspension = { at: now, by: user.username, reason: body.reason, resumeStatus: doc.status, ...(until ? { until } : {}) };
    const detail = until ? `${body.reason}（至 ${until.toISOString()}）` : body.reason;
    await conn.transaction(async (s) => {
      const res = await models.Case.updateOne({ _id: doc._id, rev: doc.rev }, {
        $set: { status: 'suspended', suspension, ...pauseClock(doc, now).set },
        $push: { timeline: { at: now, actor: user.username, action: 'case.suspended', detail } },
        $inc: { rev: 1 },
      }, { session: s });
      if (res.matchedCount === 0) throw new RevisionConflict();
      await holdTimers(models, String(doc._id), s);
      if (until) await models.Timer.create([{ tenant: doc.tenant, caseId: String(doc._id), waitId: `${RESUME_TIMER_PREFIX}${doc.rev + 1}`, dueAt: until, leaseUntil: null, firedAt: null }], { session: s });
      await models.Notification.create([{ ...applicantNotice(doc, 'suspended', `您的办件 ${doc.no ?? ''} 已暂停办理：${body.reason}`, now), tenant: doc.tenant, user: doc.applicant }], { session: s });
      await notifyDepartments(models, doc, doc.tasks.filter((t) => isOpen(t) && staffTask(t)).map((t) => t.department), 'suspended', `办件 ${doc.no ?? ''} 已挂起：${body.reason}`, now, s);
      await audit(models, { tenant: doc.tenant, name: user.username, ip }, 'case.suspend', `case:${doc.no}`, { reason: body.reason, until: until?.toISOString() }, s);
    });
    return { id: String(doc._id), status: 'suspended' as const, until: until?.toISOString() ?? null };
  });
}

/**
 * `POST /cases/:id/resume` (`user`), or the scheduler when `until` came (`user` null; `alsoWrite`
 * marks its timer fired in the same transaction). Due dates move by the time suspended.
 */
export async function resumeCase(models: Models, conn: Connection, user: SessionUser | null, id: string, opts: { ip?: string; tenant?: string; now?: Date; alsoWrite?: (s: ClientSession) => Promise<void> } = {}) {
  const now = opts.now ?? new Date();
  const actor = user?.username ?? 'system';
  return mutateCase(models, () => caseOf(models, user?.tenant ?? opts.tenant!, id), async (doc) => {
    if (user) mayHold(user, doc);
    if (doc.status !== 'suspended' || !doc.suspension) throw new DomainError('moved-on', '办件未挂起');
    const status = doc.suspension.resumeStatus;
    // Back to 补正: the clock stays paused (and the timers held) until the resubmission resumes it.
    const clock = status === 'needs-correction' ? { set: {}, shiftMs: 0, timerShifts: [] } : resumeClock(doc, now);
    await conn.transaction(async (s) => {
      const res = await models.Case.updateOne({ _id: doc._id, rev: doc.rev }, {
        $set: { status, suspension: null, ...clock.set },
        $push: { timeline: { at: now, actor, action: 'case.resumed', detail: user ? undefined : '挂起期满自动恢复' } },
        $inc: { rev: 1 },
      }, { session: s });
      if (res.matchedCount === 0) throw new RevisionConflict();
      const caseId = String(doc._id);
      if (status !== 'needs-correction') await releaseTimers(models, caseId, clock.timerShifts, s);
      // the scheduler marks its own timer fired first; any other automatic resume is dropped
      await opts.alsoWrite?.(s);
      await models.Timer.updateMany({ caseId, waitId: trusted({ $regex: `^${RESUME_TIMER_PREFIX}` }), firedAt: null }, { $set: { firedAt: new Date(0) } }, { session: s });
      await models.Notification.create([{ ...applicantNotice(doc, 'resumed', `您的办件 ${doc.no ?? ''} 已恢复办理`, now), tenant: doc.tenant, user: doc.applicant }], { session: s });
      await notifyDepartments(models, doc, doc.tasks.filter((t) => isOpen(t) && staffTask(t)).map((t) => t.department), 'resumed', `办件 ${doc.no ?? ''} 已恢复办理`, now, s);
      await audit(models, { tenant: doc.tenant, name: actor, ip: opts.ip }, 'case.resume', `case:${doc.no}`, { pausedMs: clock.shiftMs }, s);
    });
    return { id: String(doc._id), status, pausedMs: clock.shiftMs };
  });
}

// ---- incidents ------------------------------------------------------------------------------

/** `GET /admin/incidents`: the open incidents of the city's running cases (id = `<case id>.<index>`). */
export async function listIncidents(models: Models, admin: SessionUser) {
  const docs = await models.Case.find({ tenant: admin.tenant, 'flow.state.status': 'active', 'flow.state.incidents.0': trusted({ $exists: true }) })
    .select({ no: 1, matter: 1, applicantName: 1, status: 1, flow: 1 }).sort({ _id: -1 }).limit(500).lean();
  return docs.flatMap((doc) => openIncidents(doc.flow.state as unknown as FlowState).map((i) => ({
    id: `${String(doc._id)}.${i.index}`, caseId: String(doc._id), caseNo: doc.no, matterTitle: doc.matter.title, caseStatus: doc.status,
    elementId: i.el, flowId: i.flow ?? null, code: i.code, message: i.message, at: i.at,
  })));
}

/** `POST /admin/incidents/:id/retry`: re-runs the failed step; 409 `retry-failed` (nothing saved) when it fails again. */
export async function retryCaseIncident(models: Models, conn: Connection, admin: SessionUser, incidentId: string, ip?: string) {
  const m = /^([0-9a-f]{24})\.(\d{1,4})$/.exec(incidentId);
  if (!m) throw new DomainError('not-found', '故障不存在');
  const index = Number(m[2]);
  return mutateCase(models, () => caseOf(models, admin.tenant, m[1]!), async (doc) => {
    refuseWhileSuspended(doc);
    const state = doc.flow.state as unknown as FlowState | null;
    const incident = state?.incidents?.[index];
    if (!state || !incident || incident.resolved || state.status !== 'active') throw new DomainError('not-found', '故障不存在或已处理');
    const now = new Date();
    const changes = await advanceCase({ models, conn }, doc, { actor: admin.username, now }, (def) => {
      const step = retryIncident(def, state, index, { now: now.toISOString(), actor: admin.username });
      const again = step.effects.find((e) => e.type === 'incident');
      if (again?.type === 'incident') throw new DomainError('retry-failed', `重试仍未成功：${again.message}`, { incident: again.code });
      return {
        step,
        event: { at: now, actor: admin.username, action: 'incident.retried', elementId: incident.el, detail: incident.code },
        alsoWrite: (s) => audit(models, { tenant: doc.tenant, name: admin.username, ip }, 'incident.retry', `case:${doc.no}`, { element: incident.el, code: incident.code }, s),
      };
    });
    return { id: incidentId, resolved: true, caseStatus: changes.set.status };
  });
}

/**
 * An early answer for a suspended case (挂起), before any work. The rule itself is enforced on
 * every write of tasks or flow by the case model (models/case-suspension.ts).
 */
export function refuseWhileSuspended(doc: Pick<CaseWithId, 'status'>): void {
  if (doc.status === 'suspended') throw new DomainError('case-suspended', SUSPENDED_MESSAGE);
}
