/**
 * The operator's way back into a city whose administrator forgot the password or is locked
 * out (`POST /platform/cities/:key/admin-password`): a new one-time password for the city's
 * administrator account (`{key}.admin`, or another admin account of that city), shown once and
 * to be changed at the next sign-in; the account is unlocked, its sign-in throttle cleared and
 * its sessions ended. Audited in the city and on the platform.
 */
import { PLATFORM_TENANT, type CityAdminPassword } from '@lianban/runtime/contract';
import type { Models } from '../models';
import { audit, type Actor } from './audit';
import { clearThrottle, hashPassword, randomPassword } from './auth';
import { DomainError } from './errors';

export async function resetCityAdminPassword(models: Models, actor: Actor, city: string, username?: string): Promise<CityAdminPassword> {
  const tenant = city === PLATFORM_TENANT ? null : await models.Tenant.findById(city).select({ _id: 1 }).lean();
  if (!tenant) throw new DomainError('not-found', `城市「${city}」不存在`);
  const name = username ?? `${city}.admin`;
  const user = await models.User.findOne({ tenant: city, username: name }).select({ _id: 1, roles: 1 }).lean();
  if (!user) throw new DomainError('not-found', `城市「${city}」没有账户「${name}」`);
  // the operator steps in for the city's administrators only, never for its staff or applicants
  if (!user.roles.includes('admin')) throw new DomainError('forbidden', `账户「${name}」不是城市管理员，请由该市管理员重置其密码`);
  const password = randomPassword();
  await models.User.updateOne({ _id: user._id }, { $set: { passwordHash: await hashPassword(password), failedLogins: 0, lockedUntil: null, mustChangePassword: true, disabled: false } });
  await clearThrottle(models, name);
  await models.Session.deleteMany({ user: String(user._id) });
  await audit(models, { ...actor, tenant: city }, 'user.password-reset', `user:${name}`, { by: 'operator', oneTimePassword: true });
  await audit(models, actor, 'city.admin-password-reset', `tenant:${city}`, { admin: name });
  return { username: name, password };
}
