/**
 * Tasks: department queues, claim/unclaim, completion (the engine step + an optimistic
 * revision check: of many parallel completions of one task exactly one wins, the rest get 409),
 * messages from department systems, and their outbox.
 */
import { complete, correlate, walkSchema, type FieldSchema, type FlowState } from '@lianban/runtime';
import { crossCheckTaskForm } from './task-form-prefill';
import type { Connection } from 'mongoose';
import { LRUCache } from 'lru-cache';
import type { CaseDoc, CaseTask, MatterVersionDoc, Models } from '../models';
import { advanceCase } from './advance-case';
import { validateSubmission } from './application-form';
import { audit, dataChanges, type Actor, type DataChange } from './audit';
import { peopleOf } from './case-people';
import type { DepartmentCaller, SessionUser } from './auth';
import { mutateCase, RevisionConflict, type CaseWithId } from './case-store';
import { matterVersion } from './definitions';
import { DomainError } from './errors';
import { fulfilPromises, PROMISE_TASK_KIND } from './promises';
import { keepRecallPoint, refuseWhileSuspended } from './case-moves';
import { onComplete } from './task-moves';
import { recordItemResult, taskFormApplies } from './item-results';

/** Who completes: a signed-in user, or a department system by API key. */
export type Completer = { user: SessionUser; system?: undefined } | { user?: undefined; system: DepartmentCaller };

const OPEN = ['open', 'claimed'];

function mayWork(c: Completer, task: CaseTask, doc: Pick<CaseWithId, 'applicant'>): boolean {
  // a delegate's or an added signer's task is theirs alone (the delegator is told it is held: 409)
  if (task.assignee && c.user?.username !== task.assignee && c.user?.username !== task.owner) return false;
  if (c.system) return c.system.department === task.department;
  if (task.department === 'applicant') return doc.applicant === c.user.id;
  return c.user.roles.includes('staff') && c.user.departments.includes(task.department);
}

function nameOf(c: Completer): string {
  return c.user ? c.user.username : `apikey:${c.system!.keyPrefix}`;
}

async function caseOfTask(models: Models, tenant: string, taskId: string): Promise<CaseWithId | null> {
  // the driver's find (what mongoose's lean findOne sends; the id is text from the path)
  return models.Case.collection.findOne({ tenant: String(tenant), 'tasks.id': String(taskId) }) as Promise<CaseWithId | null>;
}

/**
 * `GET /tasks`: a staff member's department queues, an administrator's view of every task of the
 * city (for the dashboard), or an applicant's own tasks; a page of `page.limit` and the key to
 * continue after (`next`) when more remain.
 */
