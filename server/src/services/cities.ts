/**
 * The province's cities (`/platform/*`, role `operator`): the list with its counts, and a new
 * city without code — its tenant, its administrator `{key}.admin` with a one-time password (shown
 * once, to be changed at the first sign-in), and optionally the departments and the published
 * matters of an existing city, copied as the new city's own (its forms, flows and matters saved
 * and published anew as version 1; no cases, accounts or API keys are copied). Audited.
 */
import { PLATFORM_TENANT, type CityCreated, type CityInput, type CitySummary } from '@lianban/runtime/contract';
import { trusted } from 'mongoose';
import type { Models, TenantDoc } from '../models';
import { audit, type Actor } from './audit';
import { hashPassword, randomPassword } from './auth';
import { publishMatter, saveFlow, saveForm, saveMatter } from './definitions';
import { DomainError } from './errors';

/** A city key: lowercase latin letters, as in usernames (`wuhu.admin`) and case numbers. */
export const CITY_KEY = /^[a-z]{2,30}$/;
/** Keys that name no city. */
const RESERVED_KEYS = new Set([PLATFORM_TENANT, 'admin', 'api', 'designer', 'system', 'public']);
/** At most this many matters are copied from one city (a bound on the work of one request). */
const MAX_COPIED_MATTERS = 200;

async function summary(models: Models, t: TenantDoc): Promise<CitySummary> {
  const [departments, users, matters, cases] = await Promise.all([
    models.Department.countDocuments({ tenant: t._id }),
    models.User.countDocuments({ tenant: t._id }),
    models.MatterDef.countDocuments({ tenant: t._id, 'published.0': trusted({ $exists: true }) }),
    models.Case.countDocuments({ tenant: t._id, status: trusted({ $ne: 'draft' }) }),
  ]);
  return { key: t._id, name: t.name, province: t.province ?? '', casePrefix: t.casePrefix, counts: { departments, users, matters, cases } };
}

/** Every city with its counts (departments, accounts, published matters, submitted cases). */
export async function listCities(models: Models): Promise<CitySummary[]> {
  const tenants = await models.Tenant.find().sort({ _id: 1 }).limit(1000).lean();
  return Promise.all(tenants.map((t) => summary(models, t)));
}

const invalid = (path: string, message: string) => new DomainError('invalid', message, { errors: [{ path, message }] });

/** A case-number prefix for a new city: its key's first letters, upper case (CZ, LA …). */
function casePrefixFor(key: string): string {
  return key.slice(0, 2).toUpperCase();
}

/** Creates the city; on a failure part-way nothing of it is left behind. */
export async function createCity(models: Models, actor: Actor, input: CityInput): Promise<CityCreated> {
  const key = input.key;
  if (!CITY_KEY.test(key)) throw invalid('key', '城市标识须为 2–30 个小写拉丁字母（如 wuhu）');
  if (RESERVED_KEYS.has(key)) throw invalid('key', `「${key}」是系统保留标识，不能用作城市标识`);
  const name = input.name.trim();
  const province = input.province.trim();
  if (!name) throw invalid('name', '请填写城市名称');
  if (!province) throw invalid('province', '请填写所属省份');
  if (await models.Tenant.exists({ _id: key })) throw new DomainError('exists', `城市标识「${key}」已存在`);
  const adminName = `${key}.admin`;
  if (await models.User.exists({ username: adminName })) throw new DomainError('exists', `账户「${adminName}」已被使用，请换一个城市标识`);
  const source = input.copyFrom ? await models.Tenant.findById(input.copyFrom).lean() : null;
  if (input.copyFrom && !source) throw invalid('copyFrom', `要复制的城市「${input.copyFrom}」不存在`);

  try {
    // the unique _id settles two operators creating the same key at once
    await models.Tenant.create({ _id: key, name, casePrefix: casePrefixFor(key), province, createdAt: new Date(), createdBy: actor.name });
  } catch (e) {
    if ((e as { code?: number }).code === 11000) throw new DomainError('exists', `城市标识「${key}」已存在`);
    throw e;
  }
  try {
    const cityActor: Actor = { tenant: key, name: actor.name, ip: actor.ip };
    const matters = source ? await copyCity(models, cityActor, source._id) : [];
    const password = randomPassword();
    await models.User.create({
      tenant: key, username: adminName, displayName: `${name}管理员`, passwordHash: await hashPassword(password),
      roles: ['admin'], departments: [], failedLogins: 0, lockedUntil: null, disabled: false, mustChangePassword: true,
    });
    await audit(models, cityActor, 'user.create', `user:${adminName}`, { roles: ['admin'], oneTimePassword: true });
    const tenant = (await models.Tenant.findById(key).lean())!;
    const city = await summary(models, tenant);
    await audit(models, actor, 'city.create', `tenant:${key}`, { name, province, copyFrom: source?._id ?? null, matters, admin: adminName });
    return { city, admin: { username: adminName, password }, matters };
  } catch (e) {
    await removeCity(models, key);
    throw e;
  }
}

/** Copies the departments and the latest published version of each matter of `from` into `actor.tenant`; returns `key@version`s. */
async function copyCity(models: Models, actor: Actor, from: string): Promise<string[]> {
  const departments = await models.Department.find({ tenant: from }).sort({ key: 1 }).limit(500).lean();
  for (const d of departments) await models.Department.create({ tenant: actor.tenant, key: d.key, name: d.name, mode: d.mode });
  const matters = await models.MatterDef.find({ tenant: from, 'published.0': trusted({ $exists: true }) }).sort({ key: 1 }).limit(MAX_COPIED_MATTERS).lean();
  const published: string[] = [];
  for (const m of matters) {
    const v = await models.MatterVersion.findOne({ tenant: from, key: m.key }).sort({ version: -1 }).lean();
    if (!v) continue;
    for (const f of v.forms) await saveForm(models, actor, f.key, f.title, f.schema);
    const flowDef = await models.FlowDef.findOne({ tenant: from, key: v.flow.key }).select({ title: 1 }).lean();
    await saveFlow(models, actor, v.flow.key, flowDef?.title ?? v.flow.key, v.flow.xml);
    await saveMatter(models, actor, v.key, {
      title: v.title, forms: v.forms.map((f) => ({ key: f.key })), flow: v.flow.key, linkedItems: v.linkedItems.map(({ implCode: _code, ...item }) => item),
      ...(v.contact ? { contact: v.contact } : {}),
      // the 承诺时限 and the 实名 level are the matter's; the 实施编码 names the implementing body, which is another one in the new city
      ...(v.timeLimit ? { timeLimit: v.timeLimit } : {}),
      ...(v.minAuthLevel ? { minAuthLevel: v.minAuthLevel } : {}),
    });
    const { version } = await publishMatter(models, actor, v.key);
    published.push(`${v.key}@${version}`);
  }
  return published;
}

/** Removes what a failed creation left of a city (it has no cases yet). */
async function removeCity(models: Models, key: string): Promise<void> {
  await Promise.all([
    models.Department.deleteMany({ tenant: key }),
    models.User.deleteMany({ tenant: key }),
    models.FormDef.deleteMany({ tenant: key }),
    models.FlowDef.deleteMany({ tenant: key }),
    models.MatterDef.deleteMany({ tenant: key }),
    models.MatterVersion.deleteMany({ tenant: key }),
  ]);
  await models.Tenant.deleteOne({ _id: key });
}
