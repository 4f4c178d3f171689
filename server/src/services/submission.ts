/**
 * Submitting an application: `POST /cases` (a draft, or a submission — idempotent with an
 * Idempotency-Key) and `submit` (validate → check files and 容缺 promises → number → start the
 * flow → store, all in one transaction). Drafts are in drafts.ts.
 */
import { createHash } from 'node:crypto';
import { start, type Definition } from '@lianban/runtime';
import mongoose, { type Connection } from 'mongoose';
import type { Models } from '../models';
import { afterStep, prepareStep, type CaseStep, type PreparedStep } from './advance-case';
import { commitNumbered, type NumberedWrite } from './case-number-commit';
import { leanDocument } from './lean-writes';
import { pendingOf } from './step-effects';
import { applicationFormOf, checkStorableKeys, fileIdsIn, requestedItems, validateSubmission } from './application-form';
import { foreignFiles } from './attachments';
import { audit, dataChanges } from './audit';
import type { SessionUser } from './auth';
import { caseStatusOf } from './case-flow';
import type { CaseWithId } from './case-store';
import { latestVersion, matterVersion } from './definitions';
import { DomainError } from './errors';
import { definitionFor } from './flows';
import { checkPromises, promiseTask } from './promises';
import { startDeadline } from './case-deadline';
import { checkCounterMaterials, counterAuditDetails, counterCaseFields, draftOwnerFilter } from './counter-intake';
import { checkAuthLevel } from './auth-level';
import type { CaseAgent, Citizen } from '@lianban/runtime/contract';
import { checkDraftQuota, DEFAULT_QUOTAS, type Quotas } from './quotas';

export interface SubmitInput { matter: string; form: string; data: Record<string, unknown>; draft?: boolean; promised?: string[]; onBehalfOf?: Citizen; agent?: CaseAgent }

/** JSON with object keys sorted at every level: the same request body gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value).sort().filter((k) => (value as Record<string, unknown>)[k] !== undefined);
    return `{${entries.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The fingerprint of a POST /cases body stored with its Idempotency-Key. */
export function requestHash(input: SubmitInput): string {
  return createHash('sha256').update(canonicalJson(input)).digest('hex');
}

/**
 * The case an earlier POST /cases with this Idempotency-Key created, as that request answered it;
 * 422 `idempotency-key-reused` when that request had another body (a client bug: the key names
 * one attempt, not one applicant). Cases stored before the hash was kept replay as before.
 */
async function earlierCase(models: Models, user: SessionUser, key: string, hash: string) {
  const doc = await models.Case.findOne({ tenant: user.tenant, ...draftOwnerFilter(user), idempotencyKey: key }).select({ no: 1, status: 1, idempotencyHash: 1 }).lean();
  if (!doc) return null;
  if (doc.idempotencyHash && doc.idempotencyHash !== hash) {
    throw new DomainError('idempotency-key-reused', '该 Idempotency-Key 已用于另一份不同内容的申请，请为新的提交生成新的键', { errors: [{ path: 'Idempotency-Key', message: '已用于内容不同的请求' }] });
  }
  return { id: String(doc._id), no: doc.no, status: doc.status, replayed: true as const };
}

/**
 * `POST /cases`: a draft, or a submission that starts the flow. With an `idempotencyKey` (the
 * request's Idempotency-Key header) a retry of a request that already created its case gets
 * that case back (`replayed: true`) instead of creating a second one.
 */
export async function createCase(models: Models, conn: Connection, user: SessionUser, input: SubmitInput, ip?: string, idempotencyKey?: string, quotas: Quotas = DEFAULT_QUOTAS) {
  if (idempotencyKey) {
    const hash = requestHash(input);
    const earlier = await earlierCase(models, user, idempotencyKey, hash);
    if (earlier) return earlier;
    try {
      return await newCase(models, conn, user, input, quotas, ip, { key: idempotencyKey, hash });
    } catch (err) {
      // the same request, retried while the first was still being stored: the first one won
      const e = err as { code?: number; keyPattern?: Record<string, unknown> };
      if (e.code === 11000 && e.keyPattern && 'idempotencyKey' in e.keyPattern) {
        const first = await earlierCase(models, user, idempotencyKey, hash);
        if (first) return first;
      }
      throw err;
    }
  }
  return newCase(models, conn, user, input, quotas, ip);
}