export async function listTasks(
  models: Models, user: SessionUser, query: { state?: string; department?: string; q?: string; id?: string },
  page: { limit: number; after?: (string | number | null)[] } = { limit: 50 },
) {
  const states = query.state === 'done' ? ['done'] : query.state === 'all' ? ['open', 'claimed', 'done', 'cancelled'] : OPEN;
  const isAdmin = user.roles.includes('admin');
  const isStaff = user.roles.includes('staff');
  const mine = isStaff ? user.departments : ['applicant'];
  const departments = query.department ? (isAdmin ? [query.department] : mine.filter((d) => d === query.department)) : mine;
  const base: Record<string, unknown> = { tenant: String(user.tenant) };
  if (!isStaff && !isAdmin) base.applicant = String(user.id);
  if (query.q) base.no = String(query.q);
  const inDepartments = !isAdmin || query.department ? departments : null;
  const after = page.after as TaskCursor | undefined;
  // Open work is listed whole, finished work from the recent cases (HISTORY_DAYS, HISTORY_CASES).
  const open = states.filter((s) => OPEN.includes(s));
  const closed = states.filter((s) => !OPEN.includes(s));
  // One task by its id (the task page): found in any state, however old, through the tasks.id index.
  const id = query.id === undefined ? undefined : String(query.id);
  const scope: QueueScope = { base, departments: inDepartments, open, closed, id };
  // The queue's order, from the pass's snapshot when a later page asks within QUEUE_SNAPSHOT_MS
  // (one read of the whole queue per pass, not one per page), else read now.
  const snapshotKey = id === undefined ? JSON.stringify([String(user.id), user.roles, scope]) : undefined;
  let order = after && snapshotKey ? queueSnapshots.get(snapshotKey) : undefined;
  if (!order) {
    order = await queueOrder(models, scope);
    if (snapshotKey && order.length <= MAX_SNAPSHOT_TASKS) queueSnapshots.set(snapshotKey, order);
  }
  const start = after ? firstAfter(order, after) : 0;
  const slice = order.slice(start, start + page.limit);
  const rows = await pageRows(models, scope, slice);
  // who holds each task, as the reader may know them (case-people.ts)
  const people = await peopleOf(models, user, rows.map((doc) => doc.tasks.claimedBy));
  const items = rows.map((doc) => {
    const t = doc.tasks;
    return {
      id: t.id, kind: t.kind, caseId: String(doc._id), caseNo: doc.no, matter: doc.matter.key, matterTitle: doc.matter.title,
      name: t.name, department: t.department, state: t.state, claimedBy: t.claimedBy ?? null, ...(t.claimedBy ? { claimedByName: people[t.claimedBy] ?? t.claimedBy } : {}), dueAt: t.dueAt ?? null,
      outcomes: t.outcomes, formKey: t.formKey ?? null, linkedItem: t.linkedItem ?? null, createdAt: t.createdAt,
      applicantName: doc.applicantName, caseStatus: doc.status, completedAt: t.completedAt ?? null, completedBy: t.completedBy ?? null,
      // 撤回 may be offered (the server checks again that the next step is untouched)
      recallable: t.state === 'done' && !!t.recall && t.completedBy === user.username,
      assignee: t.assignee, owner: t.owner, delegation: t.delegation, parentId: t.parentId, countersign: t.countersign, held: t.held && { by: t.held.by, at: t.held.at },
      itemResult: itemResultOf(doc.items, t),
      // the case's 承诺时限 (services/case-deadline.ts): the tasklist's 剩余/超期 tag
      caseDueAt: doc.deadline?.dueAt ?? null, caseClockPaused: !!doc.clock?.pausedAt,
    };
  });
  // more remain after the slice: continue after its last task (even when that one has changed since)
  return { items, next: start + slice.length < order.length ? slice[slice.length - 1]!.key : undefined };
}

/** What one list asks for: the case filter, the departments (null: any), the open and the finished states, one task's id. */
interface QueueScope {
  base: Record<string, unknown>;
  departments: string[] | null;
  open: string[];
  closed: string[];
  id?: string;
}

/** A task's place in the queue: its case, its id and its sort key. */
interface QueueEntry { caseId: unknown; id: string; key: TaskCursor }

/**
 * Later pages of one pass over a queue (the tasklist reads every page at once) continue in the
 * order its first page read, for QUEUE_SNAPSHOT_MS: reading the whole open queue again for each
 * page made a queue of 5,000 tasks cost 25 reads of all of it. Each page still reads its tasks
 * fresh and drops the ones no longer in the list; a task added since shows at the next first
 * page. Per process (another instance reads the order again) and per caller and query.
 */
export const QUEUE_SNAPSHOT_MS = 30_000;
/** A queue longer than this is read again for each page rather than kept. */
const MAX_SNAPSHOT_TASKS = 50_000;
const queueSnapshots = new LRUCache<string, QueueEntry[]>({
  max: 1000, ttl: QUEUE_SNAPSHOT_MS, maxSize: 200_000, sizeCalculation: (order) => order.length + 1,
});

/** The `tasks` element filter of a scope (one task must match all of it: `$elemMatch`). */
function taskFilter(states: string[], scope: QueueScope): Record<string, unknown> {
  const task: Record<string, unknown> = { state: { $in: states } };
  if (scope.departments) task.department = { $in: scope.departments };
  if (scope.id !== undefined) task.id = scope.id;
  return task;
}

const onTask = (task: Record<string, unknown>) => Object.fromEntries(Object.entries(task).map(([k, v]) => [`tasks.${k}`, v]));

/**
 * The whole queue's order: every listed task's case, id and key, sorted here (the database returns
 * the keys only; until session 13 the server read at most 1000 cases in natural order, so a longer
 * queue silently lost its newer tasks). Finished tasks come
 * from the cases changed in the last HISTORY_DAYS, at most the HISTORY_CASES last changed, not a
 * scan of every case the department ever handled.
 */
