/**
 * Sign-in, sessions and department API keys (BRIEF "Security baseline"; docs/security.md).
 * - Passwords: argon2id (@node-rs/argon2's default algorithm); the policy in `passwordProblem`.
 * - Throttling, never a lock an attacker controls: failures are counted per (username, address)
 *   pair and per username across all addresses, for every name typed, existing or not. After
 *   PAIR_FREE_FAILURES failures from one address that address waits a doubling delay (429 +
 *   Retry-After, 1 min up to 15 min) for that name; after ACCOUNT_FREE_FAILURES failures from
 *   anywhere, every address that has not signed in to the account within KNOWN_ADDRESS_MS
 *   waits too — the owner's usual address still only has its own pair counter. Counters are
 *   forgotten FAILURE_MEMORY_MS after their last failure; one verification at a time per pair
 *   (parallel attempts queue, so a burst is counted, not let through); an administrator can clear them
 *   (`unlockUser`). Unknown and known names answer alike (same status, body, and an argon2
 *   verification either way).
 * - Sessions: a random token in an HttpOnly cookie; only its SHA-256 is stored, in MongoDB, so
 *   any server process can resolve it. Idle timeout 30 minutes.
 */
import crypto from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { trusted } from 'mongoose';
import { DomainError } from './errors';
import type { Models, Role, UserDoc } from '../models';
import { audit } from './audit';

/** Failures one address may make on one name before it has to wait. */
export const PAIR_FREE_FAILURES = 5;
/** Failures on one name, from all addresses together, before unknown addresses have to wait. */
export const ACCOUNT_FREE_FAILURES = 20;
/** The first wait; each further failure doubles it, up to MAX_DELAY_MS. */
export const FIRST_DELAY_MS = 60_000;
export const MAX_DELAY_MS = 15 * 60_000;
/** A counter is forgotten this long after its last failure. */
export const FAILURE_MEMORY_MS = 60 * 60_000;
/** An address the account signed in from stays known-good this long after that sign-in. */
export const KNOWN_ADDRESS_MS = 30 * 24 * 60 * 60_000;
/** A pair's verification in progress holds off the pair's next attempt at most this long. */
const INFLIGHT_MS = 10_000;
/** How long an attempt waits for the pair's attempt in progress before it is refused (429). */
const INFLIGHT_WAIT_MS = 3_000;
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
  /** 实名 level 1–3 of this sign-in (services/oidc.ts); set by `resolveSession`. */
  authLevel?: number;
  /** The account must change its password before anything else (a one-time or reset password). */
  mustChangePassword?: boolean;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/**
 * The password policy (等保 2.0): at least 10 characters from at least 3 of 4 classes (lower
 * case, upper case, digits, symbols) and not containing the username. Null when it passes, else
 * what is wrong, in Chinese.
 */
export function passwordProblem(password: string, username?: string): string | null {
  if ([...password].length < 10) return '密码至少 10 个字符';
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3) return '密码须包含小写字母、大写字母、数字、符号中的至少三类';
  if (username && username.length >= 3 && password.toLowerCase().includes(username.toLowerCase())) return '密码不能包含用户名';
  return null;
}

/** A random password that satisfies the policy (demo mode without LIANBAN_DEMO_PASSWORD). */
export function randomPassword(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  for (;;) {
    const groups = [0, 1, 2].map(() => Array.from(crypto.randomBytes(4), (b) => alphabet[b % alphabet.length]).join(''));
    const password = groups.join('-');
    if (passwordProblem(password) === null) return password;
  }
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
    ...(user.mustChangePassword ? { mustChangePassword: true } : {}),
  };
}

// A hash to verify against when the account does not exist, so timing does not reveal which names exist.
let dummyHash: Promise<string> | undefined;

const pairKey = (username: string, ip: string) => `pair:${username} ${ip}`;
const accountKey = (username: string) => `account:${username}`;
const knownKey = (username: string, ip: string) => `known:${username} ${ip}`;

/** The delay after `failures` failures when `free` are allowed: 0, then 1, 2, 4 … 15 minutes. */
function delayAfter(failures: number, free: number): number {
  if (failures < free) return 0;
  return Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.min(failures - free, 20));
}

function throttled(until: Date, now: number, inProgress = false): DomainError {
  const seconds = Math.max(1, Math.ceil((until.getTime() - now) / 1000));
  const minutes = Math.ceil(seconds / 60);
  const message = inProgress ? '上一次登录尚在验证，请稍后再试' : `登录失败次数过多，请 ${minutes} 分钟后再试；如需立即登录，请联系本市管理员`;
  return new DomainError('too-many-attempts', message, { retryAfter: seconds });
}

/**
 * Counts one failure on `key`, starts its wait once `free` failures are spent, and only then
 * releases the pair's claim (so the next queued attempt sees the wait); returns the wait's end, if any.
 */
async function countFailure(models: Models, key: string, username: string, free: number, now: number): Promise<Date | null> {
  // Atomic increment: parallel wrong guesses are all counted.
  const doc = await models.LoginThrottle.findOneAndUpdate(
    { _id: key },
    { $inc: { failures: 1 }, $set: { username, expiresAt: new Date(now + FAILURE_MEMORY_MS) } },
    { upsert: true, returnDocument: 'after' },
  ).lean();
  const delay = delayAfter(doc?.failures ?? free, free);
  const blockedUntil = delay ? new Date(now + delay) : null;
  await models.LoginThrottle.updateOne({ _id: key }, {
    $set: { inflightUntil: null, ...(blockedUntil ? { blockedUntil, expiresAt: new Date(Math.max(now + FAILURE_MEMORY_MS, blockedUntil.getTime())) } : {}) },
  });
  return blockedUntil;
}

