/**
 * Notifications to applicants: stored in-app with each case step (case-store.ts), and sent as
 * SMS/e-mail by a dispatcher through a provider, in batches claimed with a token (`claim`), so
 * with several processes a message goes out once. In demo mode the provider only logs.
 */
import { randomBytes } from 'node:crypto';
import { trusted } from 'mongoose';
import { DomainError } from './errors';
import type { Models, NotificationDoc } from '../models';
import { log as logger } from '../log';
import { betweenRequests } from './background-gate';

export interface NotificationProvider {
  /** Sends one message to the account; throws when the provider refused it. */
  send(to: { username: string; tenant: string }, message: string): Promise<void>;
}

/** Logs instead of sending (demo mode and tests). */
export function logProvider(log: (line: string) => void = (l) => console.log(l)): NotificationProvider {
  return { send: async (to, message) => log(`[通知·演示] ${to.username}: ${message}`) };
}

export async function listNotifications(models: Models, user: { id: string; tenant: string }) {
  const docs = await models.Notification.find({ tenant: user.tenant, user: user.id }).sort({ at: -1 }).limit(100).lean();
  return docs.map((n) => ({ id: String(n._id), caseId: n.caseId, caseNo: n.caseNo, kind: n.kind, message: n.message, at: n.at, read: n.readAt !== null }));
}

export async function markRead(models: Models, user: { id: string; tenant: string }, id: string) {
  const res = await models.Notification.updateOne({ _id: id, tenant: user.tenant, user: user.id }, { $set: { readAt: new Date() } });
  if (res.matchedCount === 0) throw new DomainError('not-found', '通知不存在');
}

type NotificationWithId = NotificationDoc & { _id: unknown };

export interface DispatchOptions {
  /** Notifications claimed at once (25: a batch is one synchronous chunk in each process — its bulk write, its casting — so it is kept short). */
  batch?: number;
  /** Batches per call at most (40): the next call goes on. */
  maxBatches?: number;
  /** How long a claim holds: a process that died with a batch leaves it to another after this (60 000 ms). */
  claimMs?: number;
  /** Sees each claimed batch first (the SMS outbox's `enqueueSmsBatch`); when it throws, the batch is released. */
  onBatch?: (ns: NotificationWithId[]) => Promise<void>;
  /** The clock (tests). */
  now?: () => Date;
}

export const DISPATCH_DEFAULTS = { batch: 25, maxBatches: 40, claimMs: 60_000 };

/**
 * Sends every notification not sent yet (at most `batch × maxBatches` per call); returns how
 * many were sent. Batched (#24, latency): a batch of up to `batch` unsent notifications is
 * claimed with a token of its own (`claim`, `claimedAt`: several processes never take one
 * notification into two batches while the claim holds; a claim older than `claimMs` — its process
 * died — is free again), handed to `onBatch` (or `onClaimed`, one by one), the accounts read once
 * (`$in`), each sent through the provider, and the batch marked sent in one update: ~9 commands
 * per batch (with the SMS outbox's) instead of 6–10 per notification. When `onBatch`/`onClaimed` throws, the whole batch is
 * released for a later round (the SMS outbox's enqueue is idempotent). A notification whose
 * process died after sending and before marking is sent again after `claimMs` (its SMS is not:
 * one message per notification).
 */
export async function dispatchNotifications(models: Models, provider: NotificationProvider, onClaimed?: (n: NotificationWithId) => Promise<void>, opts: DispatchOptions = {}): Promise<number> {
  const { batch, maxBatches, claimMs } = { ...DISPATCH_DEFAULTS, ...opts };
  const clock = opts.now ?? (() => new Date());
  let sent = 0;
  for (let round = 0; round < maxBatches; round++) {
    await betweenRequests();
    const claimed = await claimBatch(models, clock(), batch, claimMs);
    if (!claimed) return sent;
    const { token, ns } = claimed;
    const ids = ns.map((n) => n._id);
    try {
      if (opts.onBatch) await opts.onBatch(ns);
      if (onClaimed) for (const n of ns) await onClaimed(n);
    } catch (err) {
      await models.Notification.updateMany({ _id: trusted({ $in: ids }), claim: token }, { $set: { claim: null, claimedAt: null } });
      logger.warn({ component: 'notify', err: (err as Error).message, notifications: ns.length }, 'notifications released: their SMS could not be queued');
      return sent;
    }
    const userIds = [...new Set(ns.map((n) => n.user).filter((id) => OBJECT_ID.test(id)))];
    const users = userIds.length ? await models.User.find({ _id: trusted({ $in: userIds }) }).select({ username: 1 }).lean() : [];
    const usernames = new Map(users.map((u) => [String(u._id), u.username]));
    for (const n of ns) {
      const username = usernames.get(n.user);
      if (!username) continue; // the account is gone: nobody to tell
      await provider.send({ username, tenant: n.tenant }, n.message).catch((err) => logger.warn({ component: 'notify', err: (err as Error).message }, 'notification not delivered'));
      sent++;
    }
    // only while the claim is still ours: a batch taken over after `claimMs` is the other process's to mark
    await models.Notification.updateMany({ _id: trusted({ $in: ids }), claim: token, sentAt: null }, { $set: { sentAt: clock() } });
    if (ns.length < batch) return sent;
  }
  return sent;
}

const OBJECT_ID = /^[0-9a-f]{24}$/i;

/**
 * Claims up to `batch` unsent notifications that are free (never claimed, released, or claimed
 * more than `claimMs` ago) under a new token: their ids read, then claimed in one update that
 * re-checks they are still free (a notification another process claimed in between is not
 * taken), then read back by the token. Null when none was free.
 */
async function claimBatch(models: Models, now: Date, batch: number, claimMs: number): Promise<{ token: string; ns: NotificationWithId[] } | null> {
  const free = () => ({ sentAt: null, $or: [{ claim: null }, { claimedAt: trusted({ $lte: new Date(now.getTime() - claimMs) }) }] });
  // a few tries: another process may claim the ones read before this one does
  for (let attempt = 0; attempt < 3; attempt++) {
    const candidates = await models.Notification.find(free()).select({ _id: 1 }).limit(batch).lean();
    if (!candidates.length) return null;
    const token = `${process.pid}.${randomBytes(9).toString('base64url')}`;
    const ids = candidates.map((c) => c._id);
    const res = await models.Notification.updateMany({ _id: trusted({ $in: ids }), ...free() }, { $set: { claim: token, claimedAt: now } });
    if (res.modifiedCount === 0) continue;
    const ns = await models.Notification.find({ _id: trusted({ $in: ids }), claim: token, sentAt: null }).lean<NotificationWithId[]>();
    if (ns.length) return { token, ns };
  }
  return null;
}
