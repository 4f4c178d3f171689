/**
 * Demo mode (API.md): an empty database is seeded with the two cities, their departments, the
 * demo accounts and the shipped templates. On by default with the embedded database, or with
 * LIANBAN_DEMO=1; the password comes from LIANBAN_DEMO_PASSWORD, else a random one is generated
 * when seeding and printed (there is no published default). Either satisfies the password policy.
 */
import { loadTemplates } from '@lianban/templates';
import { PLATFORM_TENANT } from '@lianban/runtime/contract';
import type { Models, Role } from '../models';
import { hashPassword, passwordProblem, randomPassword } from './auth';
import { publishMatter, saveFlow, saveForm, saveMatter } from './definitions';

/** The demo accounts' password when LIANBAN_DEMO_PASSWORD is not set: random, policy-compliant. */
export function generateDemoPassword(): string {
  return randomPassword();
}

interface CitySeed {
  key: string;
  name: string;
  /** The province, as the operator's list shows it. */
  province: string;
  casePrefix: string;
  departments: { key: string; name: string }[];
}

export const DEMO_CITIES: CitySeed[] = [
  {
    key: 'luan', name: '六安市', province: '安徽省', casePrefix: 'LA',
    departments: [
      { key: 'window', name: '一窗受理窗口' },
      { key: 'hrss', name: '养老保险行政部门（人社）' },
      { key: 'medical', name: '医疗保障部门' },
      { key: 'housing-fund', name: '住房公积金管理部门' },
    ],
  },
  {
    key: 'changzhou', name: '常州市', province: '江苏省', casePrefix: 'CZ',
    departments: [
      { key: 'hrss', name: '人力资源社会保障部门' },
      { key: 'medical', name: '医疗保障部门' },
      { key: 'housing-fund', name: '住房公积金管理中心' },
      { key: 'health', name: '卫生健康部门' },
    ],
  },
];

/** The demo applicants' fictitious ID numbers (DOMAIN.md): a case filed for one at the counter is that account's. */
export const DEMO_APPLICANT_ID_NUMBERS: Record<string, string> = { luan: '341502196501150039', changzhou: '32040219700520002X' };

function demoUsers(city: CitySeed): { username: string; displayName: string; roles: Role[]; departments: string[]; idNumber?: string }[] {
  return [
    { username: `${city.key}.admin`, displayName: `${city.name}管理员`, roles: ['admin'], departments: [] },
    { username: `${city.key}.applicant`, displayName: '演示申请人', roles: ['applicant'], departments: [], ...(DEMO_APPLICANT_ID_NUMBERS[city.key] ? { idNumber: DEMO_APPLICANT_ID_NUMBERS[city.key] } : {}) },
    ...city.departments.map((d) => ({ username: `${city.key}.${d.key}`, displayName: `${d.name}工作人员`, roles: ['staff'] as Role[], departments: [d.key] })),
  ];
}

/** The province's platform operator (POST /platform/cities): no city's account. */
export const DEMO_OPERATOR = { username: `${PLATFORM_TENANT}.operator`, displayName: '省级平台运营', roles: ['operator'] as Role[], departments: [] as string[] };

/** Whether the database holds nothing of ours yet. */
export async function isEmpty(models: Models): Promise<boolean> {
  return (await models.Tenant.estimatedDocumentCount()) === 0 && (await models.User.estimatedDocumentCount()) === 0;
}

/** Seeds cities, departments and accounts; returns the usernames created. */
export async function seedDemoAccounts(models: Models, password: string): Promise<string[]> {
  for (const u of [...DEMO_CITIES.flatMap(demoUsers), DEMO_OPERATOR]) {
    const problem = passwordProblem(password, u.username);
    if (problem) throw new Error(`LIANBAN_DEMO_PASSWORD does not satisfy the password policy for ${u.username}: ${problem}`);
  }
  const passwordHash = await hashPassword(password);
  const created: string[] = [];
  for (const city of DEMO_CITIES) {
    await models.Tenant.updateOne({ _id: city.key }, { $set: { name: city.name, province: city.province, casePrefix: city.casePrefix } }, { upsert: true });
    for (const d of city.departments) {
      await models.Department.updateOne({ tenant: city.key, key: d.key }, { $setOnInsert: { name: d.name, mode: 'tasklist' } }, { upsert: true });
    }
    for (const u of demoUsers(city)) {
      const res = await models.User.updateOne(
        { username: u.username },
        { $setOnInsert: { ...u, tenant: city.key, passwordHash, failedLogins: 0, lockedUntil: null, disabled: false } },
        { upsert: true },
      );
      if (res.upsertedCount) created.push(u.username);
    }
  }
  const operator = await models.User.updateOne(
    { username: DEMO_OPERATOR.username },
    { $setOnInsert: { ...DEMO_OPERATOR, tenant: PLATFORM_TENANT, passwordHash, failedLogins: 0, lockedUntil: null, disabled: false } },
    { upsert: true },
  );
  if (operator.upsertedCount) created.push(DEMO_OPERATOR.username);
  return created;
}

/**
 * Saves the shipped templates of every demo city as drafts and publishes their matters, as the
 * city's administrator would. Returns the published `city/matter@version`s; a template that does
 * not pass the publish checks fails loudly (it is a bug in the templates).
 */
export async function seedDemoTemplates(models: Models): Promise<string[]> {
  const published: string[] = [];
  for (const city of loadTemplates().cities) {
    const actor = { tenant: city.key, name: `${city.key}.admin`, ip: 'seed' };
    for (const form of city.forms) await saveForm(models, actor, form.key, form.title, form.schema);
    for (const flow of city.flows) await saveFlow(models, actor, flow.key, flow.title, flow.xml);
    for (const { key, ...matter } of city.matters) {
      await saveMatter(models, actor, key, matter);
      const { version } = await publishMatter(models, actor, key);
      published.push(`${city.key}/${key}@${version}`);
    }
  }
  return published;
}
