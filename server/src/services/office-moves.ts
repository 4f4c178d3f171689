/**
 * 退回 (return), 补正 (correction) and the administrator's move of a token (docs/office-moves.md).
 *
 * - `returnTask`: `POST /tasks/:id/return` — to an earlier user task (the engine's `moveTokens`
 *   through `advanceCase`: the task is cancelled, the target opens in its department), or to the
 *   applicant for 补正 (status `needs-correction`, one notice listing every problem, the listed
 *   fields editable, the due-date clock paused; the engine's wait stays open meanwhile).
 * - `resubmitCase`: `POST /cases/:id/resubmit` — only the listed fields may change; revalidated
 *   with the matter's form; the returning task reopens for its department, its due date (and
 *   every open task's and timer's) later by the time paused.
 * - `moveCase`: `POST /admin/cases/:id/move` — an administrator moves tokens between elements.
 * Each writes the timeline, the audit and a notification to the applicant, and is refused 409
 * when the case has moved on (task no longer open, case no longer awaiting 补正, nothing at `from`).
 */
import { EngineError, moveTokens, returnTargets, walkSchema, type FieldSchema, type FlowState } from '@lianban/runtime';
import type { CaseStatus, CaseTask, MatterVersionDoc, Models } from '../models';
import type { CaseCorrection } from '../models/cases';
import type { Connection } from 'mongoose';
import { advanceCase } from './advance-case';
import { fileIdsIn, validateSubmission } from './application-form';
import { foreignFiles } from './attachments';
import { audit, dataChanges } from './audit';
import type { SessionUser } from './auth';
import { holdTimers, pauseClock, releaseTimers, resumeClock } from './case-clock';
import { mutateCase, RevisionConflict, type CaseWithId } from './case-store';
import { matterVersion } from './definitions';
import { DomainError } from './errors';
import { refuseWhileSuspended } from './case-moves';
import { definitionFor } from './flows';
import { RESERVED_VARIABLES } from './tasks';
import { issueDueDocumentsLater } from './documents';

const OPEN = ['open', 'claimed'];
const MAX_FIELDS = 100;

export interface ReturnBody { to: string; reason: string; fields?: string[]; notes?: Record<string, string>; deadline?: string }

async function caseOfTask(models: Models, tenant: string, taskId: string): Promise<CaseWithId | null> {
  return models.Case.findOne({ tenant, 'tasks.id': taskId }).lean() as Promise<CaseWithId | null>;
}

/** The open task the user may complete (and so return); 404 / 403 / 409 otherwise. */
function workableTask(doc: CaseWithId, user: SessionUser, taskId: string): CaseTask {
  const task = doc.tasks.find((t) => t.id === taskId);
  if (!task) throw new DomainError('not-found', '待办不存在');
  if (task.department === 'applicant' || !user.roles.includes('staff') || !user.departments.includes(task.department)) {
    throw new DomainError('forbidden', '您所在部门不能办理（退回）该待办');
  }
  if (!OPEN.includes(task.state)) throw new DomainError('already-done', '该待办已办结、已退回或已撤销，办件已进入其他环节');
  if (task.state === 'claimed' && task.claimedBy !== user.username) throw new DomainError('claimed', `该待办已由 ${task.claimedBy} 认领`);
  if (task.kind !== 'userTask') throw new DomainError('invalid', '只有人工办理的环节可以退回', { errors: [{ path: 'id', message: '该待办不是人工环节' }] });
  return task;
}

/** The application form's fields an applicant may be asked to correct: path → title. */
function correctableFields(matter: MatterVersionDoc, formKey: string): Map<string, string> {
  const form = matter.forms.find((f) => f.key === formKey);
  if (!form) return new Map();
  const nodes = walkSchema(form.schema as FieldSchema).filter((n) => n.keyed && !n.path.includes('*'));
  return new Map(nodes.map((n) => [n.path, typeof n.schema.title === 'string' ? n.schema.title : n.path]));
}

/** 补正 rounds kept on a case (each has its 补正告知书). */
const MAX_ROUNDS = 100;

const CHINA_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The 补正 deadline as given (`YYYY-MM-DD`): a real date, today (China time) or later, within a year. */
function correctionDeadline(given: string | undefined, now: Date): string | undefined {
  if (given === undefined || given === '') return undefined;
  const date = new Date(`${given}T00:00:00+08:00`);
  const bad = (message: string) => refuse(message, [{ path: 'deadline', message }]);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(given) || Number.isNaN(+date) || CHINA_DAY.format(date) !== given) throw bad('补正期限不是有效日期（格式如 2026-12-20）');
  if (given < CHINA_DAY.format(now)) throw bad('补正期限不能早于今天');
  if (+date - +now > 366 * 86_400_000) throw bad('补正期限不能超过一年');
  return given;
}