async function queueOrder(models: Models, scope: QueueScope): Promise<QueueEntry[]> {
  const parts = await Promise.all([
    scope.open.length ? orderOf(models, scope, scope.open, false) : [],
    scope.closed.length ? orderOf(models, scope, scope.closed, scope.id === undefined) : [],
  ]);
  return parts.flat().sort((x, y) => compareTaskKeys(x.key, y.key));
}

async function orderOf(models: Models, scope: QueueScope, states: string[], history: boolean): Promise<QueueEntry[]> {
  const task = taskFilter(states, scope);
  let match: Record<string, unknown> = { ...scope.base, tasks: { $elemMatch: task } };
  if (history) {
    // The cases changed in the last HISTORY_DAYS (the updatedAt index narrows to them), the
    // HISTORY_CASES last changed, ids first; only those are read. (The newest by id over every
    // case the department ever had meant reading and sorting all of them: 8 s at 100k.)
    match.updatedAt = { $gte: new Date(Date.now() - HISTORY_DAYS * 86_400_000) };
    const newest = await models.Case.collection.find(match, { sort: { updatedAt: -1, _id: -1 }, limit: HISTORY_CASES, projection: { _id: 1 } }).toArray();
    if (!newest.length) return [];
    match = { _id: { $in: newest.map((d) => d._id) } };
  }
  // One task must match both department and state ($elemMatch), so the index narrows to the cases
  // with such a task; the same condition again on each unwound task keeps only those tasks.
  const rows = await models.Case.aggregate<{ _id: unknown; tasks: Pick<CaseTask, 'id' | 'dueAt' | 'createdAt'> }>([
    { $match: match },
    // (whole tasks in, the three keys out: projecting `tasks.id` and the like on each case's array
    // before the unwind cost 40 % more at 5,000 open cases)
    { $project: { tasks: 1 } },
    { $unwind: '$tasks' },
    { $match: onTask(task) },
    { $project: { 'tasks.id': 1, 'tasks.dueAt': 1, 'tasks.createdAt': 1 } },
  ]);
  return rows.map((r) => ({ caseId: r._id, id: r.tasks.id, key: keyOf(r.tasks) }));
}

/** The listed fields of the slice's tasks, read now, in the slice's order; a task no longer in the list is left out. */
async function pageRows(models: Models, scope: QueueScope, slice: QueueEntry[]): Promise<CaseRow[]> {
  if (!slice.length) return [];
  const states = [...scope.open, ...scope.closed];
  const rows = await models.Case.aggregate<CaseRow>([
    { $match: { ...scope.base, _id: { $in: [...new Set(slice.map((e) => e.caseId))] } } },
    { $project: { no: 1, matter: 1, tasks: 1, applicantName: 1, status: 1, applicant: 1, items: 1, deadline: 1, clock: 1 } },
    { $unwind: '$tasks' },
    { $match: { ...onTask(taskFilter(states, scope)), 'tasks.id': { $in: slice.map((e) => e.id) } } },
  ]);
  const byId = new Map(rows.map((r) => [r.tasks.id, r]));
  return slice.flatMap((e) => byId.get(e.id) ?? []);
}

