/**
 * Reading cases: one case (masked, or revealed to the staff handling it — audited), its flow
 * diagram with progress, and the caller's list. Every query is scoped to the caller's city; a
 * case the caller may not see answers 404.
 */
import { activeElements, type FlowState } from '@lianban/runtime';
import { trusted } from 'mongoose';
import type { Models } from '../models';
import { audit, type Actor } from './audit';
import { canSee, visibleCase } from './case-access';
import type { CaseWithId } from './case-store';
import { caseView, type Viewer } from './case-view';
import { matterVersion } from './definitions';
import { DomainError } from './errors';

/** `GET /cases/:id`: the case as the viewer may see it (sensitive fields masked). */
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
    throw new DomainError('forbidden', '只有办理该办件的工作人员可以查看完整信息');
  }
  await audit(models, actor, 'case.reveal', `case:${doc.no ?? String(doc._id)}`);
  const matter = await matterVersion(models, doc.tenant, doc.matter.key, doc.matter.version);
  return caseView(doc, matter, viewer, true);
}

/** `GET /cases`: an applicant's own cases, a staff member's department's, or (admin) the city's; newest first. */
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
