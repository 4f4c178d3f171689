/**
 * Provincial templates (省级模板, docs/templates.md). The platform operator keeps a template's
 * draft as a matter of the tenant `platform` (its forms, flow and matter) and publishes it as the
 * template's next immutable version (`MatterTemplate`). A city's administrator derives the city's
 * matter from a version (drafts saved in the city, `template: {key, version}` recorded on the
 * matter); when the province publishes a newer version the administrator sees the three-way diff
 * (the version derived from, the newest, the city's draft: runtime `templateDiff`) and takes the
 * changes one by one (`applyTemplateChanges`) into the city's drafts. Conflicts are applied only
 * when the administrator resolves them explicitly. Everything audited.
 */
import { PLATFORM_TENANT } from '@lianban/runtime/contract';
import type { TemplateDerived, TemplateDiff, TemplateDraftBody, TemplateMerged, TemplatePublished, TemplateSummary } from '@lianban/runtime/contract';
import { applyTemplateChanges, checkMatter, deploy, templateDiff, type MatterShape, type TemplateBundle } from '@lianban/runtime';
import { trusted } from 'mongoose';
import type { Models } from '../models';
import type { MatterTemplateDoc } from '../models/templates';
import { audit, type Actor } from './audit';
import { saveFlow, saveForm, saveMatter } from './definitions';
import { DomainError } from './errors';

/** Bounds on one request's work. */
const MAX_TEMPLATES = 500;
const MAX_FORMS = 20;
/** A template's key: that of a matter (routes/definitions.ts). */
export const TEMPLATE_KEY = /^[a-z][a-z0-9-]{1,59}$/;

const notFound = (key: string) => new DomainError('not-found', `省级模板「${key}」不存在或尚未发布`);

function shapeOf(m: { forms: MatterShape['forms']; flow: string; linkedItems: MatterShape['linkedItems']; contact?: MatterShape['contact']; timeLimit?: MatterShape['timeLimit']; minAuthLevel?: number }): MatterShape {
  return {
    forms: m.forms.map((f) => ({ key: f.key, ...(f.title ? { title: f.title } : {}) })), flow: m.flow,
    linkedItems: JSON.parse(JSON.stringify(m.linkedItems)) as MatterShape['linkedItems'],
    ...(m.contact ? { contact: m.contact } : {}), ...(m.timeLimit ? { timeLimit: m.timeLimit } : {}), ...(m.minAuthLevel ? { minAuthLevel: m.minAuthLevel } : {}),
  };
}

/** A matter of `tenant` (its draft), with the drafts of its forms and flow. */
export async function draftBundle(models: Models, tenant: string, key: string): Promise<TemplateBundle & { flowTitle: string }> {
  const matter = await models.MatterDef.findOne({ tenant, key }).lean();
  if (!matter) throw new DomainError('not-found', `事项「${key}」不存在`);
  const forms = await models.FormDef.find({ tenant, key: trusted({ $in: matter.forms.slice(0, MAX_FORMS).map((f) => f.key) }) }).lean();
  const missing = matter.forms.find((r) => !forms.some((f) => f.key === r.key));
  if (missing) throw new DomainError('not-found', `事项「${key}」的表单「${missing.key}」不存在`);
  const flow = await models.FlowDef.findOne({ tenant, key: matter.flow }).lean();
  if (!flow) throw new DomainError('not-found', `事项「${key}」的流程「${matter.flow}」不存在`);
  return {
    title: matter.title, matter: shapeOf(matter),
    forms: matter.forms.map((r) => { const f = forms.find((x) => x.key === r.key)!; return { key: f.key, title: f.title, schema: f.schema }; }),
    flow: { key: flow.key, title: flow.title, xml: flow.xml }, flowTitle: flow.title,
  };
}

/** The three-way diff, refusing in Chinese a flow draft that does not parse (the designer saves what it is given). */
async function diffOf(base: TemplateBundle, theirs: TemplateBundle, ours: TemplateBundle) {
  try {
    return await templateDiff(base, theirs, ours);
  } catch (e) {
    throw new DomainError('invalid', `流程无法解析，无法比较省级模板：${(e as Error).message.split('\n')[0]}`, { errors: [{ path: 'flow', message: '请先在流程设计器中修正并保存流程' }] });
  }
}

/** A value's JSON with the keys of every object sorted (two equal bundles stored apart compare equal). */
function canonical(value: unknown, depth = 0): string {
  if (depth > 64 || value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => canonical(v, depth + 1)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v, depth + 1)}`).join(',')}}`;
}