/** The index of the first entry after `key` (entries sorted by compareTaskKeys). */
function firstAfter(order: QueueEntry[], key: TaskCursor): number {
  let lo = 0;
  let hi = order.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareTaskKeys(order[mid]!.key, key) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function compareTaskKeys(a: TaskCursor, b: TaskCursor): number {
  const due = (a[0] ?? Infinity) - (b[0] ?? Infinity);
  if (due) return due;
  if (a[1] !== b[1]) return a[1] - b[1];
  return a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0;
}

/** The finished tasks (`state=done|all`) are those of the cases changed in the last HISTORY_DAYS, at most the HISTORY_CASES last changed. */
// (the staff tasklist states both figures: i18n 'staff.historyScope')
export const HISTORY_DAYS = 90;
export const HISTORY_CASES = 1000;

/** One unwound row of the queue's aggregate: a case's listed fields with one of its tasks. */
type CaseRow = Pick<CaseDoc, 'no' | 'matter' | 'applicantName' | 'status' | 'items' | 'deadline' | 'clock'> & { _id: unknown; tasks: CaseTask };

/** By due date (none last), then creation, then id: a total order, so a page continues after its last task. */
const keyOf = (t: { id: string; dueAt?: Date | null; createdAt: Date }): TaskCursor => [t.dueAt ? +new Date(t.dueAt) : null, +new Date(t.createdAt), t.id];

/** The declared result a done task recorded on its linked item, in one line (null: none). */
function itemResultOf(items: { key: string; resultText?: string; resultForm?: string }[] | undefined, t: CaseTask): string | null {
  if (t.state !== 'done' || !t.linkedItem || !t.formKey) return null;
  const item = items?.find((i) => i.key === t.linkedItem && i.resultForm === t.formKey);
  return item?.resultText ?? null;
}

/** Where a page of `GET /tasks` continues: [due (ms, null: none), created (ms), task id]. */
export type TaskCursor = [number | null, number, string];

export const isTaskCursor = (key: (string | number | null)[]): boolean =>
  key.length === 3 && (key[0] === null || typeof key[0] === 'number') && typeof key[1] === 'number' && typeof key[2] === 'string';


/** Claim (`claimed = true`) or release a task; 409 when someone else holds it. */
export async function claimTask(models: Models, conn: Connection, user: SessionUser, taskId: string, claim: boolean, ip?: string) {
  return mutateCase(models, () => caseOfTask(models, user.tenant, taskId), async (doc) => {
    const task = doc.tasks.find((t) => t.id === taskId);
    if (!task || !mayWork({ user }, task, doc)) throw new DomainError('not-found', '待办不存在');
    if (!OPEN.includes(task.state)) throw new DomainError('already-done', '该待办已办结');
    refuseWhileSuspended(doc);
    if (task.state === 'claimed' && task.claimedBy !== user.username) throw new DomainError('claimed', `该待办已由 ${task.claimedBy} 认领`);
    if (!claim && task.assignee) throw new DomainError('forbidden', '委派或加签给您的待办不能取消认领，请办理');
    const tasks = doc.tasks.map((t) => t.id !== taskId ? t : claim ? { ...t, state: 'claimed' as const, claimedBy: user.username } : { ...t, state: 'open' as const, claimedBy: undefined });
    // The claim and its audit record commit together.
    await conn.transaction(async (session) => {
      const res = await models.Case.updateOne({ _id: doc._id, rev: doc.rev }, { $set: { tasks }, $push: { timeline: { at: new Date(), actor: user.username, action: claim ? 'task.claimed' : 'task.released', elementId: task.elementId, detail: task.name } }, $inc: { rev: 1 } }, { session });
      if (res.matchedCount === 0) throw new RevisionConflict();
      await audit(models, { tenant: user.tenant, name: user.username, ip }, claim ? 'task.claim' : 'task.release', `task:${taskId}`, undefined, session);
    });
    return { id: taskId, state: claim ? 'claimed' : 'open', claimedBy: claim ? user.username : null };
  });
}

export interface CompleteBody { outcome?: string; data?: Record<string, unknown>; comment?: string }

/**
 * Flow variables only the engine and the server set: no task form's data and no department
 * system's message reaches the flow under these names (docs/flow-extensions.md, "What a step may set").
 */
export const RESERVED_VARIABLES: ReadonlySet<string> = new Set([
  'requestedItems', 'outcome', 'loopCounter', 'nrOfInstances', 'nrOfCompletedInstances', 'nrOfActiveInstances', 'now', 'today',
]);

/**
 * What a department system's `POST /messages` may set, the flow declaring nothing per message:
 * its result, never the application's data nor an engine-reserved name (`outcome` is the
 * receive task's outcome). Values are scalars.
 */
export const MESSAGE_VARIABLES: readonly string[] = ['outcome', 'result', 'eligible', 'reason', 'remark'];

/** The top-level data fields of a form (sections flattened, rows columns not listed). */
function dataFieldsOf(matter: MatterVersionDoc, formKey: string): Set<string> {
  const form = matter.forms.find((f) => f.key === formKey);
  if (!form) return new Set();
  return new Set(walkSchema(form.schema as FieldSchema, (n) => (n.keyed ? 'skip' : undefined)).filter((n) => n.keyed && !n.rows).map((n) => n.path));
}

const refuse = (message: string, errors: { path: string; message: string }[]) => new DomainError('invalid', message, { errors });

/** `variables` without the names that never reach the flow from outside (`omit`: also those). */
function flowVariables(data: Record<string, unknown>, omit: ReadonlySet<string> = new Set()): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).filter(([k]) => !RESERVED_VARIABLES.has(k) && !omit.has(k)));
}

