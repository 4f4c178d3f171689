/**
 * 好差评 (国办发〔2019〕51号; docs/evaluation.md). An applicant rates a case once after it ends —
 * in the portal, through the link of the 办结 SMS, or at the window (一次一评) — and each linked
 * item once after it is done; five levels, the national indicators, reasons with a 差评.
 * A 差评 (score ≤ 2) opens two follow-ups in the same transaction: 整改 for the city admin and
 * 回访 for the answerable department, both due in 5 working days; recording them closes them.
 *
 *   await rateCase(models, conn, user, caseId, { score: 5 });
 *   const link = await evaluationLink(models, tenant, caseId); // '/e/<token>' for the SMS
 */
import { chinaDate, deadlineDue } from '@lianban/runtime';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ClientSession, Connection } from 'mongoose';
import { trusted, Types } from 'mongoose';
import {
  EVALUATION_INDICATORS, EVALUATION_LEVELS, POOR_REASONS, POOR_SCORE, REVISIT_WORKDAYS,
  type Evaluation, type EvaluationBody, type EvaluationChannel, type EvaluationInvite, type FollowUpBody,
} from '@lianban/runtime/contract';
import type { CaseDoc, EvaluationDoc, Models } from '../models';
import type { SessionUser } from './auth';
import { audit } from './audit';
import type { CaseWithId } from './case-store';
import { RevisionConflict } from './case-store';
import { isFiler, isWindowStaff } from './counter-intake';
import { signingKey } from './documents';
import { DomainError } from './errors';

const ENDED = new Set(['completed', 'rejected']);
const ITEM_DONE = new Set(['done']); // an item not handled (不适用, 单独办理) has nothing to rate
const MAX_COMMENT = 500;

/** Checks a rating against the rules (the route's schema checked the shape); 422 with what is wrong. */
function checkBody(body: EvaluationBody, channel: EvaluationChannel): void {
  const errors: { path: string; message: string }[] = [];
  const allowed = new Set(channel === 'window' ? EVALUATION_INDICATORS.window : EVALUATION_INDICATORS.online);
  for (const [name, v] of Object.entries(body.indicators ?? {})) {
    if (!allowed.has(name)) errors.push({ path: `indicators.${name}`, message: `「${name}」不是${channel === 'window' ? '现场' : '线上'}评价的指标` });
    else if (!Number.isInteger(v) || v < 1 || v > 5) errors.push({ path: `indicators.${name}`, message: '须是 1 到 5 的整数' });
  }
  for (const r of body.reasons ?? []) if (!POOR_REASONS.includes(r)) errors.push({ path: 'reasons', message: `「${r}」不是可选的原因` });
  if (body.reasons?.length && body.score > POOR_SCORE) errors.push({ path: 'reasons', message: '只有「不满意」「非常不满意」时选择原因' });
  if (body.score <= POOR_SCORE && !body.reasons?.length && !body.comment?.trim()) {
    errors.push({ path: 'reasons', message: '差评请选择原因或写明意见，以便整改' });
  }
  if (errors.length) throw new DomainError('invalid', errors[0]!.message, { errors });
}

/** The department answerable for what was rated: the item's, else the last staff step's, else the window's. */
function answerable(doc: CaseDoc, item?: CaseDoc['items'][number]): string {
  if (item) return item.department;
  const done = doc.tasks.filter((t) => t.state === 'done' && t.department !== 'applicant' && t.kind !== 'promise');
  done.sort((a, b) => +new Date(a.completedAt ?? 0) - +new Date(b.completedAt ?? 0));
  return done.at(-1)?.department ?? (doc.channel === 'window' ? 'window' : doc.items[0]?.department ?? 'admin');
}

