/**
 * Who is calling, remembered for a moment (issue #24): without it every request read its session
 * and its user (two database round trips) or its API key. An entry is kept SESSION_CACHE_MS at
 * most, and forgotten at once on this process when an account, an API key or a session is
 * changed or deleted here (models/accounts.ts counts such changes); another process's change —
 * a disabled account, new roles, a revoked key, a sign-out elsewhere — is seen within
 * SESSION_CACHE_MS (docs/security.md). Unknown tokens and keys are never remembered. Bounded:
 * MAX_ENTRIES per database, the oldest dropped first.
 *
 * One look-up per caller at a time (#24, latency): requests of one caller that miss together —
 * its entry ran out while it sends 100 requests a second — share the look-up in flight instead
 * of each reading the session and the user (a stampede of reads every SESSION_CACHE_MS, each
 * queued behind the others at the database). A look-up started before an account change is not
 * shared with callers arriving after it.
 */
import type { Models } from '../models';
import { accountChanges } from '../models/accounts';
import { IDLE_TIMEOUT_MS, resolveApiKey, resolveSession, type DepartmentCaller, type SessionUser } from './auth';

export const SESSION_CACHE_MS = 5_000;
const MAX_ENTRIES = 10_000;

interface Entry<T> { at: number; generation: number; value: T }

class CallerCache<T> {
  private entries = new Map<string, Entry<T>>();
  /** Look-ups in flight by key, with the change count they started at. */
  private inFlight = new Map<string, { generation: number; value: Promise<T | null> }>();

  /** `look()` for `key`, shared with the callers that ask while it runs (and started after the last account change). */
  shared(key: string, look: () => Promise<T | null>): Promise<T | null> {
    const running = this.inFlight.get(key);
    if (running && running.generation === accountChanges.generation) return running.value;
    const value = look();
    const entry = { generation: accountChanges.generation, value };
    this.inFlight.set(key, entry);
    const done = () => { if (this.inFlight.get(key) === entry) this.inFlight.delete(key); };
    value.then(done, done);
    return value;
  }

  get(key: string, now: number): T | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.generation !== accountChanges.generation || now - hit.at >= SESSION_CACHE_MS) {
      this.entries.delete(key);
      return undefined;
    }
    return hit.value;
  }

  /** `generation`: the count of changes when the database was read (a change since makes it stale). */
  set(key: string, value: T, at: number, generation: number): void {
    if (generation !== accountChanges.generation) return;
    this.entries.delete(key);
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { at, generation, value });
  }
}

const sessions = new WeakMap<Models, CallerCache<{ user: SessionUser; seenAt: number }>>();
const apiKeys = new WeakMap<Models, CallerCache<DepartmentCaller>>();

function cacheOf<T>(all: WeakMap<Models, CallerCache<T>>, models: Models): CallerCache<T> {
  let cache = all.get(models);
  if (!cache) all.set(models, (cache = new CallerCache<T>()));
  return cache;
}

const copy = (user: SessionUser): SessionUser => ({ ...user, roles: [...user.roles], departments: [...user.departments] });

/** `resolveSession`, remembered: the user behind a session token, or null. */
export async function cachedSession(models: Models, token: string): Promise<SessionUser | null> {
  const cache = cacheOf(sessions, models);
  const now = Date.now();
  const hit = cache.get(token, now);
  // the session's idle timeout and its touch stay resolveSession's (within SESSION_CACHE_MS)
  if (hit && now - hit.seenAt < IDLE_TIMEOUT_MS) return copy(hit.user);
  const user = await cache.shared(token, async () => {
    const generation = accountChanges.generation;
    const found = await resolveSession(models, token);
    if (found) cache.set(token, { user: copy(found), seenAt: now }, now, generation);
    return found ? { user: copy(found), seenAt: now } : null;
  });
  return user ? copy(user.user) : null;
}

/** `resolveApiKey`, remembered: the department system behind an API key, or null. */
export async function cachedApiKey(models: Models, key: string): Promise<DepartmentCaller | null> {
  const cache = cacheOf(apiKeys, models);
  const now = Date.now();
  const hit = cache.get(key, now);
  if (hit) return { ...hit };
  const caller = await cache.shared(key, async () => {
    const generation = accountChanges.generation;
    const found = await resolveApiKey(models, key);
    if (found) cache.set(key, { ...found }, now, generation);
    return found;
  });
  return caller ? { ...caller } : null;
}
