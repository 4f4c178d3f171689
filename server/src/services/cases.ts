/**
 * Cases: submit (validate → derive → number → start the flow → store), drafts, reading with
 * masking, and the applicant's view. Tasks are in tasks.ts. Every query is scoped to the
 * caller's city; a case the caller may not see answers 404.
 */
import { activeElements, start, type FieldSchema, type FlowState } from '@lianban/runtime';
import { compileValidator, FormSchemaError } from '@lianban/runtime/validate';
import mongoose, { trusted, type ClientSession, type Connection } from 'mongoose';
import { ApiError } from '../http/errors';
import type { CaseDoc, MatterVersionDoc, Models } from '../models';
import { audit, type Actor } from './audit';
import type { SessionUser } from './auth';
import { changesFor } from './case-flow';
import { insertStep, saveStep, type CaseWithId } from './case-store';
import { latestVersion, matterVersion } from './definitions';
import { canSee, visibleCase } from './case-access';
import { definitionFor, settleServiceTasks } from './flows';
import { caseView, type Viewer } from './case-view';
import { linkedItemKey } from './publish-checks';
import { foreignFiles } from './attachments';
import { checkPromises, promiseTask } from './promises';
import { systemDepartments } from './departments';
import { caseStatusOf } from './case-flow';

export interface SubmitInput { matter: string; form: string; data: Record<string, unknown>; draft?: boolean; promised?: string[] }

/** The case an earlier POST /cases with this Idempotency-Key created, as that request answered it. */
async function earlierCase(models: Models, user: SessionUser, key: string) {
  const doc = await models.Case.findOne({ tenant: user.tenant, applicant: user.id, idempotencyKey: key }).select({ no: 1, status: 1 }).lean();
  return doc ? { id: String(doc._id), no: doc.no, status: doc.status, replayed: true as const } : null;
}

function formOf(matter: MatterVersionDoc, formKey: string) {
  const form = matter.forms.find((f) => f.key === formKey);
  if (!form) throw new ApiError(422, 'invalid', `事项「${matter.title}」没有表单「${formKey}」`, { errors: [{ path: 'form', message: '表单不存在' }] });
  return form;
}

/** Validates a submission against the form version; returns the cleaned data (derived values recomputed). */
export function validateSubmission(matter: MatterVersionDoc, formKey: string, data: unknown): Record<string, unknown> {
  const form = formOf(matter, formKey);
  let validator;
  try {
    // Keyed by the form's content hash: the same published form compiles once, whichever database it came from.
    validator = compileValidator(form.schema as FieldSchema, { key: `${form.key}#${form.hash}` });
  } catch (err) {
    if (err instanceof FormSchemaError) throw new ApiError(500, 'form-broken', '已发布的表单无法使用，请联系管理员');
    throw err;
  }
  const result = validator.validate(data);
  if (!result.valid) {
    throw new ApiError(422, 'invalid', `申请表有 ${result.errors.length} 处需要修改`, { errors: result.errors.map(({ path, message, code }) => ({ path, message, code })) });
  }
  return result.value as Record<string, unknown>;
}

/** Linked items the case requests: the mandatory ones plus those whose opt-in field is ticked. */
export function requestedItems(matter: MatterVersionDoc, formKey: string, data: Record<string, unknown>): string[] {
  const optIns = new Map<string, string>();
  const walk = (node: FieldSchema | undefined, path: string[]) => {
    for (const [key, child] of Object.entries(node?.properties ?? {})) {
      const item = linkedItemKey(child as never);
      const dataPath = child.type === 'void' ? path : [...path, key];
      if (item) optIns.set(item, dataPath.join('.'));
      walk(child, dataPath);
    }
  };
  walk(formOf(matter, formKey).schema as FieldSchema, []);
  const ticked = (path: string) => {
    const v = path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], data);
    return v === true || v === '是' || v === 'yes';
  };
  return matter.linkedItems.filter((i) => i.mandatory || (optIns.has(i.key) && ticked(optIns.get(i.key)!))).map((i) => i.key);
}

