/**
 * Reading cases: one case (masked, or revealed to the staff handling it — audited), its flow
 * diagram with progress, and the caller's list. Every query is scoped to the caller's city; a
 * case the caller may not see answers 404.
 */
import { activeElements, type FlowState } from '@lianban/runtime';
import { trusted, Types } from 'mongoose';
import type { Models } from '../models';
import { audit, type Actor } from './audit';
import { canSee, visibleCase } from './case-access';
import { searchCondition, type CaseSearch } from './case-search';
import { maskIdNumber } from './exchange/records';
import { peopleOf } from './case-people';
import type { CaseWithId } from './case-store';
import { caseView, type Viewer } from './case-view';
import { matterVersion } from './definitions';
import { DomainError } from './errors';

/** `GET /cases/:id`: the case as the viewer may see it (sensitive fields masked). */
export async function getCase(models: Models, viewer: Viewer, id: string) {
  const doc = await visibleCase(models, viewer, id);
  const [matter, people] = await Promise.all([matterVersion(models, doc.tenant, doc.matter.key, doc.matter.version), peopleOf(models, viewer, caseUsernames(doc))]);
  return { ...caseView(doc, matter, viewer, false), people };
}

/** The usernames a case's view shows: who acted in its timeline and its tasks, who suspended it. */
function caseUsernames(doc: CaseWithId): (string | undefined)[] {
  return [
    ...(doc.timeline ?? []).map((e) => e.actor),
    ...doc.tasks.flatMap((t) => [t.claimedBy, t.completedBy, t.assignee, t.owner, t.held?.by, t.delegateResult?.by, t.countersign?.by, ...(t.countersign?.signers ?? [])]),
    doc.suspension?.by,
  ];
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
    throw new DomainError('forbidden', '只有办理该办件的工作人员可以查看完整信息');
  }
  await audit(models, actor, 'case.reveal', `case:${doc.no ?? String(doc._id)}`);
  const [matter, people] = await Promise.all([matterVersion(models, doc.tenant, doc.matter.key, doc.matter.version), peopleOf(models, viewer, caseUsernames(doc))]);
  return { ...caseView(doc, matter, viewer, true), people };
}

/** Where a page of `GET /cases` continues: after the case created at `after[0]` (ms) with id `after[1]`. */
export interface CasePage {
  limit: number;
  after?: (string | number | null)[];
}

/** The shape of a `GET /cases` cursor: [created (ms), case id]. */
export const isCaseCursor = (key: (string | number | null)[]): boolean =>
  key.length === 2 && typeof key[0] === 'number' && typeof key[1] === 'string' && /^[0-9a-f]{24}$/.test(key[1]);

/**
 * `GET /cases`: an applicant's own cases, a staff member's department's, or (admin) the city's;
 * newest first (created, then id: a total order, so a page continues after its last case
 * whatever was created meanwhile). `next` is the sort key of the last case when more remain.
 * `search` (办件查询, case-search.ts) finds cases by number, ID number or name among every case
 * the caller may see: staff also find those they filed at the window or that were copied to them.
 */
export async function listCases(models: Models, viewer: Viewer, query: { status?: string; mine?: 'filed' | 'cc'; search?: CaseSearch; actor?: Actor } & CasePage) {
  const filter: Record<string, unknown> = { tenant: viewer.tenant };
  const and: Record<string, unknown>[] = [];
  const isStaff = viewer.roles.includes('staff');
  if (query.mine === 'filed') filter['filedBy.id'] = viewer.id; // 我受理的: filed at the window by the viewer
  else if (query.mine === 'cc') and.push({ $or: [{ 'cc.users': viewer.id }, { 'cc.departments': trusted({ $in: viewer.departments }) }] }); // 抄送我的
  else if (!viewer.roles.includes('admin')) {
    if (isStaff && query.search) {
      and.push({ $or: [{ 'tasks.department': trusted({ $in: viewer.departments }) }, { 'filedBy.id': viewer.id }, { 'cc.users': viewer.id }, { 'cc.departments': trusted({ $in: viewer.departments }) }] });
    } else if (isStaff) filter['tasks.department'] = trusted({ $in: viewer.departments });
    else filter.applicant = viewer.id;
  }
  if (query.search) {
    and.push(await searchCondition(models, viewer, query.search));
    if ('idNumber' in query.search && query.actor) await audit(models, query.actor, 'case.search', `id:${maskIdNumber(query.search.idNumber)}`);
  }
  if (and.length) filter.$and = and;
  if (query.status) filter.status = query.status;
  if (query.after) {
    const [at, id] = query.after as [number, string]; // shape checked by the route (`CASE_CURSOR`)
    const date = new Date(at);
    filter.$or = [{ createdAt: trusted({ $lt: date }) }, { createdAt: date, _id: trusted({ $lt: new Types.ObjectId(id) }) }];
  }
  const docs = await models.Case.find(filter).sort({ createdAt: -1, _id: -1 }).limit(query.limit + 1).lean() as CaseWithId[];
  const more = docs.length > query.limit;
  const page = docs.slice(0, query.limit);
  const items = [];
  for (const doc of page.filter((d) => canSee(viewer, d))) {
    const matter = await matterVersion(models, doc.tenant, doc.matter.key, doc.matter.version);
    const { data: _data, timeline: _t, ...summary } = caseView(doc, matter, viewer, false);
    items.push(summary);
  }
  const last = page[page.length - 1];
  return { items, next: more && last ? [+new Date(last.createdAt), String(last._id)] : undefined };
}
