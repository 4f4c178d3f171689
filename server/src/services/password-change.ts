/**
 * `POST /auth/password`: a signed-in account changes its own password (the current one, then the
 * new one under the policy of `passwordProblem`). It clears `mustChangePassword` (set on a city
 * administrator's one-time password and when an administrator resets a password) and signs out
 * the account's other sessions. Audited.
 */
import { verify } from '@node-rs/argon2';
import { trusted } from 'mongoose';
import type { Models } from '../models';
import { audit } from './audit';
import { FAILURE_MEMORY_MS, hashPassword, passwordProblem, sha256, type SessionUser } from './auth';
import { DomainError } from './errors';

/**
 * Wrong current passwords one account may send before it has to wait (a stolen session cannot
 * guess the password); the wait shows as 「锁定」 in the city's account list and 解锁 clears it.
 */
export const PASSWORD_CHANGE_FREE_FAILURES = 5;
const WAIT_MS = 15 * 60_000;

export async function changePassword(models: Models, user: SessionUser, token: string, current: string, next: string, ip?: string): Promise<void> {
  const doc = await models.User.findById(user.id).lean();
  if (!doc || doc.disabled) throw new DomainError('not-found', '账户不存在或已停用');
  const actor = { tenant: user.tenant, name: user.username, ip };
  const key = `password-change:${user.username}`;
  const now = Date.now();
  const counter = await models.LoginThrottle.findById(key).lean();
  if (counter?.blockedUntil && counter.blockedUntil.getTime() > now) {
    const retryAfter = Math.ceil((counter.blockedUntil.getTime() - now) / 1000);
    throw new DomainError('too-many-attempts', `当前密码输错次数过多，请 ${Math.ceil(retryAfter / 60)} 分钟后再试`, { retryAfter });
  }
  const ok = await verify(doc.passwordHash, current).catch(() => false);
  if (!ok) {
    const after = await models.LoginThrottle.findOneAndUpdate(
      { _id: key },
      { $inc: { failures: 1 }, $set: { username: user.username, expiresAt: new Date(now + FAILURE_MEMORY_MS) } },
      { upsert: true, returnDocument: 'after' },
    ).lean();
    if ((after?.failures ?? 0) >= PASSWORD_CHANGE_FREE_FAILURES) {
      await models.LoginThrottle.updateOne({ _id: key }, { $set: { blockedUntil: new Date(now + WAIT_MS), expiresAt: new Date(now + Math.max(WAIT_MS, FAILURE_MEMORY_MS)) } });
    }
    await audit(models, actor, 'user.password.refused', `user:${user.username}`);
    throw new DomainError('invalid', '当前密码不正确', { errors: [{ path: 'current', message: '当前密码不正确' }] });
  }
  if (next === current) throw new DomainError('invalid', '新密码不能与当前密码相同', { errors: [{ path: 'next', message: '与当前密码相同' }] });
  const problem = passwordProblem(next, user.username);
  if (problem) throw new DomainError('invalid', `密码不符合要求：${problem}`, { errors: [{ path: 'next', message: problem }] });
  await models.LoginThrottle.deleteOne({ _id: key });
  await models.User.updateOne({ _id: doc._id }, { $set: { passwordHash: await hashPassword(next), mustChangePassword: false, failedLogins: 0, lockedUntil: null } });
  // whoever else held a session with the old password is signed out; this one goes on
  await models.Session.deleteMany({ user: user.id, _id: trusted({ $ne: sha256(token) }) });
  await audit(models, actor, 'user.password', `user:${user.username}`, { wasRequired: Boolean(doc.mustChangePassword) });
}