// The date in China time, whatever the server's zone (a formatter is costly to build).
const CHINA_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

// A city's case-number prefix never changes once the city exists.
const prefixes = new WeakMap<Models, Map<string, Promise<string>>>();

function casePrefix(models: Models, tenant: string): Promise<string> {
  let cache = prefixes.get(models);
  if (!cache) prefixes.set(models, (cache = new Map()));
  let hit = cache.get(tenant);
  if (!hit) {
    hit = models.Tenant.findById(tenant).lean().then((t) => t?.casePrefix ?? tenant.slice(0, 2).toUpperCase());
    hit.catch(() => cache.delete(tenant));
    cache.set(tenant, hit);
  }
  return hit;
}

async function nextCaseNo(models: Models, tenant: string, now: Date): Promise<string> {
  const day = CHINA_DAY.format(now).replaceAll('-', '');
  const id = `${await casePrefix(models, tenant)}${day}`;
  const counter = await models.Counter.findOneAndUpdate({ _id: id }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after' }).lean();
  return `${id}${String(counter!.seq).padStart(4, '0')}`;
}


/**
 * A draft's data is stored as typed, but only with keys a document may hold: no `$`-operators,
 * no dotted paths, no prototype keys (422 otherwise, with the path).
 */
export function checkStorableKeys(data: unknown, path: string[] = []): void {
  if (Array.isArray(data)) data.forEach((v, i) => checkStorableKeys(v, [...path, String(i)]));
  else if (data && typeof data === 'object') {
    for (const [k, v] of Object.entries(data)) {
      if (k.startsWith('$') || k.includes('.') || k === '__proto__' || k === 'constructor' || k === 'prototype' || k.length > 100) {
        throw new ApiError(422, 'invalid', '草稿中有不允许的字段名', { errors: [{ path: [...path, k].join('.'), message: '不允许的字段' }] });
      }
      checkStorableKeys(v, [...path, k]);
    }
  }
}

/**
 * `POST /cases`: a draft, or a submission that starts the flow. With an `idempotencyKey` (the
 * request's Idempotency-Key header) a retry of a request that already created its case gets
 * that case back (`replayed: true`) instead of creating a second one.
 */
export async function createCase(models: Models, conn: Connection, user: SessionUser, input: SubmitInput, ip?: string, idempotencyKey?: string) {
  if (idempotencyKey) {
    const earlier = await earlierCase(models, user, idempotencyKey);
    if (earlier) return earlier;
    try {
      return await newCase(models, conn, user, input, ip, idempotencyKey);
    } catch (err) {
      // the same request, retried while the first was still being stored: the first one won
      const e = err as { code?: number; keyPattern?: Record<string, unknown> };
      if (e.code === 11000 && e.keyPattern && 'idempotencyKey' in e.keyPattern) {
        const first = await earlierCase(models, user, idempotencyKey);
        if (first) return first;
      }
      throw err;
    }
  }
  return newCase(models, conn, user, input, ip);
}

async function newCase(models: Models, conn: Connection, user: SessionUser, input: SubmitInput, ip?: string, idempotencyKey?: string) {
  const matter = await matterVersion(models, user.tenant, input.matter, await latestVersion(models, user.tenant, input.matter));
  formOf(matter, input.form);
  const now = new Date();
  const doc: CaseWithId = {
    _id: new mongoose.Types.ObjectId(), tenant: user.tenant, no: null, matter: { key: matter.key, version: matter.version, title: matter.title }, form: input.form,
    applicant: user.id, applicantName: user.displayName || user.username, status: 'draft', data: input.data, items: [],
    flow: { hash: matter.flow.hash, state: null }, tasks: [], timeline: [{ at: now, actor: user.username, action: 'case.created' }],
    promised: input.promised ?? [], rev: 0, createdAt: now, ...(idempotencyKey ? { idempotencyKey } : {}),
  };
  const actor = { tenant: user.tenant, name: user.username, ip };
  if (input.draft) {
    checkStorableKeys(input.data);
    await models.Case.create(doc);
    await audit(models, actor, 'case.create', `case:${doc._id}`);
    return { id: String(doc._id), no: null, status: 'draft' as const };
  }
  // A submission is checked before anything is stored, and stored in one transaction: a
  // refused one leaves no trace, an accepted one is complete.
  return submit(models, conn, user, doc, input.data, ip, true);
}

/** Validates and starts a case: a new one (inserted) or a stored draft (updated at its revision). */
export async function submit(models: Models, conn: Connection, user: SessionUser, doc: CaseWithId, data: unknown, ip?: string, isNew = false) {
  const matter = await matterVersion(models, doc.tenant, doc.matter.key, doc.matter.version);
  const clean = validateSubmission(matter, doc.form, data);
  const stranger = await foreignFiles(conn, String(doc._id), fileIdsIn(clean));
  if (stranger.length) {
    throw new ApiError(422, 'invalid', '申请材料中有不属于本办件的文件', { errors: stranger.map((f) => ({ path: 'materials', message: `文件 ${f} 不属于本办件，请重新上传` })) });
  }
  const promised = checkPromises(matter, doc.form, clean);
  const items = requestedItems(matter, doc.form, clean);
  const def = await definitionFor(matter.flow);
  const now = new Date();
  const no = await nextCaseNo(models, doc.tenant, now);
  const step = settleServiceTasks(def, start(def, { ...clean, requestedItems: items }, { items, now: now.toISOString(), actor: user.username }), user.username, now.toISOString());
  const base = {
    ...doc, no,
    items: matter.linkedItems.filter((i) => items.includes(i.key)).map((i) => ({ key: i.key, title: i.title, department: i.department, status: 'requested' })),
  };
  const changes = changesFor(base, step, { actor: user.username, now, caseId: String(doc._id), systemDepartments: await systemDepartments(models, doc.tenant) });
  changes.timeline.unshift({ at: now, actor: user.username, action: 'case.submitted', detail: no });
  changes.notifications.unshift({ caseId: String(doc._id), caseNo: no, kind: 'accepted', message: `您的申请已受理，办件编号 ${no}`, at: now, readAt: null });
  if (promised.length) {
    const task = promiseTask(promised, now);
    changes.set.tasks = [...changes.set.tasks!, task];
    changes.set.status = caseStatusOf(step, changes.set.tasks);
    changes.timeline.push({ at: now, actor: user.username, action: 'promise.accepted', detail: promised.map((p) => p.name).join('、') });
    changes.notifications.push({ caseId: String(doc._id), caseNo: no, kind: 'needs-action', message: `容缺受理：请在 ${task.dueAt!.toISOString().slice(0, 10)} 前补交${promised.map((p) => `「${p.name}」`).join('')}`, at: now, readAt: null });
  }
  const actor = { tenant: doc.tenant, name: user.username, ip };
  const record = (s?: ClientSession) => audit(models, actor, 'case.submit', `case:${no}`, { matter: `${matter.key}@${matter.version}`, items }, s);
  if (isNew) {
    await insertStep(models, conn, { ...base, data: clean, submittedAt: now, promised: promised.map((p) => p.name) }, changes, record);
  } else {
    await conn.transaction(async (session) => {
      await saveStep(models, conn, doc, changes, { no, data: clean, items: base.items, submittedAt: now, promised: promised.map((p) => p.name) } as Partial<CaseDoc>, session);
      await record(session);
    });
  }
  return { id: String(doc._id), no, status: changes.set.status! };
}

export async function getCase(models: Models, viewer: Viewer, id: string) {
  const doc = await visibleCase(models, viewer, id);
  const matter = await matterVersion(models, doc.tenant, doc.matter.key, doc.matter.version);
  return caseView(doc, matter, viewer, false);
}

/** `GET /cases/:id/flow`: the flow XML the case runs on, with the elements done and active. */
export async function caseFlow(models: Models, viewer: Viewer, id: string) {
  const doc = await visibleCase(models, viewer, id);
  const matter = await matterVersion(models, doc.tenant, doc.matter.key, doc.matter.version);
  const state = doc.flow.state as unknown as FlowState | null;
  const done = new Set((state?.history ?? []).filter((h) => h.ev === 'completed' || h.ev === 'ended').map((h) => h.el));
  return { xml: matter.flow.xml, version: matter.flow.version, done: [...done], active: state ? activeElements(state) : [] };
}

/** `POST /cases/:id/reveal`: the unmasked data, for staff with a task in the case; audited. */
export async function revealCase(models: Models, viewer: Viewer, id: string, actor: Actor) {
  const doc = await visibleCase(models, viewer, id);
  if (!(viewer.roles.includes('staff') && doc.tasks.some((t) => viewer.departments.includes(t.department)))) {
    throw new ApiError(403, 'forbidden', '只有办理该办件的工作人员可以查看完整信息');
  }
  await audit(models, actor, 'case.reveal', `case:${doc.no ?? String(doc._id)}`);
  const matter = await matterVersion(models, doc.tenant, doc.matter.key, doc.matter.version);
  return caseView(doc, matter, viewer, true);
}

export async function listCases(models: Models, viewer: Viewer, query: { status?: string; limit?: number }) {
  const filter: Record<string, unknown> = { tenant: viewer.tenant };
  if (!viewer.roles.includes('admin')) {
    if (viewer.roles.includes('staff')) filter['tasks.department'] = trusted({ $in: viewer.departments });
    else filter.applicant = viewer.id;
  }
  if (query.status) filter.status = query.status;
  const docs = await models.Case.find(filter).sort({ createdAt: -1 }).limit(Math.min(query.limit ?? 50, 200)).lean() as CaseWithId[];
  const out = [];
  for (const doc of docs.filter((d) => canSee(viewer, d))) {
    const matter = await matterVersion(models, doc.tenant, doc.matter.key, doc.matter.version);
    const { data: _data, timeline: _t, ...summary } = caseView(doc, matter, viewer, false);
    out.push(summary);
  }
  return out;
}

/** `PUT /cases/:id`: the owner updates a draft. */
export async function updateDraft(models: Models, user: SessionUser, id: string, data: Record<string, unknown>) {
  checkStorableKeys(data);
  const res = await models.Case.updateOne({ _id: id, tenant: user.tenant, applicant: user.id, status: 'draft' }, { $set: { data }, $inc: { rev: 1 } });
  if (res.matchedCount === 0) {
    const exists = await models.Case.exists({ _id: id, tenant: user.tenant, applicant: user.id });
    throw exists ? new ApiError(409, 'not-draft', '办件已提交，不能再修改草稿') : new ApiError(404, 'not-found', '办件不存在');
  }
  return { id, status: 'draft' };
}

/** `POST /cases/:id/submit`: the owner submits a draft. */
export async function submitDraft(models: Models, conn: Connection, user: SessionUser, id: string, ip?: string) {
  const doc = await models.Case.findOne({ _id: id, tenant: user.tenant, applicant: user.id }).lean() as CaseWithId | null;
  if (!doc) throw new ApiError(404, 'not-found', '办件不存在');
  if (doc.status !== 'draft') throw new ApiError(409, 'not-draft', '办件已提交');
  return submit(models, conn, user, doc, doc.data, ip);
}

/** Every `fileId` in the data (upload fields hold `[{name, fileId, …}]`). */
function fileIdsIn(data: unknown, out: string[] = []): string[] {
  if (Array.isArray(data)) data.forEach((d) => fileIdsIn(d, out));
  else if (data && typeof data === 'object') {
    for (const [k, v] of Object.entries(data)) {
      if (k === 'fileId' && typeof v === 'string') out.push(v);
      else fileIdsIn(v, out);
    }
  }
  return out;
}
