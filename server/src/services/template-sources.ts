/**
 * The operator's side of provincial templates beyond the draft and publish of services/templates.ts
 * (docs/templates.md 「The operator」): the overview of every template (its versions, whether the
 * draft differs from the newest, where the draft came from, the cities' matters derived from it),
 * a city's published matters to choose from, a template's draft made from a city's matter (its
 * newest published version: matter settings, forms and flow, stored exactly as
 * `PUT /platform/templates/:key` stores them), and what publishing the draft would change.
 */
import { PLATFORM_TENANT } from '@lianban/runtime/contract';
import type { CityMatterSummary, TemplateDraftBody, TemplateDraftChanges, TemplateFromCityBody, TemplateOverview } from '@lianban/runtime/contract';
import { templateDiff, type TemplateBundle } from '@lianban/runtime';
import { trusted } from 'mongoose';
import type { Models } from '../models';
import { audit, type Actor } from './audit';
import { DomainError } from './errors';
import { comparable, draftBundle, listTemplates, saveTemplateDraft, TEMPLATE_KEY } from './templates';

/** Bounds on one request's work. */
const MAX_CITY_MATTERS = 200;
const MAX_VERSIONS = 200;
const MAX_DERIVED = 5_000;

const FROM_CITY = 'template.from-city';

/** The template's draft as a bundle, or null when a part of it is missing (then it cannot be published either). */
async function draftOrNull(models: Models, key: string): Promise<TemplateBundle | null> {
  try {
    const { flowTitle: _title, ...bundle } = await draftBundle(models, PLATFORM_TENANT, key);
    return bundle;
  } catch (e) {
    if (e instanceof DomainError && e.code === 'not-found') return null;
    throw e;
  }
}

/** The newest published version of template `key` as a bundle, or null. */
async function newestVersion(models: Models, key: string): Promise<(TemplateBundle & { version: number }) | null> {
  const v = await models.MatterTemplate.findOne({ key }).sort({ version: -1 }).lean();
  return v ? { version: v.version, title: v.title, matter: v.matter, forms: v.forms, flow: v.flow } : null;
}

/** `GET /platform/templates`: every template (the platform's matters) with its versions, draft state, source and derived matters. */
export async function templateOverviews(models: Models, only?: string): Promise<TemplateOverview[]> {
  const summaries = await listTemplates(models, only);
  const derived = await models.MatterDef.find({ tenant: trusted({ $ne: PLATFORM_TENANT }), 'template.key': only ?? trusted({ $exists: true }) })
    .select({ tenant: 1, key: 1, template: 1 }).sort({ tenant: 1, key: 1 }).limit(MAX_DERIVED).lean();
  const out: TemplateOverview[] = [];
  for (const t of summaries) {
    const [versions, draft, newest, source] = await Promise.all([
      models.MatterTemplate.find({ key: t.key }).select({ version: 1, publishedAt: 1, publishedBy: 1 }).sort({ version: -1 }).limit(MAX_VERSIONS).lean(),
      draftOrNull(models, t.key),
      newestVersion(models, t.key),
      models.Audit.findOne({ tenant: PLATFORM_TENANT, target: `template:${t.key}`, action: FROM_CITY }).sort({ at: -1 }).lean(),
    ]);
    const from = source?.details as { city?: string; matter?: string; version?: number } | undefined;
    out.push({
      ...t,
      versions: versions.map((v) => ({ version: v.version, publishedAt: v.publishedAt.toISOString(), publishedBy: v.publishedBy })),
      draftChanged: !!draft && (!newest || comparable(draft) !== comparable(newest)),
      ...(source && from?.city && from.matter && from.version ? { source: { city: from.city, matter: from.matter, version: from.version, at: source.at.toISOString(), by: source.actor } } : {}),
      derived: derived.filter((m) => m.template!.key === t.key).map((m) => ({ city: m.tenant, matter: m.key, version: m.template!.version })),
    });
  }
  return out;
}

/** The city `key` (404 in Chinese when there is none; the platform is no city). */
async function cityOf(models: Models, key: string) {
  const city = key === PLATFORM_TENANT ? null : await models.Tenant.findById(key).select({ name: 1 }).lean();
  if (!city) throw new DomainError('not-found', `城市「${key}」不存在`);
  return city;
}

