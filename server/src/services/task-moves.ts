/**
 * The office's moves on a task (docs/office-moves.md): 转办 transfer, 委派 delegate, 加签
 * add-signers (before / after / parallel), 抄送 cc, 催办 remind; and the staff list the tasklist
 * picks colleagues from. Each move is checked against the case as read, written with the case's
 * revision check (a concurrent change: `mutateCase` reads again and decides afresh, so a task that
 * moved on meanwhile is refused 409), and recorded in the timeline, the audit and the
 * notifications of the people it concerns — all in one transaction.
 *
 * 加签 lives at the task level, not in the BPMN: each added signer gets a sub-task (`kind:
 * 'countersign'`, `parentId` = the task, `assignee` = the signer) in the case's `tasks`, on the
 * parent's wait (so when the wait goes away — a boundary timer, a rejection elsewhere — the
 * sub-tasks are withdrawn with it). The engine step of the parent happens once, in
 * `completeTask`, when the claimant's completion and every signer's approval are in
 * (`onComplete` below decides, `completeTask` takes the step).
 */
import crypto from 'node:crypto';
import { trusted, type ClientSession, type Connection } from 'mongoose';
import type { CaseTask, Models, NotificationDoc } from '../models';
import type { TimelineEntry } from '../models/cases';
import { validateSubmission } from './application-form';
import { audit } from './audit';
import type { SessionUser } from './auth';
import { mutateCase, RevisionConflict, type CaseWithId } from './case-store';
import { matterVersion } from './definitions';
import { DomainError } from './errors';

export const COUNTERSIGN_KIND = 'countersign';
/** The outcomes of a 加签 sub-task. */
export const COUNTERSIGN_OUTCOMES = ['approved', 'rejected'];
export const MAX_SIGNERS = 10;
export const MAX_CC = 20;
/** One 催办 per task per this many milliseconds. */
export const REMIND_INTERVAL_MS = 60 * 60 * 1000;

const OPEN = ['open', 'claimed'];
const isOpen = (t: CaseTask) => OPEN.includes(t.state);

type Services = { models: Models; conn: Connection };

async function caseOfTask(models: Models, tenant: string, taskId: string): Promise<CaseWithId | null> {
  return models.Case.findOne({ tenant, 'tasks.id': taskId }).lean() as Promise<CaseWithId | null>;
}

/** The task as its case holds it, or 404 (also for a task of another city: nothing leaks). */
function taskIn(doc: CaseWithId, taskId: string): CaseTask {
  const task = doc.tasks.find((t) => t.id === taskId);
  if (!task) throw new DomainError('not-found', '待办不存在');
  return task;
}

function mustBeOpen(task: CaseTask) {
  if (!isOpen(task)) throw new DomainError('already-done', '该待办已办结或已撤销');
}

/** The staff member works in the task's department (else the task is not theirs to see: 404). */
function mustBeInDepartment(user: SessionUser, task: CaseTask) {
  const mine = user.roles.includes('staff') && user.departments.includes(task.department) && (!task.assignee || task.assignee === user.username || task.owner === user.username);
  if (!mine) throw new DomainError('not-found', '待办不存在');
}

function mustBeClaimant(user: SessionUser, task: CaseTask, move: string) {
  if (task.state !== 'claimed' || task.claimedBy !== user.username) {
    if (task.state === 'claimed') throw new DomainError('claimed', `该待办已由 ${task.claimedBy} 认领，只有认领人可以${move}`);
    throw new DomainError('forbidden', `请先认领该待办，再${move}`);
  }
}

/** Refuses a move while the task waits for a delegate or added signers. */
function mustBeFree(doc: CaseWithId, task: CaseTask, move: string) {
  if (task.kind === COUNTERSIGN_KIND) throw new DomainError('forbidden', `加签审批不能${move}`);
  if (task.department === 'applicant' || task.kind === 'promise') throw new DomainError('forbidden', `该待办不能${move}`);
  if (task.delegation === 'pending') throw new DomainError('waiting-for-signers', `该待办已委派给 ${task.assignee}，须等其办理后才能${move}`);
  if (task.countersign || task.held || doc.tasks.some((t) => t.parentId === task.id && isOpen(t))) {
    throw new DomainError('waiting-for-signers', `该待办正在加签，须等加签人审批后才能${move}`);
  }
}

interface StaffRow { id: string; username: string; displayName: string; departments: string[] }

