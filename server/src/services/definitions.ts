/**
 * Drafts and publishing of forms, flows and matters (API.md `/admin/*`).
 * Publishing a matter runs every check (`checkMatter`, runtime/src/matters); when all pass it snapshots the
 * matter with its forms and flow into a new immutable `MatterVersion`, effective at once for
 * new cases. Running cases keep the version they started on.
 */
import crypto from 'node:crypto';
import { checkMatter, implCodeProblem, shortCodeProblem, type MatterShape } from '@lianban/runtime';
import { trusted } from 'mongoose';
import { DomainError } from './errors';
import type { Models } from '../models';
import type { MatterVersionDoc } from '../models/definitions';
import { audit, type Actor } from './audit';

const hashOf = (value: unknown) => crypto.createHash('sha256').update(typeof value === 'string' ? value : JSON.stringify(value)).digest('hex').slice(0, 16);

/** The city's forms, flows and matters as lists (no schemas or XML) for the designer. */
export async function listDefinitions(models: Models, tenant: string) {
  const [forms, flows, matters] = await Promise.all([
    models.FormDef.find({ tenant }).select({ key: 1, title: 1, updatedAt: 1, updatedBy: 1, 'versions.version': 1, 'versions.publishedAt': 1 }).sort({ key: 1 }).lean(),
    models.FlowDef.find({ tenant }).select({ key: 1, title: 1, updatedAt: 1, updatedBy: 1, 'versions.version': 1, 'versions.publishedAt': 1 }).sort({ key: 1 }).lean(),
    models.MatterDef.find({ tenant }).select({ key: 1, title: 1, updatedAt: 1, updatedBy: 1, published: 1, flow: 1, forms: 1 }).sort({ key: 1 }).lean(),
  ]);
  const summary = (d: { key: string; title: string; updatedAt: Date; updatedBy: string }, versions: { version: number; publishedAt: Date }[]) => ({
    key: d.key, title: d.title, updatedAt: d.updatedAt, updatedBy: d.updatedBy, version: versions.at(-1)?.version ?? null, publishedAt: versions.at(-1)?.publishedAt ?? null,
  });
  return {
    forms: forms.map((f) => summary(f, f.versions)),
    flows: flows.map((f) => summary(f, f.versions)),
    matters: matters.map((m) => ({ ...summary(m, m.published), flow: m.flow, forms: m.forms.map((f) => f.key) })),
  };
}

export async function getForm(models: Models, tenant: string, key: string) {
  const doc = await models.FormDef.findOne({ tenant, key }).lean();
  if (!doc) throw new DomainError('not-found', `表单「${key}」不存在`);
  return { key: doc.key, title: doc.title, draft: { schema: doc.schema, updatedAt: doc.updatedAt, updatedBy: doc.updatedBy }, versions: doc.versions };
}

export async function saveForm(models: Models, actor: Actor, key: string, title: string, schema: Record<string, unknown>) {
  await models.FormDef.updateOne({ tenant: actor.tenant, key }, { $set: { title, schema, updatedAt: new Date(), updatedBy: actor.name }, $setOnInsert: { versions: [] } }, { upsert: true });
  await audit(models, actor, 'form.save', `form:${key}`);
  return getForm(models, actor.tenant, key);
}

export async function getFlow(models: Models, tenant: string, key: string) {
  const doc = await models.FlowDef.findOne({ tenant, key }).lean();
  if (!doc) throw new DomainError('not-found', `流程「${key}」不存在`);
  return { key: doc.key, title: doc.title, draft: { xml: doc.xml, updatedAt: doc.updatedAt, updatedBy: doc.updatedBy }, versions: doc.versions.map(({ xml: _xml, ...v }) => v) };
}

export async function saveFlow(models: Models, actor: Actor, key: string, title: string, xml: string) {
  await models.FlowDef.updateOne({ tenant: actor.tenant, key }, { $set: { title, xml, updatedAt: new Date(), updatedBy: actor.name }, $setOnInsert: { versions: [] } }, { upsert: true });
  await audit(models, actor, 'flow.save', `flow:${key}`);
  return getFlow(models, actor.tenant, key);
}

/** A matter's 实施编码 and short code, when set (copied into each version). */
export const matterCodes = (m: { implCode?: string; shortCode?: string }) => ({ ...(m.implCode ? { implCode: m.implCode } : {}), ...(m.shortCode ? { shortCode: m.shortCode } : {}) });

/** Refuses a malformed 实施编码 (the matter's or an item's) or short code, with the field named (422 `invalid`). */
export function checkMatterCodes(input: { implCode?: string; shortCode?: string; linkedItems: { key: string; title: string; implCode?: string }[] }): void {
  const errors: { path: string; message: string }[] = [];
  if (input.implCode) { const p = implCodeProblem(input.implCode); if (p) errors.push({ path: 'implCode', message: p }); }
  if (input.shortCode) { const p = shortCodeProblem(input.shortCode); if (p) errors.push({ path: 'shortCode', message: p }); }
  input.linkedItems.forEach((item, i) => {
    const p = item.implCode ? implCodeProblem(item.implCode) : null;
    if (p) errors.push({ path: `linkedItems.${i}.implCode`, message: `关联事项「${item.title}」：${p}` });
  });
  if (errors.length) throw new DomainError('invalid', errors[0]!.message, { errors });
}