async function newCase(models: Models, conn: Connection, user: SessionUser, input: SubmitInput, quotas: Quotas, ip?: string, idempotency?: { key: string; hash: string }) {
  const matter = await matterVersion(models, user.tenant, input.matter, await latestVersion(models, user.tenant, input.matter));
  applicationFormOf(matter, input.form);
  // 实名 level: the applicant's own filing (the window verified a walk-in citizen in person)
  if (!input.onBehalfOf) checkAuthLevel(user, matter);
  const now = new Date();
  const _id = new mongoose.Types.ObjectId();
  if (input.agent && !input.onBehalfOf) throw new DomainError('invalid', '代办人须与申请人（onBehalfOf）一起填写', { errors: [{ path: 'onBehalfOf', message: '必填' }] });
  // 窗口收件: filed by window staff, owned by the citizen (counter-intake.ts)
  const counter = input.onBehalfOf ? await counterCaseFields(models, user, _id, input.onBehalfOf, input.agent, now) : undefined;
  const doc: CaseWithId = {
    _id, tenant: user.tenant, no: null, matter: { key: matter.key, version: matter.version, title: matter.title }, form: input.form,
    applicant: user.id, applicantName: user.displayName || user.username, status: 'draft', data: input.data, items: [],
    flow: { hash: matter.flow.hash, state: null }, tasks: [], timeline: [{ at: now, actor: user.username, action: 'case.created' }],
    promised: input.promised ?? [], rev: 0, createdAt: now, ...(idempotency ? { idempotencyKey: idempotency.key, idempotencyHash: idempotency.hash } : {}),
    channel: 'online',
  };
  if (counter) Object.assign(doc, counter, { timeline: [...doc.timeline, ...counter.timeline] });
  const actor = { tenant: user.tenant, name: user.username, ip };
  if (input.draft) {
    checkStorableKeys(input.data);
    await checkDraftQuota(models, quotas, user.tenant, doc.applicant);
    await models.Case.create(doc);
    await audit(models, actor, 'case.create', `case:${doc._id}`, { changes: dataChanges({}, input.data, 'data'), ...counterAuditDetails(doc) });
    return { id: String(doc._id), no: null, status: 'draft' as const };
  }
  // A submission is checked before anything is stored, and stored in one transaction: a
  // refused one leaves no trace, an accepted one is complete.
  return submit(models, conn, user, doc, input.data, ip, true);
}