/** Rates `doc` (case or item) and opens the follow-ups of a 差评: one transaction, audited. */
async function rate(models: Models, conn: Connection, doc: CaseWithId, body: EvaluationBody, channel: EvaluationChannel, by: string, ip?: string): Promise<Evaluation> {
  if (!ENDED.has(doc.status) && !body.item) throw new DomainError('moved-on', '办件办结后才能评价');
  const item = body.item === undefined ? undefined : doc.items.find((i) => i.key === body.item);
  if (body.item !== undefined && !item) throw new DomainError('invalid', '该办件没有这个联办事项', { errors: [{ path: 'item', message: '未知的联办事项' }] });
  if (item && !ITEM_DONE.has(item.status)) throw new DomainError('moved-on', `「${item.title}」办结后才能评价`);
  checkBody(body, channel);
  const now = new Date();
  const department = answerable(doc, item);
  const poor = body.score <= POOR_SCORE;
  const due = deadlineDue(now, REVISIT_WORKDAYS);
  const followUps = poor ? [
    { kind: 'rectify' as const, department: 'admin', state: 'open' as const, dueAt: due },
    { kind: 'revisit' as const, department, state: 'open' as const, dueAt: due },
  ] : [];
  const comment = body.comment?.trim() ? body.comment.trim().slice(0, MAX_COMMENT) : undefined;
  const record: EvaluationDoc = {
    tenant: doc.tenant, caseId: String(doc._id), caseNo: doc.no ?? '', matter: doc.matter.key, matterTitle: doc.matter.title,
    scope: item ? `item:${item.key}` : 'case', ...(item ? { item: item.key, itemTitle: item.title } : {}),
    score: body.score, indicators: body.indicators ?? {}, reasons: body.reasons ?? [], ...(comment ? { comment } : {}),
    channel, by, department, at: now, followUps, openFollowUps: followUps.length,
  };
  const summary = { score: body.score, reasons: record.reasons, ...(comment ? { comment } : {}), channel, department, at: now };
  const level = EVALUATION_LEVELS[body.score];
  let id = '';
  try {
    await conn.transaction(async (s) => {
      const [created] = await models.Evaluation.create([record], { session: s });
      id = String(created!._id);
      const set = item ? { [`items.${doc.items.indexOf(item)}.evaluation`]: summary } : { evaluation: summary };
      const res = await models.Case.updateOne({ _id: doc._id, rev: doc.rev }, {
        $set: set,
        $push: { timeline: { at: now, actor: by, action: 'case.evaluated', detail: `${item ? `「${item.title}」` : ''}${level}${poor ? '（差评，已转整改与回访）' : ''}` } },
        $inc: { rev: 1 },
      }, { session: s });
      if (res.matchedCount === 0) throw new RevisionConflict();
      if (poor) await notifyPoor(models, doc, department, `办件 ${doc.no ?? ''}${item ? `「${item.title}」` : ''}收到差评（${level}），请于 ${chinaDate(due)} 前完成整改与回访`, now, s);
      await audit(models, { tenant: doc.tenant, name: by, ip }, 'case.evaluate', `case:${doc.no}`, { scope: record.scope, score: body.score, channel, reasons: record.reasons }, s);
    });
  } catch (err) {
    if ((err as { code?: number }).code === 11000) throw new DomainError('already-done', item ? `「${item.title}」已评价过` : '该办件已评价过，每件只能评价一次');
    throw err;
  }
  return viewOf({ ...record, _id: id });
}

/** Tells the city's admins and the answerable department's staff of a 差评 (in-app). */
async function notifyPoor(models: Models, doc: CaseWithId, department: string, message: string, at: Date, s: ClientSession): Promise<void> {
  const users = await models.User.find({ tenant: doc.tenant, disabled: trusted({ $ne: true }), $or: [{ roles: 'admin' }, { roles: 'staff', departments: department }] })
    .select({ _id: 1 }).limit(200).lean();
  if (!users.length) return;
  await models.Notification.insertMany(users.map((u) => ({ tenant: doc.tenant, user: String(u._id), caseId: String(doc._id), caseNo: doc.no, kind: 'evaluation', message, at, readAt: null })), { session: s });
}

/** Retries a rating when the case changed between reading and writing (a concurrent step). */
async function rateFresh(load: () => Promise<CaseWithId>, go: (doc: CaseWithId) => Promise<Evaluation>): Promise<Evaluation> {
  for (let i = 0; ; i++) {
    try {
      return await go(await load());
    } catch (err) {
      if (!(err instanceof RevisionConflict) || i >= 4) throw err;
    }
  }
}

const notFound = () => new DomainError('not-found', '办件不存在');

