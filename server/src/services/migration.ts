/**
 * Running cases onto another version of their matter (issue #21, docs/migration.md):
 *
 *   previewMigration(services, admin, key, { from, to, mapping })          // each running case: now, after, problems
 *   migrateCases(services, admin, key, { from, to, mapping, cases }, ip)   // { migrated, ids, skipped: [{ id, reason }] }
 *   runningByVersion(models, tenant, key)                                  // running cases per version (publish-time impact)
 *
 * The engine plans each case (`planMigration`, pure); a case whose new application form
 * requires a field its data lacks cannot move either. Each case moves in its own transaction at
 * its revision (all or nothing, re-planned when it changed meanwhile): flow state, tasks (kept
 * with claimant and history when their step maps; their department, due date and form from the
 * new version), items (titles and departments of the new version), timers (cancelled ones
 * marked fired, re-planned ones scheduled), the case's matter version, a timeline entry and an
 * audit record with before and after. A case with problems is skipped with the reason.
 */
import { EngineError, missingRequiredFields, planMigration, type Definition, type FieldSchema, type FlowState, type MigrationPlan } from '@lianban/runtime';
import type { MigrationPreview, MigrationRequest, MigrationResult, RunningByVersion } from '@lianban/runtime/contract';
import { isValidObjectId, trusted, type Connection } from 'mongoose';
import type { CaseDoc, CaseTask, Models } from '../models';
import type { MatterVersionDoc } from '../models/definitions';
import { audit } from './audit';
import type { SessionUser } from './auth';
import { changesFor } from './case-flow';
import { mutateCase, saveStep, type CaseWithId } from './case-store';
import { matterVersion } from './definitions';
import { systemDepartments } from './departments';
import { DomainError } from './errors';
import { definitionFor, settleServiceTasks } from './flows';

/** At most this many cases are previewed or migrated by one request. */
export const MAX_MIGRATION_CASES = 500;

interface Versions { from: MatterVersionDoc; to: MatterVersionDoc; fromDef: Definition; toDef: Definition }

async function versionsOf(models: Models, tenant: string, key: string, req: MigrationRequest): Promise<Versions> {
  if (req.from === req.to) throw new DomainError('invalid', '原版本与目标版本相同', { errors: [{ path: 'to', message: '须与原版本不同' }] });
  const load = (v: number, path: string) => matterVersion(models, tenant, key, v).then((doc) => {
    if (doc.version !== v) throw new DomainError('not-found', `事项「${key}」没有版本 ${v}`, { errors: [{ path, message: '版本不存在' }] });
    return doc;
  }, () => { throw new DomainError('not-found', `事项「${key}」没有版本 ${v}`, { errors: [{ path, message: '版本不存在' }] }); });
  const [from, to] = await Promise.all([load(req.from, 'from'), load(req.to, 'to')]);
  const [fromDef, toDef] = await Promise.all([definitionFor(from.flow), definitionFor(to.flow)]);
  return { from, to, fromDef, toDef };
}

/** Running cases of a version: submitted, flow active (drafts have no flow yet). */
function runningFilter(tenant: string, key: string, version: number) {
  return { tenant, 'matter.key': key, 'matter.version': version, 'flow.state.status': 'active' };
}

/** The engine's plan for one case, with the application form's required fields checked too. */
function planFor(doc: CaseWithId, v: Versions, mapping: Record<string, string> | undefined, now: string, actor: string): MigrationPlan {
  const state = doc.flow.state as unknown as FlowState | null;
  if (!state) {
    const empty = { elements: [], tasks: [], timers: [], items: {} };
    return { problems: [{ code: 'not-active', message: '办件尚未提交，无需迁移' }], before: empty, after: empty };
  }
  let plan: MigrationPlan;
  try {
    plan = planMigration(state, v.fromDef, v.toDef, mapping ?? {}, { now, actor });
  } catch (err) {
    if (!(err instanceof EngineError)) throw err;
    const empty = { elements: [], tasks: [], timers: [], items: {} };
    return { problems: [{ code: 'invalid-mapping', message: err.message }], before: empty, after: empty };
  }
  if (doc.status === 'suspended') plan.problems.push({ code: 'not-active', message: '办件已挂起，恢复后才能迁移' });
  const form = v.to.forms.find((f) => f.key === doc.form);
  if (!form) {
    plan.problems.push({ code: 'missing-field', message: `新版本不再有办件的申请表「${doc.form}」` });
  } else {
    for (const f of missingRequiredFields(form.schema as unknown as FieldSchema, doc.data ?? {}).slice(0, 20)) {
      plan.problems.push({ code: 'missing-field', element: f.path, message: `新版本申请表要求填写「${f.title}」，办件中没有` });
    }
  }
  if (plan.problems.length) delete plan.step;
  return plan;
}

/** `POST /admin/matters/:key/migration-preview`. */
export async function previewMigration(models: Models, admin: SessionUser, key: string, req: MigrationRequest): Promise<MigrationPreview> {
  const v = await versionsOf(models, admin.tenant, key, req);
  const filter = runningFilter(admin.tenant, key, req.from);
  const [total, docs] = await Promise.all([
    models.Case.countDocuments(filter),
    models.Case.find(filter).sort({ _id: 1 }).limit(MAX_MIGRATION_CASES).lean() as Promise<CaseWithId[]>,
  ]);
  const now = new Date().toISOString();
  return {
    key, from: req.from, to: req.to, total,
    diagrams: { from: v.from.flow.xml, to: v.to.flow.xml },
    cases: docs.map((doc) => {
      const plan = planFor(doc, v, req.mapping, now, admin.username);
      return { id: String(doc._id), no: doc.no, applicantName: doc.applicantName, status: doc.status, before: plan.before, after: plan.after, problems: plan.problems };
    }),
  };
}