/** A bundle as text to compare: equal for equal content however it was stored. */
export const comparable = (b: TemplateBundle) => canonical({ title: b.title, matter: b.matter, forms: b.forms, flow: { key: b.flow.key, title: b.flow.title, xml: b.flow.xml } });

const bundleOf = (t: MatterTemplateDoc): TemplateBundle => ({ title: t.title, matter: t.matter, forms: t.forms, flow: t.flow });

// ---------------------------------------------------------------- the operator

/** Saves the template's draft as the platform's forms, flow and matter `key`. */
export async function saveTemplateDraft(models: Models, actor: Actor, key: string, body: TemplateDraftBody): Promise<TemplateSummary> {
  if (!TEMPLATE_KEY.test(key)) throw new DomainError('invalid', '模板标识须为小写字母开头的 2–60 位小写字母、数字或连字符', { errors: [{ path: 'key', message: '如 retirement' }] });
  const platform: Actor = { ...actor, tenant: PLATFORM_TENANT };
  const refs = new Set(body.matter.forms.map((f) => f.key));
  if (body.forms.some((f) => !refs.has(f.key)) || [...refs].some((k) => !body.forms.some((f) => f.key === k))) {
    throw new DomainError('invalid', '模板的表单与事项引用的表单不一致', { errors: [{ path: 'forms', message: '每张表单须被事项引用，事项引用的每张表单须随附' }] });
  }
  if (body.flow.key !== body.matter.flow) throw new DomainError('invalid', '模板的流程与事项引用的流程不一致', { errors: [{ path: 'flow.key', message: `事项引用的流程是「${body.matter.flow}」` }] });
  // The platform's forms and flows are shared by key: saving one another template's draft holds
  // would change that template too.
  const clash = await models.MatterDef.findOne({
    tenant: PLATFORM_TENANT, key: trusted({ $ne: key }),
    $or: [{ 'forms.key': trusted({ $in: [...refs] }) }, { flow: body.flow.key }],
  }).select({ key: 1, forms: 1, flow: 1 }).lean();
  if (clash) {
    const shared = clash.flow === body.flow.key ? `流程「${body.flow.key}」` : `表单「${clash.forms.find((f) => refs.has(f.key))?.key ?? ''}」`;
    throw new DomainError('exists', `${shared}已用于省级模板「${clash.key}」的草稿：请在模板「${clash.key}」上更新草稿，或改用其他标识`, {
      errors: [{ path: clash.flow === body.flow.key ? 'flow.key' : 'forms', message: `已用于省级模板「${clash.key}」` }],
    });
  }
  for (const f of body.forms) await saveForm(models, platform, f.key, f.title, f.schema);
  await saveFlow(models, platform, body.flow.key, body.flow.title, body.flow.xml);
  await saveMatter(models, platform, key, { title: body.title, ...shapeOf(body.matter) });
  return (await listTemplates(models, key))[0]!;
}

/** The templates: the platform's matters, each with its latest published version (none: `version` null). */
export async function listTemplates(models: Models, only?: string): Promise<TemplateSummary[]> {
  const drafts = await models.MatterDef.find({ tenant: PLATFORM_TENANT, ...(only ? { key: only } : {}) }).select({ key: 1, title: 1 }).sort({ key: 1 }).limit(MAX_TEMPLATES).lean();
  const out: TemplateSummary[] = [];
  for (const d of drafts) {
    const v = await models.MatterTemplate.findOne({ key: d.key }).sort({ version: -1 }).select({ version: 1, title: 1, publishedAt: 1, publishedBy: 1 }).lean();
    out.push({ key: d.key, title: v?.title ?? d.title, version: v?.version ?? null, publishedAt: v?.publishedAt?.toISOString() ?? null, ...(v ? { publishedBy: v.publishedBy } : {}) });
  }
  return out;
}

/** The published templates a city may derive from (the latest version of each). */
export async function publishedTemplates(models: Models): Promise<TemplateSummary[]> {
  return (await listTemplates(models)).filter((t) => t.version !== null);
}

/**
 * Publishes the platform's matter `key` as the template's next version after the publish checks —
 * all but whether its departments exist: they are the cities' (checked when a city publishes).
 */