/**
 * Claims the one verification in progress a (name, address) pair may have, so that a burst of
 * parallel guesses cannot all pass the check before the first is counted. Null when another
 * attempt holds it, else the pair's document.
 */
async function claimPair(models: Models, key: string, username: string, now: number) {
  try {
    return await models.LoginThrottle.findOneAndUpdate(
      { _id: key, $or: [{ inflightUntil: null }, { inflightUntil: trusted({ $lte: new Date(now) }) }] },
      { $set: { inflightUntil: new Date(now + INFLIGHT_MS) }, $setOnInsert: { username, failures: 0, blockedUntil: null, expiresAt: new Date(now + FAILURE_MEMORY_MS) } },
      { upsert: true, returnDocument: 'after' },
    ).lean();
  } catch (e) {
    // the document exists and is held: the upsert's insert collided with it
    if ((e as { code?: number }).code === 11000) return null;
    throw e;
  }
}

/**
 * Checks the password and opens a session. Throws 401 `bad-credentials` for a wrong name or
 * password (the same answer for both) and 429 `too-many-attempts` (`retryAfter` seconds) while
 * this address must wait for this name.
 */
export async function login(models: Models, username: string, password: string, ip = 'unknown'): Promise<{ user: SessionUser; token: string }> {
  const now = Date.now();
  const [user, account, known] = await Promise.all([
    models.User.findOne({ username }).lean(),
    models.LoginThrottle.findById(accountKey(username)).lean(),
    models.LoginThrottle.findById(knownKey(username, ip)).lean(),
  ]);
  const actor = { tenant: user?.tenant ?? '-', name: username, ip };
  const isKnown = Boolean(known && known.expiresAt.getTime() > now);
  const live = (d: { blockedUntil: Date | null; expiresAt: Date } | null | undefined) =>
    (d?.blockedUntil && d.blockedUntil.getTime() > now && d.expiresAt.getTime() > now ? d.blockedUntil : null);
  const refuse = async (until: Date, reason: string) => {
    await audit(models, actor, 'auth.refused', `user:${username}`, { until: until.toISOString(), reason });
    return throttled(until, now, reason === 'in-progress');
  };
  const accountBlock = isKnown ? null : live(account);
  if (accountBlock) throw await refuse(accountBlock, 'account');
  // Parallel attempts of one pair (a burst, or colleagues behind one NAT sharing an account) queue up.
  let pair = await claimPair(models, pairKey(username, ip), username, now);
  for (const waitUntil = now + INFLIGHT_WAIT_MS; !pair && Date.now() < waitUntil;) {
    await new Promise((resolve) => setTimeout(resolve, 25 + Math.random() * 25));
    pair = await claimPair(models, pairKey(username, ip), username, Date.now());
  }
  if (!pair) throw await refuse(new Date(Date.now() + 1000), 'in-progress');
  const pairBlock = live(pair);
  if (pairBlock) {
    await models.LoginThrottle.updateOne({ _id: pairKey(username, ip) }, { $set: { inflightUntil: null } });
    throw await refuse(pairBlock, 'address');
  }
  const usable = user && !user.disabled ? user : null;
  // An unknown or disabled name costs the same argon2 verification as a real one, and fails.
  const verified = await verify(usable ? usable.passwordHash : await (dummyHash ??= hash('not-a-real-password')), password).catch(() => false);
  if (!usable || !verified) {
    const [pairUntil, accountUntil] = await Promise.all([
      countFailure(models, pairKey(username, ip), username, PAIR_FREE_FAILURES, now),
      countFailure(models, accountKey(username), username, ACCOUNT_FREE_FAILURES, now),
    ]);
    await audit(models, actor, 'auth.failed', `user:${username}`, pairUntil || accountUntil
      ? { waitUntil: pairUntil?.toISOString(), accountWaitUntil: accountUntil?.toISOString() } : undefined);
    throw new DomainError('bad-credentials', '用户名或密码错误');
  }
  await Promise.all([
    models.LoginThrottle.deleteOne({ _id: pairKey(username, ip) }),
    models.LoginThrottle.updateOne({ _id: knownKey(username, ip) }, { $set: { username, failures: 0, blockedUntil: null, expiresAt: new Date(now + KNOWN_ADDRESS_MS) } }, { upsert: true }),
  ]);
  const token = crypto.randomBytes(32).toString('base64url');
  const at = new Date(now);
  await models.Session.create({
    _id: sha256(token), user: String(usable._id), tenant: usable.tenant, createdAt: at, lastSeenAt: at,
    expiresAt: new Date(now + IDLE_TIMEOUT_MS), ip,
  });
  await audit(models, actor, 'auth.login', `user:${username}`);
  return { user: toSessionUser(usable), token };
}

/** Clears every failure counter and wait of `username` (the administrator's unlock); known-good addresses stay. */
export async function clearThrottle(models: Models, username: string): Promise<number> {
  const res = await models.LoginThrottle.deleteMany({ username, failures: trusted({ $gt: 0 }) });
  return res.deletedCount;
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
  return { ...toSessionUser(user), authLevel: session.authLevel ?? user.authLevel ?? 1 };
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