/** `POST /tasks/:id/complete`. */
export async function completeTask(models: Models, conn: Connection, who: Completer, tenant: string, taskId: string, sentBody: CompleteBody, ip?: string) {
  return mutateCase(models, () => caseOfTask(models, tenant, taskId), async (doc) => {
    let actor = nameOf(who);
    let body = sentBody;
    const found = doc.tasks.find((t) => t.id === taskId);
    if (!found) throw new DomainError('not-found', '待办不存在');
    let task = found;
    if (!mayWork(who, task, doc)) throw new DomainError('forbidden', '您所在部门不能办理该待办');
    if (!OPEN.includes(task.state)) throw new DomainError('already-done', '该待办已办结或已撤销');
    refuseWhileSuspended(doc);
    if (task.state === 'claimed' && task.claimedBy !== actor) throw new DomainError('claimed', `该待办已由 ${task.claimedBy} 认领`);
    // 委派 and 加签 (task-moves.ts): handled there, or this completion is the held one, now due.
    const move = await onComplete({ models, conn }, doc, task, actor, body, ip);
    if (move.answer) return move.answer;
    if (move.proceed) ({ doc, task, actor, body } = move.proceed);
    if (task.outcomes.length && !task.outcomes.includes(body.outcome ?? '')) {
      throw new DomainError('invalid', `办理结果须为：${task.outcomes.join('、')}`, { errors: [{ path: 'outcome', message: `可选值：${task.outcomes.join('、')}` }] });
    }
    // What a completion may set: the fields of the task's own form (validated against it) — for
    // the applicant's task without one, the application form (a correction) — and its outcome;
    // a task without a form takes no data at all (422 naming the fields).
    // A task form limited to some outcomes (`x-item-result-outcomes`) is not filled for the others.
    const matter = await matterVersion(models, doc.tenant, doc.matter.key, doc.matter.version);
    const formApplies = !task.formKey || taskFormApplies(matter, task, body.outcome);
    const formKey = task.kind === PROMISE_TASK_KIND || !formApplies ? undefined : task.formKey ?? (task.department === 'applicant' ? doc.form : undefined);
    const sent = body.data ?? task.draftData ?? {};
    if (!formKey && Object.keys(sent).length) {
      throw refuse(formApplies ? '该待办没有表单，办理时不能修改办件数据' : `办理结果为「${body.outcome ?? ''}」时不填写该待办的表单`, Object.keys(sent).map((k) => ({ path: k, message: '该待办不能设置此字段' })));
    }
    if (task.kind === PROMISE_TASK_KIND) return fulfilPromiseTask(models, conn, doc, task, matter, actor, ip);
    const now = new Date();
    let variables: Record<string, unknown> | undefined;
    let changed: DataChange[] = [];
    let mismatch: string | undefined;
    const set: Record<string, unknown> = {};
    let taskForm: { key: string; data: Record<string, unknown> } | undefined;
    if (formKey && (task.formKey || body.data)) {
      const clean = validateSubmission(matter, formKey, sent);
      if (formKey === doc.form) {
        // the application itself, corrected: it replaces the case data and the flow sees it
        set.data = clean;
        changed = dataChanges(doc.data, clean, 'data');
        variables = flowVariables(clean);
      } else {
        // A task form is kept beside the application (taskForms); its fields reach the flow, but
        // never over the application's own fields (e.g. 附件5 repeats name and ID number: what
        // is pushed to other systems stays what the application says).
        set[`taskForms.${formKey}`] = clean;
        taskForm = { key: formKey, data: clean };
        changed = dataChanges(doc.taskForms?.[formKey], clean, `taskForms.${formKey}`);
        variables = flowVariables(clean, dataFieldsOf(matter, doc.form));
        // Fields prefilled from the application: a refused change → 422, a flagged one → timeline.
        mismatch = crossCheckTaskForm(matter, formKey, doc.data, clean);
      }
    }
    const done = { ...task, state: 'done' as const, completedBy: actor, outcome: body.outcome, comment: body.comment, completedAt: now };
    const changes = await advanceCase({ models, conn }, doc, { actor, now, matter }, (def, state) => ({
      // The engine's refusals (a wait no longer open: 404; an outcome or input it refuses: 422) map in http/errors.ts.
      step: complete(def, state as FlowState, task.waitId, { outcome: body.outcome, variables }, { now: now.toISOString(), actor }),
      base: { ...doc, tasks: doc.tasks.map((t) => (t.id === task.id ? done : t)) },
      event: { at: now, actor, action: 'task.completed', elementId: task.elementId, detail: [task.name, body.outcome, body.comment].filter(Boolean).join(' · ') },
      set,
      amend: (ch, st) => {
        if (move.proceed) ch.timeline.unshift(...move.proceed.events);
        if (mismatch) ch.timeline.splice(1, 0, { at: now, actor: 'system', action: 'task-form.mismatch', elementId: task.elementId, detail: mismatch });
        // the linked item's declared result (fields of the task form marked x-item-result)
        if (taskForm) recordItemResult(ch, matter, task, taskForm.key, taskForm.data, { actor, now });
        keepRecallPoint(ch, st, state as FlowState | null, taskId, task.waitId);
      },
      audit: { actor: { tenant: doc.tenant, name: actor, ip }, action: 'task.complete', target: `case:${doc.no}`, details: { task: task.name, outcome: body.outcome, changes: changed, ...(mismatch ? { mismatch } : {}) } },
      // a held completion (委派, 加签) has its own writes to commit with the step
      ...(move.proceed ? { alsoWrite: move.proceed.alsoWrite } : {}),
    }));
    return { id: taskId, state: 'done', caseStatus: changes.set.status };
  });
}