async function cityCase(models: Models, tenant: string, id: string): Promise<CaseWithId> {
  if (!Types.ObjectId.isValid(id)) throw notFound();
  const doc = await models.Case.findOne({ _id: id, tenant }).lean() as CaseWithId | null;
  if (!doc) throw notFound();
  return doc;
}

/**
 * `POST /cases/:id/evaluation`: the applicant for their own case (`portal`), or window staff
 * for a case they filed at the counter, the citizen rating at the window (`window`).
 */
export async function rateCase(models: Models, conn: Connection, user: SessionUser, id: string, read: () => EvaluationBody, ip?: string): Promise<Evaluation> {
  // who may rate it is settled before the body is read: another city's id answers 404 whatever was sent
  const first = await cityCase(models, user.tenant, id);
  const owner = first.applicant === user.id;
  if (!owner && !(isWindowStaff(user) && isFiler(user, first))) throw notFound();
  const body = read();
  if (owner && body.channel === 'window') throw new DomainError('forbidden', '现场评价须由窗口录入');
  let doc: CaseWithId | undefined = first;
  return rateFresh(async () => doc ?? cityCase(models, user.tenant, id), async (d) => {
    doc = undefined; // a retry reads the case again
    return rate(models, conn, d, body, owner ? 'portal' : 'window', user.username, ip);
  });
}

// ---- the SMS link ---------------------------------------------------------------------------

const INVITE = /^([0-9a-f]{24})\.([A-Za-z0-9_-]{22})$/;
const inviteSig = (key: Buffer, caseId: string) => createHmac('sha256', key).update(`evaluation:${caseId}`).digest().subarray(0, 16).toString('base64url');

/** The path of the rating page for the 办结 SMS (`/e/<case id>.<signature>`, signed with the city's key). */
export async function evaluationLink(models: Models, tenant: string, caseId: string): Promise<string> {
  const key = (await signingKey(models, tenant, true))!;
  return `/e/${caseId}.${inviteSig(key, caseId)}`;
}

/** `evaluationLink` for many cases of one city: the key read once (the SMS outbox's batches). */
export async function evaluationLinker(models: Models, tenant: string): Promise<(caseId: string) => string> {
  const key = (await signingKey(models, tenant, true))!;
  return (caseId) => `/e/${caseId}.${inviteSig(key, caseId)}`;
}

/** The case an SMS link names, when its signature holds; else 404 (a forged link looks like none). */
async function invitedCase(models: Models, token: string): Promise<CaseWithId> {
  const m = INVITE.exec(token);
  if (!m) throw notFound();
  const [, caseId, sig] = m as unknown as [string, string, string];
  const doc = await models.Case.findById(caseId).lean() as CaseWithId | null;
  if (!doc) throw notFound();
  const key = await signingKey(models, doc.tenant, false);
  if (!key) throw notFound();
  const want = Buffer.from(inviteSig(key, caseId));
  if (!timingSafeEqual(want, Buffer.from(sig))) throw notFound();
  return doc;
}

/** `GET /public/evaluation/:token`: what the link rates (nothing personal). */
export async function evaluationInvite(models: Models, token: string): Promise<EvaluationInvite> {
  const doc = await invitedCase(models, token);
  if (!ENDED.has(doc.status)) throw new DomainError('moved-on', '办件办结后才能评价');
  const done = await models.Evaluation.find({ caseId: String(doc._id) }).select({ scope: 1 }).lean();
  return {
    caseNo: doc.no ?? '', matterTitle: doc.matter.title,
    items: doc.items.filter((i) => ITEM_DONE.has(i.status)).map((i) => ({ key: i.key, title: i.title })),
    rated: { case: done.some((e) => e.scope === 'case'), items: done.filter((e) => e.scope.startsWith('item:')).map((e) => e.scope.slice(5)) },
  };
}

/** `POST /public/evaluation/:token`: the rating given through the SMS link. */
export async function rateByInvite(models: Models, conn: Connection, token: string, body: EvaluationBody, ip?: string): Promise<Evaluation> {
  return rateFresh(() => invitedCase(models, token), (doc) => rate(models, conn, doc, body, 'sms', 'sms', ip));
}

// ---- reading and follow-ups -----------------------------------------------------------------