/** `POST /admin/matters/:key/migrate`. */
export async function migrateCases(models: Models, conn: Connection, admin: SessionUser, key: string, req: MigrationRequest, ip?: string): Promise<MigrationResult> {
  const v = await versionsOf(models, admin.tenant, key, req);
  let ids: string[];
  if (req.cases) {
    ids = [...new Set(req.cases)];
  } else {
    const docs = await models.Case.find(runningFilter(admin.tenant, key, req.from)).select({ _id: 1 }).sort({ _id: 1 }).limit(MAX_MIGRATION_CASES).lean();
    ids = docs.map((d) => String(d._id));
  }
  const result: MigrationResult = { migrated: 0, ids: [], skipped: [] };
  for (const id of ids) {
    try {
      await migrateOne(models, conn, admin, key, v, req, id, ip);
      result.migrated++;
      result.ids.push(id);
    } catch (err) {
      if (!(err instanceof DomainError) && !(err instanceof EngineError)) throw err;
      const no = err instanceof DomainError && 'no' in err.details ? { no: err.details.no as string | null } : {};
      result.skipped.push({ id, ...no, reason: err.message });
    }
  }
  return result;
}

/** Moves one case in one transaction at its revision; throws DomainError (the reason it is skipped). */
async function migrateOne(models: Models, conn: Connection, admin: SessionUser, key: string, v: Versions, req: MigrationRequest, id: string, ip?: string): Promise<string | null> {
  const load = async () => (isValidObjectId(id) ? models.Case.findOne({ _id: id, tenant: admin.tenant }).lean() as Promise<CaseWithId | null> : null);
  return mutateCase(models, load, async (doc) => {
    const skip = (reason: string) => new DomainError('moved-on', reason, { no: doc.no });
    if (doc.matter.key !== key) throw skip('办件不属于该事项');
    if (doc.matter.version !== req.from) throw skip(`办件在版本 ${doc.matter.version} 上，不在版本 ${req.from} 上`);
    const now = new Date();
    const plan = planFor(doc, v, req.mapping, now.toISOString(), admin.username);
    if (!plan.step) throw skip(plan.problems.map((p) => p.message).join('；') || '无法迁移');
    const step = settleServiceTasks(v.toDef, plan.step, admin.username, now.toISOString());

    // Tasks kept by their wait: the new version's step name, department, form, outcomes, due date; claimant and history stay.
    const byWait = new Map(step.waits.map((w) => [w.id, w]));
    const tasks: CaseTask[] = doc.tasks.map((t) => {
      const w = (t.state === 'open' || t.state === 'claimed') ? byWait.get(t.waitId) : undefined;
      if (!w) return t;
      return {
        ...t, elementId: w.elementId, name: w.name ?? w.elementId, department: w.candidateGroups?.[0] ?? w.department ?? t.department,
        formKey: w.formKey, linkedItem: w.linkedItem, outcomes: w.outcomes ?? [], dueAt: w.dueAt ? new Date(w.dueAt) : undefined,
      };
    });
    // Items: titles and departments of the new version; an item the flow now tracks is added.
    const declared = new Map(v.to.linkedItems.map((i) => [i.key, i]));
    const items: CaseDoc['items'] = doc.items.map((i) => {
      const d = declared.get(i.key);
      return d ? { ...i, title: d.title, department: d.department } : i;
    });
    for (const [k, status] of Object.entries(step.state.items)) {
      const d = declared.get(k);
      if (d && !items.some((i) => i.key === k)) items.push({ key: k, title: d.title, department: d.department, status });
    }
    const base: CaseWithId = { ...doc, tasks, items, flow: { hash: v.to.flow.hash, state: doc.flow.state } };
    const changes = changesFor(base, step, { actor: admin.username, now, caseId: String(doc._id), systemDepartments: await systemDepartments(models, doc.tenant) });
    // Timers the case already has stay as they are (only re-planned ones are new waits).
    const had = new Set(((doc.flow.state as unknown as FlowState).waits ?? []).map((w) => w.id));
    changes.timers = changes.timers.filter((t) => !had.has(t.waitId));
    const detail = `版本 ${req.from} → ${req.to}`;
    changes.timeline.unshift({ at: now, actor: admin.username, action: 'case.migrated', detail });
    await conn.transaction(async (s) => {
      await saveStep(models, conn, doc, changes, { 'matter.version': v.to.version, 'matter.title': v.to.title }, s);
      await audit(models, { tenant: doc.tenant, name: admin.username, ip }, 'case.migrate', `case:${doc.no}`, {
        key, from: req.from, to: req.to, mapping: req.mapping ?? {}, before: plan.before, after: plan.after,
      }, s);
    });
    return doc.no;
  });
}

/** `GET /admin/matters/:key/running`: how many running cases each published version has. */
export async function runningByVersion(models: Models, tenant: string, key: string): Promise<RunningByVersion> {
  const matter = await models.MatterDef.findOne({ tenant, key }).select({ published: 1 }).lean();
  if (!matter) throw new DomainError('not-found', `事项「${key}」不存在`);
  const rows = await models.Case.aggregate<{ _id: number; n: number }>([
    { $match: trusted({ tenant, 'matter.key': key, 'flow.state.status': 'active' }) },
    { $group: { _id: '$matter.version', n: { $sum: 1 } } },
  ]);
  return {
    key, latest: matter.published.at(-1)?.version ?? null,
    versions: rows.map((r) => ({ version: r._id, running: r.n })).sort((a, b) => a.version - b.version),
  };
}