/** Completes a 容缺 task: the promised materials must be uploaded; they replace the promises in the data. */
async function fulfilPromiseTask(models: Models, conn: Connection, doc: CaseWithId, task: CaseTask, matter: MatterVersionDoc, actor: string, ip?: string) {
  const schema = matter.forms.find((f) => f.key === doc.form)!.schema as FieldSchema;
  const data = await fulfilPromises(conn, String(doc._id), schema, doc.data);
  const now = new Date();
  const tasks = doc.tasks.map((t) => (t.id === task.id ? { ...t, state: 'done' as const, completedBy: actor, completedAt: now } : t));
  const waitingOnApplicant = tasks.some((t) => t.department === 'applicant' && (t.state === 'open' || t.state === 'claimed'));
  const status = doc.status === 'needs-applicant' && !waitingOnApplicant ? 'in-progress' : doc.status;
  const res = await models.Case.updateOne({ _id: doc._id, rev: doc.rev }, {
    $set: { data, tasks, status, promised: [] },
    $push: { timeline: { at: now, actor, action: 'promise.fulfilled', detail: task.name } },
    $inc: { rev: 1 },
  });
  if (res.matchedCount === 0) throw new RevisionConflict();
  await audit(models, { tenant: doc.tenant, name: actor, ip }, 'task.complete', `case:${doc.no}`, { task: task.name, changes: dataChanges(doc.data, data, 'data') });
  return { id: task.id, state: 'done', caseStatus: status };
}