const refuse = (message: string, errors: { path: string; message: string }[]) => new DomainError('invalid', message, { errors });

/** `GET /tasks/:id/return-targets`: the earlier steps the task may go back to. */
export async function returnTargetsOf(models: Models, user: SessionUser, taskId: string) {
  const doc = await caseOfTask(models, user.tenant, taskId);
  if (!doc) throw new DomainError('not-found', '待办不存在');
  const task = workableTask(doc, user, taskId);
  const matter = await matterVersion(models, doc.tenant, doc.matter.key, doc.matter.version);
  const def = await definitionFor(matter.flow);
  if (!doc.flow.state) return [];
  return returnTargets(def, doc.flow.state as unknown as FlowState, task.waitId).map((t) => ({ elementId: t.elementId, name: t.name ?? t.elementId }));
}

/** `POST /tasks/:id/return`. */
export async function returnTask(models: Models, conn: Connection, user: SessionUser, taskId: string, body: ReturnBody, ip?: string) {
  const reason = body.reason.trim();
  if (!reason) throw refuse('请填写退回理由', [{ path: 'reason', message: '必填' }]);
  return mutateCase(models, () => caseOfTask(models, user.tenant, taskId), async (doc) => {
    const task = workableTask(doc, user, taskId);
    // 挂起 first: a 补正 would overwrite the suspended status and strand the suspension
    refuseWhileSuspended(doc);
    if (doc.status === 'needs-correction') throw new DomainError('moved-on', '办件正在等待申请人补正，补正提交后才能再退回');
    const matter = await matterVersion(models, doc.tenant, doc.matter.key, doc.matter.version);
    if (body.to === 'applicant') return toApplicant(models, conn, user, doc, task, matter, { ...body, reason }, ip);
    return toStep(models, conn, user, doc, task, matter, body.to, reason, ip);
  });
}

/** 退回申请人补正: one notice, the listed fields editable, the clock paused; the engine's wait stays open. */
async function toApplicant(models: Models, conn: Connection, user: SessionUser, doc: CaseWithId, task: CaseTask, matter: MatterVersionDoc, body: ReturnBody, ip?: string) {
  const known = correctableFields(matter, doc.form);
  const fields = [...new Set(body.fields ?? [])];
  if (!fields.length) throw refuse('请选择需要申请人补正的内容', [{ path: 'fields', message: '至少选择一项' }]);
  if (fields.length > MAX_FIELDS) throw refuse(`补正内容最多 ${MAX_FIELDS} 项`, [{ path: 'fields', message: '过多' }]);
  const unknown = fields.filter((f) => !known.has(f));
  if (unknown.length) throw refuse('补正内容中有申请表没有的字段', unknown.map((f) => ({ path: `fields.${f}`, message: `申请表没有字段「${f}」` })));
  const notes: Record<string, string> = {};
  for (const [path, message] of Object.entries(body.notes ?? {})) {
    if (!fields.includes(path)) throw refuse('说明只能针对需补正的字段', [{ path: `notes.${path}`, message: '该字段不在补正范围内' }]);
    if (message.trim()) notes[path] = message.trim();
  }
  const now = new Date();
  const deadline = correctionDeadline(body.deadline, now);
  const titles = Object.fromEntries(fields.map((f) => [f, known.get(f) ?? f]));
  const correction: CaseCorrection = { taskId: task.id, elementId: task.elementId, name: task.name, department: task.department, reason: body.reason, fields, notes, by: user.username, at: now, titles, ...(deadline ? { deadline } : {}) };
  const tasks = doc.tasks.map((t) => (t.id === task.id ? { ...t, state: 'cancelled' as const, claimedBy: undefined, completedBy: user.username, comment: body.reason, completedAt: now } : t));
  const list = fields.map((f) => `${known.get(f)}${notes[f] ? `（${notes[f]}）` : ''}`).join('；');
  const caseId = String(doc._id);
  await conn.transaction(async (session) => {
    const res = await models.Case.updateOne({ _id: doc._id, rev: doc.rev }, {
      $set: { tasks, status: 'needs-correction', correction, ...pauseClock(doc, now).set },
      $push: {
        timeline: { $each: [{ at: now, actor: user.username, action: 'case.correction-requested', elementId: task.elementId, detail: `${task.name} · ${body.reason} · 需补正：${list}${deadline ? ` · 补正期限：${deadline}` : ''}` }] },
        corrections: { $each: [correction], $slice: -MAX_ROUNDS },
      },
      $inc: { rev: 1 },
    }, { session });
    if (res.matchedCount === 0) throw new RevisionConflict();
    await holdTimers(models, caseId, session);
    await models.Notification.create([{
      tenant: doc.tenant, user: doc.applicant, caseId, caseNo: doc.no, kind: 'needs-action', at: now, readAt: null,
      message: `您的办件 ${doc.no ?? ''} 需要补正（一次性告知）：${body.reason}。请修改：${list}`,
    }], { session });
    await audit(models, { tenant: doc.tenant, name: user.username, ip }, 'task.return', `case:${doc.no}`, { task: task.name, to: 'applicant', reason: body.reason, fields, notes, deadline }, session);
  });
  // The 补正告知书 of this round: generated after the commit, off the request (a PDF costs CPU);
  // `GET /cases/:id/documents` issues it if this process dies first.
  issueDueDocumentsLater({ models, conn }, caseId);
  return { id: task.id, state: 'cancelled' as const, caseStatus: 'needs-correction' as CaseStatus, to: 'applicant' };
}