/** Enabled staff accounts of the city by username (the others are simply absent). */
async function staffNamed(models: Models, tenant: string, usernames: string[]): Promise<Map<string, StaffRow>> {
  const docs = await models.User.find({ tenant, username: trusted({ $in: usernames.slice(0, 50) }), roles: 'staff', disabled: trusted({ $ne: true }) })
    .select({ username: 1, displayName: 1, departments: 1 }).lean();
  return new Map(docs.map((d) => [d.username, { id: String(d._id), username: d.username, displayName: d.displayName, departments: d.departments }]));
}

/** The user ids of the enabled staff of these departments (at most 500). */
async function staffOf(models: Models, tenant: string, departments: string[]): Promise<string[]> {
  if (!departments.length) return [];
  const docs = await models.User.find({ tenant, roles: 'staff', departments: trusted({ $in: departments }), disabled: trusted({ $ne: true }) }).select({ _id: 1 }).limit(500).lean();
  return docs.map((d) => String(d._id));
}

async function idsOf(models: Models, tenant: string, usernames: string[]): Promise<string[]> {
  if (!usernames.length) return [];
  const docs = await models.User.find({ tenant, username: trusted({ $in: usernames.slice(0, 50) }) }).select({ _id: 1 }).lean();
  return docs.map((d) => String(d._id));
}

/**
 * 404 unless the task is one of the caller's city and department (checked before the request
 * body, so an id of another city or department answers 404 whatever was sent).
 */
export async function requireOwnTask(models: Models, user: SessionUser, taskId: string): Promise<void> {
  const doc = await caseOfTask(models, user.tenant, taskId);
  if (!doc) throw new DomainError('not-found', '待办不存在');
  mustBeInDepartment(user, taskIn(doc, taskId));
}

const badTarget = (path: string, message: string) => new DomainError('invalid', message, { errors: [{ path, message }] });

/** What a move writes: the case's tasks (and more), its timeline, its audit record and the notifications, in one transaction at the case's revision. */
interface MoveWrite {
  set: Record<string, unknown>;
  timeline: TimelineEntry[];
  audit: { action: string; details: Record<string, unknown> };
  notify?: { users: string[]; kind: NotificationDoc['kind']; message: string };
}

async function writeMove({ models, conn }: Services, doc: CaseWithId, actor: { name: string; ip?: string }, w: MoveWrite, session?: ClientSession) {
  const run = async (s: ClientSession) => {
    const res = await models.Case.updateOne({ _id: doc._id, rev: doc.rev }, { $set: w.set, $push: { timeline: { $each: w.timeline } }, $inc: { rev: 1 } }, { session: s });
    if (res.matchedCount === 0) throw new RevisionConflict();
    await audit(models, { tenant: doc.tenant, name: actor.name, ip: actor.ip }, w.audit.action, `case:${doc.no ?? String(doc._id)}`, w.audit.details, s);
    const users = [...new Set(w.notify?.users ?? [])];
    if (w.notify && users.length) {
      const at = new Date();
      await models.Notification.insertMany(users.map((user) => ({ tenant: doc.tenant, user, caseId: String(doc._id), caseNo: doc.no, kind: w.notify!.kind, message: w.notify!.message, at, readAt: null })), { session: s });
    }
  };
  if (session) await run(session);
  else await conn.transaction(run);
}

const withReason = (text: string, reason?: string) => (reason ? `${text} · ${reason}` : text);

/** `POST /tasks/:id/transfer`: 转办 — the task goes to a colleague of the same department, claimed by them. */
export async function transferTask(s: Services, user: SessionUser, taskId: string, body: { to: string; reason?: string }, ip?: string) {
  const { models } = s;
  return mutateCase(models, () => caseOfTask(models, user.tenant, taskId), async (doc) => {
    const task = taskIn(doc, taskId);
    mustBeInDepartment(user, task);
    mustBeOpen(task);
    if (task.state === 'claimed' && task.claimedBy !== user.username) throw new DomainError('claimed', `该待办已由 ${task.claimedBy} 认领，只有认领人可以转办`);
    mustBeFree(doc, task, '转办');
    if (body.to === user.username) throw badTarget('to', '不能转办给自己');
    const target = (await staffNamed(models, user.tenant, [body.to])).get(body.to);
    // Unknown, disabled, of another city or of another department: the same answer.
    if (!target || !target.departments.includes(task.department)) throw badTarget('to', '本部门没有该工作人员');
    const now = new Date();
    const tasks = doc.tasks.map((t) => (t.id === taskId ? { ...t, state: 'claimed' as const, claimedBy: target.username, assignee: undefined } : t));
    await writeMove(s, doc, { name: user.username, ip }, {
      set: { tasks },
      timeline: [{ at: now, actor: user.username, action: 'task.transferred', elementId: task.elementId, detail: withReason(`${task.name} → ${target.displayName}（${target.username}）`, body.reason) }],
      audit: { action: 'task.transfer', details: { task: task.name, taskId, from: task.claimedBy ?? null, to: target.username, reason: body.reason } },
      notify: { users: [target.id], kind: 'task-moved', message: `${user.displayName} 将办件 ${doc.no ?? ''} 的待办「${task.name}」转办给您${body.reason ? `：${body.reason}` : ''}` },
    });
    return { id: taskId, state: 'claimed' as const, claimedBy: target.username };
  });
}