/** `POST /messages`: a department system's result for a waiting receive task / message event. */
export async function correlateMessage(models: Models, conn: Connection, system: DepartmentCaller, body: { name: string; caseNo: string; variables?: Record<string, unknown> }, ip?: string) {
  const load = () => models.Case.findOne({ tenant: system.tenant, no: body.caseNo }).lean() as Promise<CaseWithId | null>;
  if (!(await load())) throw new DomainError('not-found', `办件 ${body.caseNo} 不存在`);
  return mutateCase(models, load, async (doc) => {
    const actor = `apikey:${system.keyPrefix}`;
    const now = new Date();
    const matter = await matterVersion(models, doc.tenant, doc.matter.key, doc.matter.version);
    const variables = body.variables ?? {};
    checkMessageVariables(variables, dataFieldsOf(matter, doc.form));
    const outcome = typeof variables.outcome === 'string' ? variables.outcome : undefined;
    let elementId = '';
    let changed: DataChange[] = [];
    refuseWhileSuspended(doc);
    const changes = await advanceCase({ models, conn }, doc, { actor, now, matter }, (def, state) => {
      const matches = state && state.status === 'active' ? correlate(def, state, body.name, variables) : [];
      const wait = matches.find((w) => !w.department || w.department === system.department) ?? matches[0];
      if (!wait) throw new DomainError('no-waiting-step', `办件 ${body.caseNo} 当前没有等待消息「${body.name}」的环节`);
      if (wait.department && wait.department !== system.department) throw new DomainError('forbidden', '该消息应由其他部门发送');
      const task = doc.tasks.find((t) => t.waitId === wait.id && OPEN.includes(t.state));
      elementId = wait.elementId;
      const vars = (state as { vars?: Record<string, unknown> }).vars ?? {};
      changed = dataChanges(Object.fromEntries(Object.keys(variables).map((k) => [k, vars[k]])), variables, 'variables');
      return {
        step: complete(def, state!, wait.id, { outcome, variables }, { now: now.toISOString(), actor }),
        base: { ...doc, tasks: doc.tasks.map((t) => (t === task ? { ...t, state: 'done' as const, completedBy: actor, outcome, completedAt: now } : t)) },
        event: { at: now, actor, action: 'message.received', elementId: wait.elementId, detail: body.name },
        alsoWrite: (s) => audit(models, { tenant: doc.tenant, name: actor, ip }, 'message.correlate', `case:${doc.no}`, { name: body.name, changes: changed }, s),
      };
    });
    return { caseNo: doc.no, elementId, caseStatus: changes.set.status };
  });
}

/**
 * A message's variables: only `MESSAGE_VARIABLES`, never a field of the application form, each a
 * string (≤ 2000 characters), number, boolean or null; 422 naming every refused one.
 */
function checkMessageVariables(variables: Record<string, unknown>, applicationFields: ReadonlySet<string>): void {
  const errors: { path: string; message: string }[] = [];
  for (const [k, v] of Object.entries(variables)) {
    const path = `variables.${k}`;
    if (!MESSAGE_VARIABLES.includes(k) || applicationFields.has(k)) errors.push({ path, message: `消息不能设置该变量（可设置：${MESSAGE_VARIABLES.join('、')}）` });
    else if (!(v === null || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v.length <= 2000))) errors.push({ path, message: '须为文本（不超过 2000 字）、数字、是/否或空' });
  }
  if (errors.length) throw refuse(`消息中有 ${errors.length} 个变量不能接受`, errors);
}

/**
 * `GET /outbox`: what was pushed to the caller's department, oldest first. The department's
 * system needs the full data to do its part, so nothing is masked — and the read is audited.
 */
export async function listOutbox(models: Models, system: DepartmentCaller, actor: Actor, limit = 100) {
  const docs = await models.Outbox.find({ tenant: system.tenant, department: system.department, ackedAt: null }).sort({ createdAt: 1 }).limit(Math.min(limit, 500)).lean();
  if (docs.length) await audit(models, actor, 'outbox.read', `department:${system.department}`, { cases: [...new Set(docs.map((d) => d.caseNo))] });
  return docs.map((d) => ({ id: String(d._id), caseId: d.caseId, caseNo: d.caseNo, kind: d.kind, taskId: d.taskId ?? null, elementId: d.elementId, linkedItem: d.linkedItem ?? null, payload: d.payload, createdAt: d.createdAt }));
}

export async function ackOutbox(models: Models, system: DepartmentCaller, id: string, actor: Actor) {
  const res = await models.Outbox.updateOne({ _id: id, tenant: system.tenant, department: system.department, ackedAt: null }, { $set: { ackedAt: new Date() } });
  if (res.matchedCount === 0) throw new DomainError('not-found', '推送记录不存在或已确认');
  await audit(models, actor, 'outbox.ack', `outbox:${id}`);
}