/** 退回 to an earlier user task: the engine moves the token; the target opens in its department. */
async function toStep(models: Models, conn: Connection, user: SessionUser, doc: CaseWithId, task: CaseTask, matter: MatterVersionDoc, to: string, reason: string, ip?: string) {
  const now = new Date();
  let targetName = to;
  const changes = await advanceCase({ models, conn }, doc, { actor: user.username, now, matter }, (def, state) => {
    const target = state ? returnTargets(def, state, task.waitId).find((t) => t.elementId === to) : undefined;
    if (!target) {
      throw refuse('不能退回到该环节：只能退回到此前办理过的环节，且流程不允许退回到标注「不得退回」的环节之前', [{ path: 'to', message: `不能退回到「${def.elements[to]?.name ?? to}」` }]);
    }
    targetName = target.name ?? to;
    return {
      step: moveTokens(def, state!, { from: [task.waitId], to }, { now: now.toISOString(), actor: user.username }),
      base: { ...doc, tasks: doc.tasks.map((t) => (t.id === task.id ? { ...t, state: 'cancelled' as const, claimedBy: undefined, completedBy: user.username, comment: reason, completedAt: now } : t)) },
      event: { at: now, actor: user.username, action: 'task.returned', elementId: task.elementId, detail: `${task.name} → ${targetName} · ${reason}` },
      amend: (c) => c.notifications.push({ caseId: String(doc._id), caseNo: doc.no, kind: 'returned', at: now, readAt: null, message: `您的办件 ${doc.no ?? ''} 已退回至「${targetName}」重新办理` }),
      alsoWrite: (s) => audit(models, { tenant: doc.tenant, name: user.username, ip }, 'task.return', `case:${doc.no}`, { task: task.name, to, reason }, s),
    };
  });
  return { id: task.id, state: 'cancelled' as const, caseStatus: changes.set.status as CaseStatus, to };
}

/** Paths (top-level, and deeper below a listed nested path) where `after` differs from `before`, the listed ones excepted. */
function lockedChanges(before: Record<string, unknown>, after: Record<string, unknown>, listed: string[]): string[] {
  const out: string[] = [];
  const visit = (a: unknown, b: unknown, path: string, depth: number) => {
    if (listed.includes(path)) return;
    const deeper = listed.some((l) => l.startsWith(`${path}.`));
    const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
    if (deeper && depth < 10 && isObj(a) && isObj(b)) {
      for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) visit(a[k], b[k], `${path}.${k}`, depth + 1);
      return;
    }
    if (JSON.stringify(a ?? null) !== JSON.stringify(b ?? null)) out.push(path);
  };
  for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) visit(before[k], after[k], k, 0);
  return out;
}