/** `POST /tasks/:id/delegate`: 委派 — a colleague handles it, then it returns to the delegator, who completes it. */
export async function delegateTask(s: Services, user: SessionUser, taskId: string, body: { to: string; reason?: string }, ip?: string) {
  const { models } = s;
  return mutateCase(models, () => caseOfTask(models, user.tenant, taskId), async (doc) => {
    const task = taskIn(doc, taskId);
    mustBeInDepartment(user, task);
    mustBeOpen(task);
    mustBeClaimant(user, task, '委派');
    mustBeFree(doc, task, '委派');
    if (body.to === user.username) throw badTarget('to', '不能委派给自己');
    const target = (await staffNamed(models, user.tenant, [body.to])).get(body.to);
    if (!target || !target.departments.includes(task.department)) throw badTarget('to', '本部门没有该工作人员');
    const now = new Date();
    const tasks = doc.tasks.map((t) => (t.id === taskId
      ? { ...t, state: 'claimed' as const, claimedBy: target.username, assignee: target.username, owner: user.username, delegation: 'pending' as const, delegateResult: undefined }
      : t));
    await writeMove(s, doc, { name: user.username, ip }, {
      set: { tasks },
      timeline: [{ at: now, actor: user.username, action: 'task.delegated', elementId: task.elementId, detail: withReason(`${task.name} → ${target.displayName}（${target.username}）`, body.reason) }],
      audit: { action: 'task.delegate', details: { task: task.name, taskId, to: target.username, reason: body.reason } },
      notify: { users: [target.id], kind: 'task-moved', message: `${user.displayName} 将办件 ${doc.no ?? ''} 的待办「${task.name}」委派给您办理${body.reason ? `：${body.reason}` : ''}，办理后将交回委派人` },
    });
    return { id: taskId, state: 'claimed' as const, claimedBy: target.username, owner: user.username, delegation: 'pending' as const };
  });
}

/** `POST /tasks/:id/add-signers`: 加签. */
export async function addSigners(s: Services, user: SessionUser, taskId: string, body: { users: string[]; mode: 'before' | 'after' | 'parallel' }, ip?: string) {
  const { models } = s;
  return mutateCase(models, () => caseOfTask(models, user.tenant, taskId), async (doc) => {
    const task = taskIn(doc, taskId);
    mustBeInDepartment(user, task);
    mustBeOpen(task);
    mustBeClaimant(user, task, '加签');
    mustBeFree(doc, task, '加签');
    const names = [...new Set(body.users)];
    if (!names.length || names.length > MAX_SIGNERS) throw badTarget('users', `加签人须为 1 至 ${MAX_SIGNERS} 人`);
    const found = await staffNamed(models, user.tenant, names);
    const errors = names.flatMap((n, i) => (n === user.username ? [{ path: `users.${i}`, message: '不能给自己加签' }] : found.has(n) ? [] : [{ path: `users.${i}`, message: '本市没有该工作人员' }]));
    if (errors.length) throw new DomainError('invalid', `加签人中有 ${errors.length} 位不能加签`, { errors });
    const signers = names.map((n) => found.get(n)!);
    const now = new Date();
    const subtasks = body.mode === 'after' ? [] : signers.map((signer) => signerTask(task, signer, now));
    const tasks = [...doc.tasks.map((t) => (t.id === taskId ? { ...t, countersign: { mode: body.mode, signers: names, by: user.username } } : t)), ...subtasks];
    const modeName = { before: '前加签', after: '后加签', parallel: '并行加签' }[body.mode];
    await writeMove(s, doc, { name: user.username, ip }, {
      set: { tasks },
      timeline: [{ at: now, actor: user.username, action: 'task.signers-added', elementId: task.elementId, detail: `${task.name} · ${modeName}：${signers.map((x) => x.displayName).join('、')}` }],
      audit: { action: 'task.add-signers', details: { task: task.name, taskId, mode: body.mode, users: names } },
      notify: subtasks.length ? { users: signers.map((x) => x.id), kind: 'task-moved', message: `${user.displayName} 请您审批办件 ${doc.no ?? ''} 的「${task.name}」（${modeName}）` } : undefined,
    });
    return { id: taskId, mode: body.mode, signers: names, tasks: subtasks.map((t) => ({ id: t.id, assignee: t.assignee! })) };
  });
}