/** The body of `PUT /admin/matters/:key`: a title and the matter itself. */
export interface MatterInput extends MatterShape { title: string }

export async function getMatter(models: Models, tenant: string, key: string) {
  const doc = await models.MatterDef.findOne({ tenant, key }).lean();
  if (!doc) throw new DomainError('not-found', `事项「${key}」不存在`);
  return { key: doc.key, title: doc.title, draft: { forms: doc.forms, flow: doc.flow, linkedItems: doc.linkedItems, ...(doc.contact ? { contact: doc.contact } : {}), ...(doc.timeLimit ? { timeLimit: doc.timeLimit } : {}), ...(doc.minAuthLevel ? { minAuthLevel: doc.minAuthLevel } : {}), ...matterCodes(doc), updatedAt: doc.updatedAt, updatedBy: doc.updatedBy }, versions: doc.published, ...(doc.template?.key ? { template: { key: doc.template.key, version: doc.template.version } } : {}) };
}

export async function saveMatter(models: Models, actor: Actor, key: string, input: MatterInput) {
  checkMatterCodes(input);
  // a code left out of the body is removed (the designer clears the field)
  const unset = Object.fromEntries((['implCode', 'shortCode'] as const).filter((k) => !input[k]).map((k) => [k, 1]));
  input = { ...input };
  for (const k of Object.keys(unset)) delete input[k as 'implCode'];
  await models.MatterDef.updateOne({ tenant: actor.tenant, key }, { $set: { ...input, updatedAt: new Date(), updatedBy: actor.name }, $setOnInsert: { published: [] }, ...(Object.keys(unset).length ? { $unset: unset } : {}) }, { upsert: true });
  await audit(models, actor, 'matter.save', `matter:${key}`);
  return getMatter(models, actor.tenant, key);
}

/** Appends a version to a form or flow when its draft changed since the last one; returns the version to use. */
async function versionOf<T extends { versions: { version: number; hash: string }[] }>(doc: T, hash: string, append: (v: number) => Promise<void>): Promise<number> {
  const last = doc.versions.at(-1);
  if (last && last.hash === hash) return last.version;
  const version = (last?.version ?? 0) + 1;
  await append(version);
  return version;
}

/** Runs the publish checks and, when they pass, creates the next immutable matter version. */
export async function publishMatter(models: Models, actor: Actor, key: string): Promise<{ version: number }> {
  const matter = await models.MatterDef.findOne({ tenant: actor.tenant, key }).lean();
  if (!matter) throw new DomainError('not-found', `事项「${key}」不存在`);
  const forms = await models.FormDef.find({ tenant: actor.tenant, key: trusted({ $in: matter.forms.map((f) => f.key) }) }).lean();
  const flow = await models.FlowDef.findOne({ tenant: actor.tenant, key: matter.flow }).lean();
  const departments = (await models.Department.find({ tenant: actor.tenant }).lean()).map((d) => d.key);
  const { problems, flowHash } = await checkMatter({ matter, forms, flow, departments });
  if (problems.length || !flow || !flowHash) {
    throw new DomainError('publish-problems', `发布前检查发现 ${problems.length} 个问题，请修改后再发布`, { problems });
  }
  const now = new Date();
  const stamp = { publishedAt: now, publishedBy: actor.name };
  const formVersions: MatterVersionDoc['forms'] = [];
  for (const ref of matter.forms) {
    const form = forms.find((f) => f.key === ref.key)!;
    const hash = hashOf(form.schema);
    const version = await versionOf(form, hash, (v) => models.FormDef.updateOne({ _id: form._id }, { $push: { versions: { version: v, hash, schema: form.schema, title: form.title, ...stamp } } }).then(() => {}));
    formVersions.push({ key: form.key, title: ref.title ?? form.title, version, hash, schema: form.schema });
  }
  const flowVersion = await versionOf(flow, flowHash, (v) => models.FlowDef.updateOne({ _id: flow._id }, { $push: { versions: { version: v, hash: flowHash, xml: flow.xml, title: flow.title, ...stamp } } }).then(() => {}));
  // The next number follows the newest stored version (not the matter's list, which a crash
  // between two writes of an older release could have left behind).
  const newest = await models.MatterVersion.findOne({ tenant: actor.tenant, key }).sort({ version: -1 }).select({ version: 1 }).lean();
  const version = Math.max(newest?.version ?? 0, matter.published.at(-1)?.version ?? 0) + 1;
  try {
    // The version, its entry in the matter and the audit record commit together. The unique
    // (tenant, key, version) index makes two concurrent publishes of one matter safe: one fails.
    await models.MatterVersion.db.transaction(async (session) => {
      await models.MatterVersion.create([{
        tenant: actor.tenant, key, version, title: matter.title, forms: formVersions,
        flow: { key: flow.key, version: flowVersion, hash: flowHash, xml: flow.xml }, linkedItems: matter.linkedItems, ...(matter.contact ? { contact: matter.contact } : {}), ...(matter.timeLimit ? { timeLimit: matter.timeLimit } : {}), ...(matter.minAuthLevel ? { minAuthLevel: matter.minAuthLevel } : {}), ...matterCodes(matter), ...stamp,
      }], { session });
      await models.MatterDef.updateOne({ _id: matter._id }, { $push: { published: { version, publishedAt: now } } }, { session });
      await audit(models, actor, 'matter.publish', `matter:${key}`, { version, flowVersion, forms: formVersions.map((f) => `${f.key}@${f.version}`) }, session);
    });
  } catch (err) {
    const e = err as { code?: number; hasErrorLabel?: (l: string) => boolean };
    if (e.code === 11000 || e.hasErrorLabel?.('TransientTransactionError')) {
      throw new DomainError('publish-conflict', `事项「${key}」正在由他人同时发布，请刷新后再试`);
    }
    throw err;
  }
  forgetLatestVersion(models, actor.tenant, key);
  return { version };
}