/** `POST /cases/:id/resubmit`: 补正 done. */
export async function resubmitCase(models: Models, conn: Connection, user: SessionUser, caseId: string, data: Record<string, unknown>, ip?: string) {
  const load = () => models.Case.findOne({ _id: caseId, tenant: user.tenant, applicant: user.id }).lean() as Promise<CaseWithId | null>;
  return mutateCase(models, load, async (doc) => {
    const correction = doc.correction;
    if (doc.status !== 'needs-correction' || !correction) throw new DomainError('moved-on', '该办件当前不需要补正（可能已提交补正或已办结）');
    const matter = await matterVersion(models, doc.tenant, doc.matter.key, doc.matter.version);
    const titles = correctableFields(matter, doc.form);
    // What the applicant typed, over the stored application: only the listed fields may differ.
    const merged = { ...doc.data, ...data };
    const locked = lockedChanges(doc.data, merged, correction.fields);
    if (locked.length) {
      throw refuse(`只能修改需补正的内容，以下 ${locked.length} 项不能修改`, locked.map((p) => ({ path: p, message: `「${titles.get(p) ?? p}」不在补正范围内，不能修改` })));
    }
    const clean = validateSubmission(matter, doc.form, merged);
    const stranger = await foreignFiles(conn, String(doc._id), fileIdsIn(clean));
    if (stranger.length) throw refuse('申请材料中有不属于本办件的文件', stranger.map((f) => ({ path: 'materials', message: `文件 ${f} 不属于本办件，请重新上传` })));
    const now = new Date();
    const changed = dataChanges(doc.data, clean, 'data');
    // The returning task reopens for its department; then every open due date moves by the pause.
    const reopened = doc.tasks.map((t) => (t.id === correction.taskId ? { ...t, state: 'open' as const, completedBy: undefined, completedAt: undefined, comment: undefined } : t));
    const resumed = resumeClock({ ...doc, tasks: reopened }, now);
    // The flow sees the corrected application, as after an applicant's correction task.
    const state = resumed.set.flow.state as { vars?: Record<string, unknown> } | null;
    const vars = Object.fromEntries(Object.entries(clean).filter(([k]) => !RESERVED_VARIABLES.has(k)));
    const flow = state ? { ...resumed.set.flow, state: { ...state, vars: { ...state.vars, ...vars } } } : resumed.set.flow;
    const waitingOnApplicant = reopened.some((t) => t.department === 'applicant' && OPEN.includes(t.state));
    const status: CaseStatus = waitingOnApplicant ? 'needs-applicant' : 'in-progress';
    await conn.transaction(async (session) => {
      const res = await models.Case.updateOne({ _id: doc._id, rev: doc.rev }, {
        $set: { data: clean, status, correction: null, clock: resumed.set.clock, tasks: resumed.set.tasks, flow, ...(resumed.set.items ? { deadline: resumed.set.deadline, items: resumed.set.items } : {}) },
        $push: { timeline: { $each: [
          { at: now, actor: user.username, action: 'case.resubmitted', detail: changed.map((c) => titles.get(c.path.slice(5)) ?? c.path.slice(5)).join('、') || '未修改' },
          { at: now, actor: 'system', action: 'task.reopened', elementId: correction.elementId, detail: correction.name },
        ] } },
        $inc: { rev: 1 },
      }, { session });
      if (res.matchedCount === 0) throw new RevisionConflict();
      await releaseTimers(models, String(doc._id), resumed.timerShifts, session);
      await models.Notification.create([{ tenant: doc.tenant, user: doc.applicant, caseId: String(doc._id), caseNo: doc.no, kind: 'accepted', at: now, readAt: null, message: `您的办件 ${doc.no ?? ''} 已提交补正，继续由「${correction.name}」办理` }], { session });
      await audit(models, { tenant: doc.tenant, name: user.username, ip }, 'case.resubmit', `case:${doc.no}`, { task: correction.name, changes: changed }, session);
    });
    return { id: String(doc._id), status, taskId: correction.taskId };
  });
}

/** `POST /admin/cases/:id/move`: the administrator moves the case's tokens from `from` to `to`. */
export async function moveCase(models: Models, conn: Connection, user: SessionUser, caseId: string, body: { from: string | string[]; to: string }, ip?: string) {
  const from = Array.isArray(body.from) ? body.from : [body.from];
  const load = () => models.Case.findOne({ _id: caseId, tenant: user.tenant }).lean() as Promise<CaseWithId | null>;
  return mutateCase(models, load, async (doc) => {
    if (!doc.flow.state || !['in-progress', 'needs-applicant', 'suspended'].includes(doc.status)) { // suspended: refused at the write (models/case-suspension.ts)
      throw new DomainError('moved-on', doc.status === 'needs-correction' ? '办件正在等待申请人补正，不能移动' : '办件不在办理中，不能移动');
    }
    const now = new Date();
    const changes = await advanceCase({ models, conn }, doc, { actor: user.username, now }, (def, state) => {
      // Wait ids of the case's own tasks may be named by task id too.
      const refs = from.map((f) => doc.tasks.find((t) => t.id === f)?.waitId ?? f);
      let step;
      try {
        step = moveTokens(def, state!, { from: refs, to: body.to }, { now: now.toISOString(), actor: user.username });
      } catch (e) {
        if (e instanceof EngineError && e.code === 'unknown-wait') throw new DomainError('moved-on', `${e.message}`);
        throw e;
      }
      const name = def.elements[body.to]?.name ?? body.to;
      return {
        step,
        event: { at: now, actor: user.username, action: 'case.moved', elementId: body.to, detail: `${from.join('、')} → ${name}` },
        amend: (c) => c.notifications.push({ caseId: String(doc._id), caseNo: doc.no, kind: 'returned', at: now, readAt: null, message: `您的办件 ${doc.no ?? ''} 已由管理员调整至「${name}」办理` }),
        alsoWrite: (s) => audit(models, { tenant: doc.tenant, name: user.username, ip }, 'case.move', `case:${doc.no}`, { from, to: body.to }, s),
      };
    });
    const active = [...new Set((changes.set.flow?.state as unknown as FlowState | undefined)?.tokens.map((t) => t.element) ?? [])];
    return { id: String(doc._id), status: changes.set.status as CaseStatus, active };
  });
}
