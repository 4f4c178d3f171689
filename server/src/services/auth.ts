/**
 * Sign-in, sessions and department API keys (BRIEF "Security baseline").
 * - Passwords: argon2id (@node-rs/argon2's default algorithm).
 * - Lockout: 5 failed sign-ins lock the account for 15 minutes (423), counted per account.
 * - Sessions: a random token in an HttpOnly cookie; only its SHA-256 is stored, in MongoDB, so
 *   any server process can resolve it. Idle timeout 30 minutes.
 */
import crypto from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { DomainError } from './errors';
import type { Models, Role, UserDoc } from '../models';
import { audit } from './audit';

export const MAX_FAILED_LOGINS = 5;
export const LOCK_MS = 15 * 60_000;
export const IDLE_TIMEOUT_MS = 30 * 60_000;
/** Touch a session at most this often, so reads don't each cost a write. */
const TOUCH_EVERY_MS = 60_000;

/** The signed-in user as every later layer sees it. */
export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  tenant: string;
  roles: Role[];
  departments: string[];
}

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export function sha256(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

function toSessionUser(user: UserDoc & { _id: unknown }): SessionUser {
  return {
    id: String(user._id),
    username: user.username,
    displayName: user.displayName,
    tenant: user.tenant,
    roles: [...user.roles],
    departments: [...user.departments],
  };
}

// A hash to verify against when the account does not exist, so timing does not reveal which names exist.
let dummyHash: Promise<string> | undefined;

/** Checks the password and opens a session. Throws 401 for wrong credentials, 423 while locked. */
export async function login(models: Models, username: string, password: string, ip?: string): Promise<{ user: SessionUser; token: string }> {
  const user = await models.User.findOne({ username }).lean();
  const now = Date.now();
  if (!user || user.disabled) {
    await verify(await (dummyHash ??= hash('not-a-real-password')), password).catch(() => false);
    throw new DomainError('bad-credentials', '用户名或密码错误');
  }
  if (user.lockedUntil && user.lockedUntil.getTime() > now) {
    const minutes = Math.ceil((user.lockedUntil.getTime() - now) / 60_000);
    throw new DomainError('locked', `登录失败次数过多，账户已锁定，请 ${minutes} 分钟后再试`, { lockedUntil: user.lockedUntil.toISOString() });
  }
  const ok = await verify(user.passwordHash, password).catch(() => false);
  const actor = { tenant: user.tenant, name: user.username, ip };
  if (!ok) {
    // Atomic increment: parallel wrong guesses are all counted.
    const updated = await models.User.findOneAndUpdate({ _id: user._id }, { $inc: { failedLogins: 1 } }, { returnDocument: 'after' }).lean();
    const failed = updated?.failedLogins ?? MAX_FAILED_LOGINS;
    if (failed >= MAX_FAILED_LOGINS) {
      const lockedUntil = new Date(now + LOCK_MS);
      await models.User.updateOne({ _id: user._id }, { $set: { lockedUntil, failedLogins: 0 } });
      await audit(models, actor, 'auth.locked', `user:${user.username}`);
      throw new DomainError('locked', '登录失败次数过多，账户已锁定 15 分钟', { lockedUntil: lockedUntil.toISOString() });
    }
    await audit(models, actor, 'auth.failed', `user:${user.username}`);
    throw new DomainError('bad-credentials', '用户名或密码错误', { attemptsLeft: MAX_FAILED_LOGINS - failed });
  }
  await models.User.updateOne({ _id: user._id }, { $set: { failedLogins: 0, lockedUntil: null } });
  const token = crypto.randomBytes(32).toString('base64url');
  const at = new Date(now);
  await models.Session.create({
    _id: sha256(token), user: String(user._id), tenant: user.tenant, createdAt: at, lastSeenAt: at,
    expiresAt: new Date(now + IDLE_TIMEOUT_MS), ip,
  });
  await audit(models, actor, 'auth.login', `user:${user.username}`);
  return { user: toSessionUser(user), token };
}

/** The user behind a session token, or null when unknown or idle for longer than the timeout. */
export async function resolveSession(models: Models, token: string): Promise<SessionUser | null> {
  const id = sha256(token);
  const session = await models.Session.findById(id).lean();
  const now = Date.now();
  if (!session) return null;
  if (session.lastSeenAt.getTime() + IDLE_TIMEOUT_MS <= now) {
    await models.Session.deleteOne({ _id: id });
    return null;
  }
  const user = await models.User.findById(session.user).lean();
  if (!user || user.disabled) return null;
  if (now - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await models.Session.updateOne({ _id: id }, { $set: { lastSeenAt: new Date(now), expiresAt: new Date(now + IDLE_TIMEOUT_MS) } });
  }
  return toSessionUser(user);
}

export async function logout(models: Models, token: string, user: SessionUser, ip?: string): Promise<void> {
  await models.Session.deleteOne({ _id: sha256(token) });
  await audit(models, { tenant: user.tenant, name: user.username, ip }, 'auth.logout', `user:${user.username}`);
}

/** A department system calling with `Authorization: Bearer <key>`. */
export interface DepartmentCaller {
  tenant: string;
  department: string;
  keyPrefix: string;
}

export async function resolveApiKey(models: Models, key: string): Promise<DepartmentCaller | null> {
  const doc = await models.ApiKey.findOne({ hash: sha256(key), revokedAt: null }).lean();
  return doc ? { tenant: doc.tenant, department: doc.department, keyPrefix: doc.prefix } : null;
}

/** Creates a key for a department; the key itself is returned once and never stored. */
export async function createApiKey(models: Models, tenant: string, department: string, name: string, createdBy: string): Promise<{ id: string; key: string; prefix: string }> {
  const key = `lb_${crypto.randomBytes(24).toString('base64url')}`;
  const prefix = key.slice(0, 10);
  const doc = await models.ApiKey.create({ tenant, department, name, prefix, hash: sha256(key), createdAt: new Date(), createdBy, revokedAt: null });
  return { id: String(doc._id), key, prefix };
}