/** Validates and starts a case: a new one (inserted) or a stored draft (updated at its revision). */
export async function submit(models: Models, conn: Connection, user: SessionUser, doc: CaseWithId, data: unknown, ip?: string, isNew = false) {
  const matter = await matterVersion(models, doc.tenant, doc.matter.key, doc.matter.version);
  if (doc.channel !== 'window') checkAuthLevel(user, matter);
  const clean = validateSubmission(matter, doc.form, data);
  const stranger = await foreignFiles(conn, String(doc._id), fileIdsIn(clean));
  if (stranger.length) {
    throw new DomainError('invalid', '申请材料中有不属于本办件的文件', { errors: stranger.map((f) => ({ path: 'materials', message: `文件 ${f} 不属于本办件，请重新上传` })) });
  }
  await checkCounterMaterials(conn, doc);
  const promised = checkPromises(matter, doc.form, clean);
  const items = requestedItems(matter, doc.form, clean);
  // A flow that cannot be deployed refuses the submission before it takes a case number.
  await definitionFor(matter.flow);
  const now = new Date();
  const caseId = String(doc._id);
  // 承诺时限 and the items' 办理时限 count from 受理 (services/case-deadline.ts)
  const deadlines = startDeadline(matter, matter.linkedItems.filter((i) => items.includes(i.key)).map((i) => ({ key: i.key, title: i.title, department: i.department, status: 'requested' })), now, caseId);
  // what the submission makes of the data: every field for a new case; for a draft, what validation changed (derived values)
  const changed = dataChanges(isNew ? {} : doc.data, clean, 'data');
  const services = { models, conn };
  // The number is taken in the same transaction that stores the case and its side documents
  // (case-number-commit.ts): one commit per submission. `plan` may run again with another number.
  const plan = (no: string) => (def: Definition): CaseStep => {
    const base = { ...doc, no, items: deadlines.items };
    return {
      step: start(def, { ...clean, requestedItems: items }, { items, now: now.toISOString(), actor: user.username }),
      base,
      event: { at: now, actor: user.username, action: 'case.submitted', detail: no },
      set: { no, data: clean, items: base.items, submittedAt: now, promised: promised.map((p) => p.name), ...(deadlines.deadline ? { deadline: deadlines.deadline } : {}) },
      insert: isNew,
      amend: (ch, step) => {
        ch.notifications.unshift({ caseId, caseNo: no, kind: 'accepted', message: `您的申请已受理，办件编号 ${no}`, at: now, readAt: null });
        ch.timers.push(...deadlines.timers);
        if (!promised.length) return;
        // 容缺受理: the applicant's task to hand the promised materials in, outside the flow.
        const task = promiseTask(promised, now);
        ch.set.tasks = [...ch.set.tasks!, task];
        ch.set.status = caseStatusOf(step, ch.set.tasks);
        ch.timeline.push({ at: now, actor: user.username, action: 'promise.accepted', detail: promised.map((p) => p.name).join('、') });
        ch.notifications.push({ caseId, caseNo: no, kind: 'needs-action', message: `容缺受理：请在 ${task.dueAt!.toISOString().slice(0, 10)} 前补交${promised.map((p) => `「${p.name}」`).join('')}`, at: now, readAt: null });
      },
      audit: { actor: { tenant: doc.tenant, name: user.username, ip }, action: 'case.submit', target: `case:${no}`, details: { matter: `${matter.key}@${matter.version}`, items, changes: changed, ...counterAuditDetails(doc) } },
    };
  };
  const { no, value: changes } = await commitNumbered(models, conn, doc.tenant, now, matter, async (no) => {
    const p = await prepareStep(services, doc, { actor: user.username, now, matter }, plan(no));
    return { write: await numberedWrite(models, doc, p, now, isNew), value: p.changes };
  });
  afterStep(services, doc, changes);
  return { id: caseId, no, status: changes.set.status! };
}

/** The one write of a submission's step (its case inserted, or its draft updated at its revision) and its side documents. */
async function numberedWrite(models: Models, doc: CaseWithId, { plan, changes, mark, base }: PreparedStep, now: Date, isNew: boolean): Promise<NumberedWrite> {
  // a draft carries no side documents of earlier steps; if it did, they stay on it for the sweep
  const effects = await pendingOf(models, { ...(isNew ? base : doc), pending: null } as CaseWithId, changes, plan.audit, now);
  if (!isNew) {
    return { effects, update: { filter: { _id: doc._id, rev: doc.rev }, update: { $set: { ...changes.set, ...plan.set, ...mark }, $push: { timeline: { $each: changes.timeline } }, $inc: { rev: 1 } } } };
  }
  const full = { ...base, ...plan.set, ...mark, ...changes.set, timeline: [...base.timeline, ...changes.timeline], rev: 1 } as Record<string, unknown>;
  return { effects, insert: leanDocument(models.Case, full) ?? await mongooseCase(models, full) };
}

/** The case as mongoose casts and validates it (what the checker could not take as it is); its validation error refuses the submission. */
async function mongooseCase(models: Models, full: Record<string, unknown>): Promise<Record<string, unknown>> {
  const d = new models.Case(full);
  await d.validate();
  return { ...d.toObject({ depopulate: true, versionKey: false }), updatedAt: new Date() } as Record<string, unknown>;
}