function viewOf(e: EvaluationDoc & { _id: unknown }): Evaluation {
  return {
    id: String(e._id), caseId: e.caseId, caseNo: e.caseNo, matter: e.matter, matterTitle: e.matterTitle,
    ...(e.item ? { item: e.item, itemTitle: e.itemTitle } : {}),
    score: e.score, level: EVALUATION_LEVELS[e.score as 1] ?? '', indicators: e.indicators ?? {}, reasons: e.reasons ?? [],
    ...(e.comment ? { comment: e.comment } : {}), channel: e.channel, department: e.department, at: new Date(e.at).toISOString(),
    followUps: (e.followUps ?? []).map((f) => ({
      kind: f.kind, department: f.department, state: f.state, dueAt: new Date(f.dueAt).toISOString(),
      ...(f.doneAt ? { doneAt: new Date(f.doneAt).toISOString(), doneBy: f.doneBy, note: f.note } : {}),
    })),
  };
}

/** The ratings of one case the caller may see (`GET /cases/:id/evaluations`). */
export async function caseEvaluations(models: Models, caseId: string): Promise<Evaluation[]> {
  const docs = await models.Evaluation.find({ caseId }).sort({ at: 1 }).lean();
  return docs.map(viewOf);
}

/**
 * `GET /evaluations?open=1&poor=1`: the city's ratings for its admin; for staff those their
 * departments answer for (with their 回访). Newest first, at most 200.
 */
export async function listEvaluations(models: Models, user: SessionUser, query: { open?: boolean; poor?: boolean }): Promise<Evaluation[]> {
  const filter: Record<string, unknown> = { tenant: user.tenant };
  if (!user.roles.includes('admin')) filter.department = trusted({ $in: user.departments });
  if (query.open) filter.openFollowUps = trusted({ $gt: 0 });
  if (query.poor) filter.score = trusted({ $lte: POOR_SCORE });
  const docs = await models.Evaluation.find(filter).sort({ at: -1 }).limit(200).lean();
  return docs.map(viewOf);
}

/** `POST /evaluations/:id/follow-up`: 整改 by the city admin, 回访 by the answerable department (or the admin). */
export async function recordFollowUp(models: Models, conn: Connection, user: SessionUser, id: string, read: () => FollowUpBody, ip?: string): Promise<Evaluation> {
  if (!Types.ObjectId.isValid(id)) throw new DomainError('not-found', '评价不存在');
  const doc = await models.Evaluation.findOne({ _id: id, tenant: user.tenant }).lean();
  const isAdmin = user.roles.includes('admin');
  if (!doc || (!isAdmin && !user.departments.includes(doc.department))) throw new DomainError('not-found', '评价不存在');
  const body = read();
  const at = doc.followUps.findIndex((f) => f.kind === body.kind);
  if (at < 0) throw new DomainError('invalid', '该评价没有这项跟进', { errors: [{ path: 'kind', message: '非差评无需整改或回访' }] });
  const follow = doc.followUps[at]!;
  if (body.kind === 'rectify' && !isAdmin) throw new DomainError('forbidden', '整改情况由本市管理员填写');
  if (body.kind === 'revisit' && !isAdmin && !user.departments.includes(follow.department)) throw new DomainError('forbidden', '回访由被评价的部门填写');
  if (follow.state === 'done') throw new DomainError('already-done', `${body.kind === 'rectify' ? '整改' : '回访'}已记录`);
  const now = new Date();
  await conn.transaction(async (s) => {
    const res = await models.Evaluation.updateOne(
      { _id: doc._id, [`followUps.${at}.state`]: 'open' },
      { $set: { [`followUps.${at}.state`]: 'done', [`followUps.${at}.doneAt`]: now, [`followUps.${at}.doneBy`]: user.username, [`followUps.${at}.note`]: body.note.trim() }, $inc: { openFollowUps: -1 } },
      { session: s },
    );
    if (res.matchedCount === 0) throw new DomainError('already-done', '已由他人记录');
    await audit(models, { tenant: user.tenant, name: user.username, ip }, `evaluation.${body.kind}`, `case:${doc.caseNo}`, { evaluation: id, note: body.note.trim() }, s);
  });
  return viewOf((await models.Evaluation.findById(doc._id).lean())!);
}