/** A 加签 sub-task of `parent` for `signer` (in the parent's department when the signer works there). */
function signerTask(parent: CaseTask, signer: StaffRow, now: Date): CaseTask {
  return {
    id: crypto.randomUUID(), waitId: parent.waitId, elementId: parent.elementId, kind: COUNTERSIGN_KIND, name: `加签审批：${parent.name}`,
    department: signer.departments.includes(parent.department) ? parent.department : signer.departments[0] ?? parent.department,
    outcomes: COUNTERSIGN_OUTCOMES, dueAt: parent.dueAt, state: 'claimed', claimedBy: signer.username, assignee: signer.username,
    parentId: parent.id, createdAt: now,
  };
}

export interface CompleteRequest { outcome?: string; data?: Record<string, unknown>; comment?: string }

/** What `completeTask` does after `onComplete`: answer at once, or take the engine step for this (possibly another) task and body. */
export type CompleteDecision =
  | { answer: Record<string, unknown>; proceed?: undefined }
  | { answer?: undefined; proceed?: { doc: CaseWithId; task: CaseTask; actor: string; body: CompleteRequest; events: TimelineEntry[]; alsoWrite: (s: ClientSession) => Promise<void> } };

/**
 * Called by `completeTask` once it found the task open and the caller allowed: a delegate's
 * completion hands the task back; a signer's approval or refusal is recorded (the last approval
 * turns into the held completion of the parent: `proceed`); a claimant's completion while
 * signers are due is held or refused. Anything else: `{}` (a plain completion).
 */
export async function onComplete(s: Services, doc: CaseWithId, task: CaseTask, actor: string, body: CompleteRequest, ip?: string): Promise<CompleteDecision> {
  if (task.kind === COUNTERSIGN_KIND) return signerDecides(s, doc, task, actor, body, ip);
  if (task.delegation === 'pending') return delegateResolves(s, doc, task, actor, body, ip);
  if (task.countersign) return claimantCompletes(s, doc, task, actor, body, ip);
  return {};
}

function checkOutcome(task: CaseTask, outcome: string | undefined) {
  if (outcome !== undefined || task.outcomes.length) {
    if (!task.outcomes.includes(outcome ?? '')) {
      throw new DomainError('invalid', `办理结果须为：${task.outcomes.join('、')}`, { errors: [{ path: 'outcome', message: `可选值：${task.outcomes.join('、')}` }] });
    }
  }
}

/** The task form's data, validated (a task without a form takes none); `required`: a task form is validated even when nothing was sent. */
async function checkedData(models: Models, doc: CaseWithId, task: CaseTask, data: Record<string, unknown> | undefined, required = false) {
  if (!(required && task.formKey) && (!data || !Object.keys(data).length)) return undefined;
  if (!task.formKey) throw new DomainError('invalid', '该待办没有表单，办理时不能修改办件数据', { errors: Object.keys(data ?? {}).map((k) => ({ path: k, message: '该待办不能设置此字段' })) });
  const matter = await matterVersion(models, doc.tenant, doc.matter.key, doc.matter.version);
  return validateSubmission(matter, task.formKey!, data ?? {});
}

