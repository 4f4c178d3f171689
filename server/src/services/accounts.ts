/**
 * The city administration an administrator does in the designer: departments, accounts and
 * department API keys. Every function takes the administrator's tenant and never reaches past it.
 */
import { trusted } from 'mongoose';
import type { DepartmentInput, UserInput } from '@lianban/runtime/contract';
import { RESERVED_DEPARTMENT_KEYS } from '@lianban/runtime';
import { checkAccountIdNumber } from './counter-intake';
import { DomainError } from './errors';
import type { Models } from '../models';
import { audit, type Actor } from './audit';
import { clearThrottle, createApiKey, hashPassword, passwordProblem } from './auth';

// The request bodies are the HTTP contract's (shared with the designer).
export type { DepartmentInput, UserInput } from '@lianban/runtime/contract';

export async function listDepartments(models: Models, tenant: string) {
  const docs = await models.Department.find({ tenant }).sort({ key: 1 }).lean();
  return docs.map((d) => ({ key: d.key, name: d.name, mode: d.mode }));
}

export async function saveDepartment(models: Models, actor: Actor, input: DepartmentInput, create: boolean) {
  // Keys the platform gives a meaning to (the applicant's tasks, unassigned tasks, ...) are no department's.
  if (RESERVED_DEPARTMENT_KEYS.has(input.key)) {
    throw new DomainError('invalid', `部门标识「${input.key}」是系统保留标识，不能用作部门`, { errors: [{ path: 'key', message: `「${input.key}」是保留标识（${[...RESERVED_DEPARTMENT_KEYS].join('、')}）` }] });
  }
  const filter = { tenant: actor.tenant, key: input.key };
  const exists = await models.Department.exists(filter);
  if (create && exists) throw new DomainError('exists', `部门标识「${input.key}」已存在`);
  if (!create && !exists) throw new DomainError('not-found', `部门「${input.key}」不存在`);
  await models.Department.updateOne(filter, { $set: { name: input.name, mode: input.mode ?? 'tasklist' } }, { upsert: create });
  await audit(models, actor, create ? 'department.create' : 'department.update', `department:${input.key}`, { name: input.name, mode: input.mode ?? 'tasklist' });
  return { key: input.key, name: input.name, mode: input.mode ?? 'tasklist' };
}

async function checkDepartments(models: Models, tenant: string, keys: string[]) {
  const found = await models.Department.find({ tenant, key: trusted({ $in: keys }) }).lean();
  const missing = keys.filter((k) => !found.some((d) => d.key === k));
  if (missing.length) throw new DomainError('invalid', `部门不存在：${missing.join('、')}`, { errors: missing.map((k) => ({ path: 'departments', message: `部门「${k}」不存在` })) });
}

export async function listUsers(models: Models, tenant: string) {
  const docs = await models.User.find({ tenant }).sort({ username: 1 }).lean();
  const now = new Date();
  const waiting = new Set((await models.LoginThrottle.find({ username: trusted({ $in: docs.map((u) => u.username) }), blockedUntil: trusted({ $gt: now }), expiresAt: trusted({ $gt: now }) }).lean()).map((t) => t.username));
  return docs.map((u) => ({
    username: u.username, displayName: u.displayName, roles: u.roles, departments: u.departments, ...(u.idNumber ? { idNumber: u.idNumber } : {}), ...(u.authLevel ? { authLevel: u.authLevel } : {}),
    // some address must wait before signing in to it (services/auth.ts); an administrator can unlock it
    disabled: u.disabled, locked: waiting.has(u.username), lead: u.lead === true,
  }));
}

/** Refuses a password that does not satisfy the policy (422, on `password`). */
function checkPassword(password: string, username: string) {
  const problem = passwordProblem(password, username);
  if (problem) throw new DomainError('invalid', `密码不符合要求：${problem}`, { errors: [{ path: 'password', message: problem }] });
}

/** A department lead (负责人, who overdue cases are escalated to) is a staff member of a department (422 otherwise). */
function checkLead(lead: boolean | undefined, roles: string[], departments: string[]) {
  if (lead && (!roles.includes('staff') || !departments.length)) {
    throw new DomainError('invalid', '部门负责人须为部门工作人员：请先授予「工作人员」角色并选择部门', { errors: [{ path: 'lead', message: '须为部门工作人员' }] });
  }
}

/** Enabled administrators of the city. */
function enabledAdmins(models: Models, tenant: string) {
  return models.User.countDocuments({ tenant, roles: 'admin', disabled: trusted({ $ne: true }) });
}