/** The latest published version of every matter of a city, without schemas (the list applicants choose from). */
export async function publishedMatters(models: Models, tenant: string) {
  const matters = await models.MatterDef.find({ tenant, 'published.0': trusted({ $exists: true }) }, { key: 1, published: 1 }).lean();
  if (matters.length === 0) return [];
  const versions = await models.MatterVersion.find(
    trusted({ tenant, $or: matters.map((m) => ({ key: m.key, version: m.published.at(-1)!.version })) }),
  ).select({ key: 1, version: 1, title: 1, 'forms.key': 1, 'forms.title': 1, linkedItems: 1, contact: 1, minAuthLevel: 1, implCode: 1 }).sort({ key: 1 }).lean();
  return versions.map((v) => ({ key: v.key, title: v.title, version: v.version, forms: v.forms.map((f) => ({ key: f.key, title: f.title })), linkedItems: v.linkedItems, ...(v.contact ? { contact: v.contact } : {}), ...(v.minAuthLevel ? { minAuthLevel: v.minAuthLevel } : {}), ...(v.implCode ? { implCode: v.implCode } : {}) }));
}

/** One published matter version (the latest unless `version` is given), schemas and flow included. */
export async function publishedMatter(models: Models, tenant: string, key: string, version?: number) {
  const doc = await models.MatterVersion.findOne({ tenant, key, ...(version ? { version } : {}) }).sort({ version: -1 }).lean();
  if (!doc) throw new DomainError('not-found', `事项「${key}」不存在或尚未发布`);
  return doc;
}

// Per database (a process may hold several in tests); a version never changes once published.
const versionCaches = new WeakMap<Models, Map<string, Promise<MatterVersionDoc>>>();

export function matterVersion(models: Models, tenant: string, key: string, version: number): Promise<MatterVersionDoc> {
  let versionCache = versionCaches.get(models);
  if (!versionCache) versionCaches.set(models, (versionCache = new Map()));
  const id = `${tenant}/${key}@${version}`;
  let hit = versionCache.get(id);
  if (!hit) {
    hit = publishedMatter(models, tenant, key, version) as Promise<MatterVersionDoc>;
    hit.catch(() => versionCache.delete(id));
    if (versionCache.size > 500) versionCache.delete(versionCache.keys().next().value!);
    versionCache.set(id, hit);
  }
  return hit;
}

// The latest version of a matter, remembered for a moment: a publish is seen by new cases on
// every process within LATEST_TTL_MS (on the publishing process at once), without a database
// round trip per submission. An entry's age counts from when its query was sent, so an answer
// read before a publish committed is never served longer than the TTL after that commit.
export const LATEST_TTL_MS = 500;
const latestCaches = new WeakMap<Models, Map<string, { at: number; version: Promise<number> }>>();

export function latestVersion(models: Models, tenant: string, key: string): Promise<number> {
  let cache = latestCaches.get(models);
  if (!cache) latestCaches.set(models, (cache = new Map()));
  const id = `${tenant}/${key}`;
  const hit = cache.get(id);
  if (hit && performance.now() - hit.at < LATEST_TTL_MS) return hit.version;
  // only the number: the version's schemas and flow are read once per version (matterVersion)
  const version = models.MatterVersion.findOne({ tenant, key }).sort({ version: -1 }).select({ version: 1 }).lean().then((m) => {
    if (!m) throw new DomainError('not-found', `事项「${key}」不存在或尚未发布`);
    return m.version;
  });
  version.catch(() => cache.delete(id));
  if (cache.size > 1000) cache.clear();
  cache.set(id, { at: performance.now(), version });
  return version;
}

/** Drops this process's remembered latest version of a matter (after publishing it here). */
function forgetLatestVersion(models: Models, tenant: string, key: string): void {
  latestCaches.get(models)?.delete(`${tenant}/${key}`);
}