async function delegateResolves(s: Services, doc: CaseWithId, task: CaseTask, actor: string, body: CompleteRequest, ip?: string): Promise<CompleteDecision> {
  // The delegate proposes; the delegator decides (the outcome may be left to them).
  if (body.outcome !== undefined) checkOutcome(task, body.outcome);
  const data = await checkedData(s.models, doc, task, body.data);
  const now = new Date();
  const owner = task.owner!;
  const tasks = doc.tasks.map((t) => (t.id === task.id
    ? { ...t, claimedBy: owner, assignee: undefined, delegation: 'resolved' as const, delegateResult: { by: actor, outcome: body.outcome, comment: body.comment, at: now }, ...(data ? { draftData: data } : {}) }
    : t));
  await writeMove(s, doc, { name: actor, ip }, {
    set: { tasks },
    timeline: [{ at: now, actor, action: 'task.delegate-resolved', elementId: task.elementId, detail: [task.name, body.outcome, body.comment].filter(Boolean).join(' · ') }],
    audit: { action: 'task.delegate-resolve', details: { task: task.name, taskId: task.id, outcome: body.outcome, comment: body.comment, owner } },
    notify: { users: await idsOf(s.models, doc.tenant, [owner]), kind: 'task-moved', message: `${actor} 已办理您委派的办件 ${doc.no ?? ''} 待办「${task.name}」，请您确认办结` },
  });
  return { answer: { id: task.id, state: 'claimed', claimedBy: owner, delegation: 'resolved' } };
}

async function claimantCompletes(s: Services, doc: CaseWithId, task: CaseTask, actor: string, body: CompleteRequest, ip?: string): Promise<CompleteDecision> {
  const sign = task.countersign!;
  const openSubs = doc.tasks.filter((t) => t.parentId === task.id && isOpen(t));
  if (task.held) throw new DomainError('waiting-for-signers', '您已办理，正在等待加签人审批');
  if (sign.mode === 'before') throw new DomainError('waiting-for-signers', `须等加签人（${openSubs.map((t) => t.assignee).join('、')}）审批后才能办理`);
  checkOutcome(task, body.outcome);
  // Validated now, as the completion would be: the last signer's approval must not fail on the claimant's form.
  const data = await checkedData(s.models, doc, task, body.data ?? task.draftData ?? {}, true);
  const now = new Date();
  let subtasks: CaseTask[] = [];
  let signerIds: string[] = [];
  if (sign.mode === 'after') {
    const found = await staffNamed(s.models, doc.tenant, sign.signers);
    const signers = sign.signers.map((n) => found.get(n)).filter((x): x is StaffRow => !!x);
    if (!signers.length) throw new DomainError('invalid', '加签人已不可用，请重新加签', { errors: [{ path: 'users', message: '加签人已不可用' }] });
    subtasks = signers.map((x) => signerTask(task, x, now));
    signerIds = signers.map((x) => x.id);
  }
  const held = { by: actor, outcome: body.outcome, comment: body.comment, data, at: now };
  const tasks = [...doc.tasks.map((t) => (t.id === task.id ? { ...t, held } : t)), ...subtasks];
  await writeMove(s, doc, { name: actor, ip }, {
    set: { tasks },
    timeline: [{ at: now, actor, action: 'task.held', elementId: task.elementId, detail: [task.name, body.outcome, body.comment].filter(Boolean).join(' · ') }],
    audit: { action: 'task.complete-held', details: { task: task.name, taskId: task.id, outcome: body.outcome, mode: sign.mode } },
    notify: signerIds.length ? { users: signerIds, kind: 'task-moved', message: `${actor} 请您审批办件 ${doc.no ?? ''} 的「${task.name}」（后加签）` } : undefined,
  });
  return { answer: { id: task.id, state: 'claimed', waitingFor: [...openSubs, ...subtasks].map((t) => t.assignee) } };
}