export async function publishTemplate(models: Models, actor: Actor, key: string): Promise<TemplatePublished> {
  const bundle = await draftBundle(models, PLATFORM_TENANT, key);
  const departments = new Set(bundle.matter.linkedItems.map((i) => i.department));
  const { definition } = await deploy(bundle.flow.xml);
  for (const el of Object.values(definition?.elements ?? {})) {
    for (const g of [...(el.lb.candidateGroups ?? []), ...(el.lb.department ? [el.lb.department] : [])]) departments.add(g);
  }
  const { problems } = await checkMatter({ matter: bundle.matter, forms: bundle.forms, flow: bundle.flow, departments: [...departments] });
  if (problems.length) throw new DomainError('publish-problems', `发布前检查发现 ${problems.length} 个问题，请修改后再发布`, { problems });
  const last = await models.MatterTemplate.findOne({ key }).sort({ version: -1 }).lean();
  // A version the same as the newest would only make the cities see an update that changes nothing.
  if (last && comparable(bundle) === comparable(bundleOf(last))) {
    throw new DomainError('nothing-to-publish', `草稿与省级模板「${key}」的最新版本 v${last.version} 相同，无需发布`, { version: last.version });
  }
  const version = (last?.version ?? 0) + 1;
  try {
    await models.MatterTemplate.create({
      key, version, title: bundle.title, matter: bundle.matter, forms: bundle.forms, flow: { key: bundle.flow.key, title: bundle.flowTitle, xml: bundle.flow.xml },
      publishedAt: new Date(), publishedBy: actor.name,
    });
  } catch (e) {
    if ((e as { code?: number }).code === 11000) throw new DomainError('publish-conflict', `省级模板「${key}」正在由他人同时发布，请刷新后再试`);
    throw e;
  }
  await audit(models, actor, 'template.publish', `template:${key}`, { version });
  return { key, version };
}

async function templateVersion(models: Models, key: string, version?: number): Promise<MatterTemplateDoc> {
  const doc = await models.MatterTemplate.findOne({ key, ...(version ? { version } : {}) }).sort({ version: -1 }).lean();
  if (!doc) throw notFound(key);
  return doc;
}

// ---------------------------------------------------------------- the city

/**
 * The city's matter `key` (and its forms and flow, same keys) derived from the template: saved as
 * the city's drafts, to be adapted and published by the city. Refused when the city already has
 * a matter, form or flow of those keys.
 */
export async function deriveFromTemplate(models: Models, actor: Actor, key: string, version?: number): Promise<TemplateDerived> {
  const t = await templateVersion(models, key, version);
  const tenant = actor.tenant;
  const [matter, forms, flow] = await Promise.all([
    models.MatterDef.exists({ tenant, key }),
    models.FormDef.find({ tenant, key: trusted({ $in: t.forms.map((f) => f.key) }) }).select({ key: 1 }).lean(),
    models.FlowDef.exists({ tenant, key: t.flow.key }),
  ]);
  if (matter) throw new DomainError('exists', `本市已有事项「${key}」`);
  if (forms.length) throw new DomainError('exists', `本市已有表单「${forms[0]!.key}」，无法从模板派生`);
  if (flow) throw new DomainError('exists', `本市已有流程「${t.flow.key}」，无法从模板派生`);
  for (const f of t.forms) await saveForm(models, actor, f.key, f.title, f.schema);
  await saveFlow(models, actor, t.flow.key, t.flow.title, t.flow.xml);
  await saveMatter(models, actor, key, { title: t.title, ...shapeOf(t.matter) });
  await models.MatterDef.updateOne({ tenant, key }, { $set: { template: { key, version: t.version } } });
  await audit(models, actor, 'template.derive', `matter:${key}`, { template: key, version: t.version });
  return { matter: key, template: { key, version: t.version } };
}

async function derivedMatter(models: Models, tenant: string, key: string) {
  const m = await models.MatterDef.findOne({ tenant, key }).select({ template: 1 }).lean();
  if (!m) throw new DomainError('not-found', `事项「${key}」不存在`);
  if (!m.template?.key) throw new DomainError('not-found', `事项「${key}」不是从省级模板派生的`);
  return m.template;
}

/** The changes of the template since the version the city's matter has merged, against the city's draft. */
export async function templateDiffOf(models: Models, tenant: string, key: string): Promise<TemplateDiff> {
  const ref = await derivedMatter(models, tenant, key);
  const [base, latest, ours] = await Promise.all([templateVersion(models, ref.key, ref.version), templateVersion(models, ref.key), draftBundle(models, tenant, key)]);
  const changes = latest.version === base.version ? [] : await diffOf(bundleOf(base), bundleOf(latest), ours);
  return { matter: key, template: { key: ref.key, title: latest.title, base: base.version, latest: latest.version }, changes };
}

/**
 * Applies the accepted changes of template version `version` (the newest: 409 otherwise) to the
 * city's drafts and records `version` as the matter's new base. A conflicting change among
 * `accept` is refused (409) unless `resolve` is `theirs`.
 */