/** `GET /platform/cities/:key/matters`: the city's published matters, each at its newest version. */
export async function cityMatters(models: Models, cityKey: string): Promise<CityMatterSummary[]> {
  await cityOf(models, cityKey);
  const matters = await models.MatterDef.find({ tenant: cityKey, 'published.0': trusted({ $exists: true }) })
    .select({ key: 1, published: 1, template: 1 }).sort({ key: 1 }).limit(MAX_CITY_MATTERS).lean();
  if (!matters.length) return [];
  const versions = await models.MatterVersion.find(trusted({ tenant: cityKey, $or: matters.map((m) => ({ key: m.key, version: m.published.at(-1)!.version })) }))
    .select({ key: 1, version: 1, title: 1, publishedAt: 1, publishedBy: 1 }).lean();
  return matters.flatMap((m) => {
    const v = versions.find((x) => x.key === m.key);
    if (!v) return [];
    return [{
      key: v.key, title: v.title, version: v.version, publishedAt: v.publishedAt.toISOString(), publishedBy: v.publishedBy,
      ...(m.template?.key ? { template: { key: m.template.key, version: m.template.version } } : {}),
    }];
  });
}

/**
 * `POST /platform/templates/:key/from-city`: the newest published version of the city's matter
 * becomes the template's draft — its settings, forms and flow, stored as `PUT /platform/templates/:key`
 * stores them (the 实施编码 and short code are the city's: not copied). A new key makes a new
 * template; an existing one gets its next draft (published with `POST /platform/templates`).
 * Refused (409 `exists`) when a form or the flow of that matter already belongs to another template's
 * draft: the platform's forms and flows are shared by key, saving would change that template too.
 */
export async function templateFromCity(models: Models, actor: Actor, key: string, body: TemplateFromCityBody): Promise<TemplateOverview> {
  if (!TEMPLATE_KEY.test(key)) throw new DomainError('invalid', '模板标识须为小写字母开头的 2–60 位小写字母、数字或连字符', { errors: [{ path: 'key', message: '如 retirement' }] });
  const city = await cityOf(models, body.city);
  const v = await models.MatterVersion.findOne({ tenant: body.city, key: body.matter }).sort({ version: -1 }).lean();
  if (!v) throw new DomainError('not-found', `${city.name ?? body.city}没有已发布的事项「${body.matter}」`);
  const [formDefs, flowDef] = await Promise.all([
    models.FormDef.find({ tenant: body.city, key: trusted({ $in: v.forms.map((f) => f.key) }) }).select({ key: 1, versions: 1 }).lean(),
    models.FlowDef.findOne({ tenant: body.city, key: v.flow.key }).select({ title: 1, 'versions.version': 1, 'versions.title': 1 }).lean(),
  ]);
  // A form's own title at the version the matter published; the version keeps the matter's title for it (the form's when it had none).
  const forms = v.forms.map((f) => {
    const title = formDefs.find((d) => d.key === f.key)?.versions.find((x) => x.version === f.version)?.title ?? f.title;
    return { key: f.key, title, refTitle: f.title || title, schema: f.schema };
  });
  const title = body.title?.trim() || v.title;
  const draft: TemplateDraftBody = {
    title,
    matter: {
      forms: forms.map((f) => ({ key: f.key, title: f.refTitle })),
      flow: v.flow.key,
      linkedItems: v.linkedItems.map(({ implCode: _code, ...item }) => item),
      ...(v.contact ? { contact: v.contact } : {}),
      ...(v.timeLimit ? { timeLimit: v.timeLimit } : {}),
      ...(v.minAuthLevel ? { minAuthLevel: v.minAuthLevel } : {}),
    },
    forms: forms.map((f) => ({ key: f.key, title: f.title, schema: f.schema })),
    flow: { key: v.flow.key, title: flowDef?.versions.find((x) => x.version === v.flow.version)?.title ?? flowDef?.title ?? v.flow.key, xml: v.flow.xml },
  };
  await saveTemplateDraft(models, { ...actor, tenant: PLATFORM_TENANT }, key, draft);
  await audit(models, { ...actor, tenant: PLATFORM_TENANT }, FROM_CITY, `template:${key}`, { city: body.city, matter: body.matter, version: v.version });
  return (await templateOverviews(models, key))[0]!;
}

/** `GET /platform/templates/:key/draft-changes`: the draft against the newest version, in the diff's units (no conflicts: nobody else's side). */
export async function templateDraftChanges(models: Models, key: string): Promise<TemplateDraftChanges> {
  const draft = await draftOrNull(models, key);
  if (!draft) throw new DomainError('not-found', `省级模板「${key}」没有草稿`);
  const newest = await newestVersion(models, key);
  if (!newest) return { key, version: null, changes: [] };
  try {
    return { key, version: newest.version, changes: await templateDiff(newest, draft, newest) };
  } catch (e) {
    throw new DomainError('invalid', `流程无法解析，无法比较：${(e as Error).message.split('\n')[0]}`, { errors: [{ path: 'flow', message: '请先修正模板草稿的流程' }] });
  }
}