async function signerDecides(s: Services, doc: CaseWithId, sub: CaseTask, actor: string, body: CompleteRequest, ip?: string): Promise<CompleteDecision> {
  if (!COUNTERSIGN_OUTCOMES.includes(body.outcome ?? '')) {
    throw new DomainError('invalid', '加签审批结果须为：approved（同意）或 rejected（不同意）', { errors: [{ path: 'outcome', message: '可选值：approved、rejected' }] });
  }
  if (body.data && Object.keys(body.data).length) throw new DomainError('invalid', '加签审批不能修改办件数据', { errors: Object.keys(body.data).map((k) => ({ path: k, message: '加签审批不能设置此字段' })) });
  const parent = doc.tasks.find((t) => t.id === sub.parentId);
  if (!parent || !isOpen(parent)) throw new DomainError('already-done', '原待办已办结或已撤销');
  const now = new Date();
  const done = { ...sub, state: 'done' as const, completedBy: actor, outcome: body.outcome, comment: body.comment, completedAt: now };
  const claimant = parent.countersign?.by ?? parent.claimedBy;
  const claimantIds = claimant ? await idsOf(s.models, doc.tenant, [claimant]) : [];
  const detail = [parent.name, body.comment].filter(Boolean).join(' · ');
  const auditIt = { action: 'task.countersign', details: { task: parent.name, taskId: parent.id, subtask: sub.id, outcome: body.outcome, comment: body.comment } };
  if (body.outcome === 'rejected') {
    // A refusal ends the 加签: the other signers' sub-tasks are withdrawn, a held completion is
    // dropped, and the task is back with its claimant, who reads the comment and decides anew.
    const tasks = doc.tasks.map((t) => {
      if (t.id === sub.id) return done;
      if (t.parentId === parent.id && isOpen(t)) return { ...t, state: 'cancelled' as const, completedAt: now };
      if (t.id === parent.id) return { ...t, countersign: undefined, held: undefined };
      return t;
    });
    await writeMove(s, doc, { name: actor, ip }, {
      set: { tasks },
      timeline: [{ at: now, actor, action: 'countersign.rejected', elementId: parent.elementId, detail }],
      audit: auditIt,
      notify: { users: claimantIds, kind: 'task-moved', message: `加签人 ${actor} 不同意办件 ${doc.no ?? ''} 的「${parent.name}」${body.comment ? `：${body.comment}` : ''}，待办已退回您处理` },
    });
    return { answer: { id: sub.id, state: 'done', parentId: parent.id } };
  }
  const others = doc.tasks.filter((t) => t.parentId === parent.id && t.id !== sub.id && isOpen(t));
  const event: TimelineEntry = { at: now, actor, action: 'countersign.approved', elementId: parent.elementId, detail };
  if (others.length) {
    await writeMove(s, doc, { name: actor, ip }, { set: { tasks: doc.tasks.map((t) => (t.id === sub.id ? done : t)) }, timeline: [event], audit: auditIt });
    return { answer: { id: sub.id, state: 'done', parentId: parent.id } };
  }
  const freed = { ...parent, countersign: undefined, held: undefined };
  const tasks = doc.tasks.map((t) => (t.id === sub.id ? done : t.id === parent.id ? freed : t));
  if (parent.held && parent.countersign?.mode !== 'before') {
    // The last approval: the claimant's held completion now takes the engine step (once).
    const held = parent.held;
    return {
      proceed: {
        doc: { ...doc, tasks }, task: freed, actor: held.by, body: { outcome: held.outcome, comment: held.comment, data: held.data }, events: [event],
        alsoWrite: (session) => audit(s.models, { tenant: doc.tenant, name: actor, ip }, auditIt.action, `case:${doc.no ?? String(doc._id)}`, auditIt.details, session),
      },
    };
  }
  await writeMove(s, doc, { name: actor, ip }, {
    set: { tasks }, timeline: [event], audit: auditIt,
    notify: { users: claimantIds, kind: 'task-moved', message: `加签人已全部同意办件 ${doc.no ?? ''} 的「${parent.name}」，请您继续办理` },
  });
  return { answer: { id: sub.id, state: 'done', parentId: parent.id } };
}