export async function createUser(models: Models, actor: Actor, input: UserInput) {
  if (!input.password) throw new DomainError('invalid', '新账户需要设置密码', { errors: [{ path: 'password', message: '必填' }] });
  checkPassword(input.password, input.username);
  await checkDepartments(models, actor.tenant, input.departments ?? []);
  checkLead(input.lead, input.roles, input.departments ?? []);
  if (await models.User.exists({ username: input.username })) throw new DomainError('exists', `用户名「${input.username}」已被使用`);
  const idNumber = await checkAccountIdNumber(models, actor.tenant, input.idNumber);
  await models.User.create({
    tenant: actor.tenant, username: input.username, displayName: input.displayName ?? '', passwordHash: await hashPassword(input.password),
    roles: input.roles, departments: input.departments ?? [], disabled: input.disabled ?? false, ...(idNumber ? { idNumber } : {}), ...(input.lead ? { lead: true } : {}), ...(input.authLevel ? { authLevel: input.authLevel } : {}),
  });
  await audit(models, actor, 'user.create', `user:${input.username}`, { roles: input.roles, departments: input.departments ?? [] });
  return (await listUsers(models, actor.tenant)).find((u) => u.username === input.username)!;
}

export async function updateUser(models: Models, actor: Actor, username: string, input: Partial<UserInput>) {
  const user = await models.User.findOne({ tenant: actor.tenant, username }).lean();
  if (!user) throw new DomainError('not-found', `用户「${username}」不存在`);
  if (input.departments) await checkDepartments(models, actor.tenant, input.departments);
  if (input.password) checkPassword(input.password, username);
  const set: Record<string, unknown> = {};
  for (const k of ['displayName', 'roles', 'departments', 'disabled', 'lead', 'authLevel'] as const) if (input[k] !== undefined) set[k] = input[k];
  checkLead(input.lead ?? user.lead, input.roles ?? user.roles, input.departments ?? user.departments);
  if (input.idNumber !== undefined && input.idNumber !== user.idNumber) set.idNumber = await checkAccountIdNumber(models, actor.tenant, input.idNumber);
  // a password set by an administrator for someone else is theirs to replace at the next sign-in
  if (input.password) Object.assign(set, { passwordHash: await hashPassword(input.password), failedLogins: 0, lockedUntil: null, mustChangePassword: username !== actor.name });
  const wasAdmin = user.roles.includes('admin') && !user.disabled;
  const staysAdmin = (input.roles ?? user.roles).includes('admin') && !(input.disabled ?? user.disabled);
  const lastAdmin = new DomainError('last-admin', '不能停用或取消本市最后一个管理员：请先为其他账户授予管理员角色', { errors: [{ path: input.disabled ? 'disabled' : 'roles', message: '本市最后一个管理员' }] });
  if (wasAdmin && !staysAdmin && (await enabledAdmins(models, actor.tenant)) <= 1) throw lastAdmin;
  await models.User.updateOne({ _id: user._id }, { $set: set });
  if (wasAdmin && !staysAdmin && (await enabledAdmins(models, actor.tenant)) === 0) {
    // Two administrators removed each other at the same moment: put this one back.
    await models.User.updateOne({ _id: user._id }, { $set: { roles: user.roles, disabled: user.disabled } });
    throw lastAdmin;
  }
  if (input.password) await clearThrottle(models, username);
  if (input.password || input.disabled) await models.Session.deleteMany({ user: String(user._id) });
  await audit(models, actor, 'user.update', `user:${username}`, { fields: Object.keys(set).filter((k) => k !== 'passwordHash') });
  return (await listUsers(models, actor.tenant)).find((u) => u.username === username)!;
}

/** Clears the sign-in waits of a city's account (the administrator's 解锁); audited. */
export async function unlockUser(models: Models, actor: Actor, username: string) {
  if (!(await models.User.exists({ tenant: actor.tenant, username }))) throw new DomainError('not-found', `用户「${username}」不存在`);
  const cleared = await clearThrottle(models, username);
  await models.User.updateOne({ tenant: actor.tenant, username }, { $set: { failedLogins: 0, lockedUntil: null } });
  await audit(models, actor, 'user.unlock', `user:${username}`, { cleared });
  return (await listUsers(models, actor.tenant)).find((u) => u.username === username)!;
}

export async function listApiKeys(models: Models, tenant: string) {
  const docs = await models.ApiKey.find({ tenant }).sort({ createdAt: -1 }).lean();
  return docs.map((k) => ({ id: String(k._id), department: k.department, name: k.name, prefix: k.prefix, createdAt: k.createdAt, revoked: k.revokedAt !== null }));
}

export async function issueApiKey(models: Models, actor: Actor, department: string, name: string) {
  await checkDepartments(models, actor.tenant, [department]);
  const key = await createApiKey(models, actor.tenant, department, name, actor.name);
  await audit(models, actor, 'apikey.create', `apikey:${key.prefix}`, { department });
  return key;
}

export async function revokeApiKey(models: Models, actor: Actor, id: string) {
  const res = await models.ApiKey.updateOne({ _id: id, tenant: actor.tenant, revokedAt: null }, { $set: { revokedAt: new Date() } });
  if (res.matchedCount === 0) throw new DomainError('not-found', 'API 密钥不存在或已吊销');
  await audit(models, actor, 'apikey.revoke', `apikey:${id}`);
}