/** `readBody` is called once the matter is known to be the city's: another city's key answers 404 before the body is looked at. */
export async function mergeTemplate(models: Models, actor: Actor, key: string, readBody: () => { accept: string[]; version: number; resolve?: 'theirs' }): Promise<TemplateMerged> {
  const ref = await derivedMatter(models, actor.tenant, key);
  const body = readBody();
  const latest = await templateVersion(models, ref.key);
  if (body.version !== latest.version || body.version <= ref.version) {
    throw new DomainError('template-moved-on', body.version <= ref.version
      ? `本事项已合并省级模板第 ${ref.version} 版，请刷新后再试`
      : `省级模板已发布第 ${latest.version} 版，请刷新差异后再合并`, { latest: latest.version, base: ref.version });
  }
  const base = await templateVersion(models, ref.key, ref.version);
  const ours = await draftBundle(models, actor.tenant, key);
  const changes = await diffOf(bundleOf(base), bundleOf(latest), ours);
  const accepted = new Set(body.accept);
  const unknown = body.accept.filter((id) => !changes.some((c) => c.id === id));
  if (unknown.length) throw new DomainError('template-moved-on', `差异已变化（${unknown.length} 项修改已不存在），请刷新后再合并`, { unknown });
  const conflicts = changes.filter((c) => c.conflict && accepted.has(c.id));
  if (conflicts.length && body.resolve !== 'theirs') {
    throw new DomainError('unresolved-conflict', `所选修改中有 ${conflicts.length} 项与本市的修改冲突：请确认采用模板版本（resolve: theirs）或取消勾选`, { conflicts: conflicts.map((c) => c.id) });
  }
  const { bundle, applied, skipped } = await applyTemplateChanges(ours, bundleOf(latest), changes, accepted, body.resolve ? { resolve: body.resolve } : {});
  // Claim the new base first: of two merges of the same version one wins, the other gets 409.
  const claimed = await models.MatterDef.updateOne({ tenant: actor.tenant, key, 'template.version': ref.version }, { $set: { 'template.version': latest.version } });
  if (claimed.modifiedCount !== 1) throw new DomainError('template-moved-on', '本事项正在由他人合并省级模板，请刷新后再试');
  const oursForms = new Map(ours.forms.map((f) => [f.key, JSON.stringify(f)]));
  for (const f of bundle.forms) if (oursForms.get(f.key) !== JSON.stringify(f)) await saveForm(models, actor, f.key, f.title, f.schema);
  if (bundle.flow.xml !== ours.flow.xml) await saveFlow(models, actor, bundle.flow.key, ours.flowTitle, bundle.flow.xml);
  await saveMatter(models, actor, key, { title: bundle.title, ...bundle.matter });
  const gone = (['contact', 'timeLimit', 'minAuthLevel'] as const).filter((k) => bundle.matter[k] === undefined);
  if (gone.length) await models.MatterDef.updateOne({ tenant: actor.tenant, key }, { $unset: Object.fromEntries(gone.map((k) => [k, 1])) });
  await audit(models, actor, 'template.merge', `matter:${key}`, { template: ref.key, from: ref.version, to: latest.version, applied, skipped: skipped.map((s) => s.id), left: changes.filter((c) => !accepted.has(c.id)).map((c) => c.id), resolve: body.resolve ?? null });
  return { matter: key, template: { key: ref.key, version: latest.version }, applied, skipped };
}

/** Demo mode: the shipped 六安 retirement matter as the province's template `retirement`, version 1 (once). */
export async function seedDemoProvincialTemplate(models: Models, city: { forms: { key: string; title: string; schema: Record<string, unknown> }[]; flows: { key: string; title: string; xml: string }[]; matters: ({ key: string; title: string } & MatterShape)[] }): Promise<string | null> {
  const key = 'retirement';
  if (await models.MatterTemplate.exists({ key })) return null;
  const { key: _key, title, ...matter } = city.matters[0]!;
  const flow = city.flows.find((f) => f.key === matter.flow)!;
  const actor: Actor = { tenant: PLATFORM_TENANT, name: 'platform.operator', ip: 'seed' };
  await saveTemplateDraft(models, actor, key, {
    title, matter, forms: matter.forms.map((r) => city.forms.find((f) => f.key === r.key)!), flow: { key: flow.key, title: flow.title, xml: flow.xml },
  });
  const { version } = await publishTemplate(models, actor, key);
  return `${key}@${version}`;
}