/** `POST /tasks/:id/cc`: 抄送 — read-only access to the case for these accounts and departments, and a notification. */
export async function ccTask(s: Services, user: SessionUser, taskId: string, body: { users?: string[]; departments?: string[] }, ip?: string) {
  const { models } = s;
  const names = [...new Set(body.users ?? [])];
  const depts = [...new Set(body.departments ?? [])];
  if (!names.length && !depts.length) throw badTarget('users', '请选择抄送的人员或部门');
  if (names.length > MAX_CC || depts.length > MAX_CC) throw badTarget('users', `抄送人员和部门各不超过 ${MAX_CC} 个`);
  return mutateCase(models, () => caseOfTask(models, user.tenant, taskId), async (doc) => {
    const task = taskIn(doc, taskId);
    mustBeInDepartment(user, task);
    mustBeOpen(task);
    mustBeClaimant(user, task, '抄送');
    const found = await staffNamed(models, user.tenant, names);
    const known = new Set((await models.Department.find({ tenant: user.tenant, key: trusted({ $in: depts }) }).select({ key: 1 }).lean()).map((d) => d.key));
    const errors = [
      ...names.flatMap((n, i) => (found.has(n) ? [] : [{ path: `users.${i}`, message: '本市没有该工作人员' }])),
      ...depts.flatMap((d, i) => (known.has(d) ? [] : [{ path: `departments.${i}`, message: '本市没有该部门' }])),
    ];
    if (errors.length) throw new DomainError('invalid', `抄送对象中有 ${errors.length} 个不存在`, { errors });
    const users = names.map((n) => found.get(n)!);
    const cc = { users: [...new Set([...(doc.cc?.users ?? []), ...users.map((u) => u.id)])], departments: [...new Set([...(doc.cc?.departments ?? []), ...depts])] };
    const recipients = [...users.map((u) => u.id), ...(await staffOf(models, user.tenant, depts))];
    const now = new Date();
    await writeMove(s, doc, { name: user.username, ip }, {
      set: { cc },
      timeline: [{ at: now, actor: user.username, action: 'case.cc', elementId: task.elementId, detail: `${task.name} → ${[...users.map((u) => u.displayName), ...depts].join('、')}` }],
      audit: { action: 'task.cc', details: { task: task.name, taskId, users: names, departments: depts } },
      notify: { users: recipients, kind: 'cc', message: `${user.displayName} 抄送给您办件 ${doc.no ?? ''}（${task.name}），供您知悉` },
    });
    return { id: taskId, cc: { users: names, departments: depts } };
  });
}

/** Whether the case was 抄送 to the viewer (their account or one of their departments). */
export function ccSees(viewer: { id: string; roles: readonly string[]; departments: readonly string[] }, doc: { cc?: { users: string[]; departments: string[] } }): boolean {
  if (!doc.cc) return false;
  if (doc.cc.users?.includes(viewer.id)) return true;
  return viewer.roles.includes('staff') && (doc.cc.departments ?? []).some((d) => viewer.departments.includes(d));
}

/** `POST /tasks/:id/remind`: 催办 by the case's applicant or an admin; once per task per hour. */
export async function remindTask(s: Services, user: SessionUser, taskId: string, ip?: string, now = new Date()) {
  const { models } = s;
  return mutateCase(models, () => caseOfTask(models, user.tenant, taskId), async (doc) => {
    const task = taskIn(doc, taskId);
    const admin = user.roles.includes('admin');
    if (!admin && doc.applicant !== user.id) throw new DomainError('not-found', '待办不存在');
    mustBeOpen(task);
    if (task.department === 'applicant') throw new DomainError('forbidden', '这是申请人自己的待办，不能催办');
    const last = task.remindedAt ? +new Date(task.remindedAt) : 0;
    const wait = last + REMIND_INTERVAL_MS - +now;
    if (wait > 0) {
      const minutes = Math.ceil(wait / 60000);
      throw new DomainError('too-soon', `该待办一小时内已催办过，请 ${minutes} 分钟后再试`, { retryAfter: Math.ceil(wait / 1000) });
    }
    const holder = task.assignee ?? (task.state === 'claimed' ? task.claimedBy : undefined);
    const recipients = holder ? await idsOf(models, doc.tenant, [holder]) : await staffOf(models, doc.tenant, [task.department]);
    const tasks = doc.tasks.map((t) => (t.id === taskId ? { ...t, remindedAt: now } : t));
    await writeMove(s, doc, { name: user.username, ip }, {
      set: { tasks },
      timeline: [{ at: now, actor: user.username, action: 'task.reminded', elementId: task.elementId, detail: task.name }],
      audit: { action: 'task.remind', details: { task: task.name, taskId, to: holder ?? `department:${task.department}` } },
      notify: { users: recipients, kind: 'reminder', message: `办件 ${doc.no ?? ''} 的待办「${task.name}」被催办，请尽快办理` },
    });
    return { id: taskId, remindedAt: now.toISOString(), notified: recipients.length };
  });
}

/** `GET /staff`: the city's enabled staff (of one department), username and name only — whom a move may name. */
export async function listStaff(models: Models, user: SessionUser, department?: string) {
  const filter: Record<string, unknown> = { tenant: user.tenant, roles: 'staff', disabled: trusted({ $ne: true }) };
  if (department) filter.departments = department;
  const docs = await models.User.find(filter).select({ username: 1, displayName: 1, departments: 1 }).sort({ username: 1 }).limit(500).lean();
  return docs.map((d) => ({ username: d.username, name: d.displayName, departments: d.departments }));
}
