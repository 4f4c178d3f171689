/**
 * The retry machinery the outboxes share (SMS: services/sms/outbox.ts; the provincial exchange:
 * services/exchange/): one document per thing to deliver, `status` pending → sending → done or
 * failed, `nextAttemptAt` for the next try, `lockedUntil` while one process holds it.
 *
 *   const m = await claimNextDue(models.SmsMessage, now, 60_000);   // one process gets it
 *   nextAttemptAt = new Date(now.getTime() + backoffMs(attempts, limits));
 */
import { trusted, type Model } from 'mongoose';

/** Retries: the first after `baseDelayMs`, doubling, at most `maxDelayMs`. */
export interface BackoffLimits {
  baseDelayMs: number;
  maxDelayMs: number;
}

/** The delay before attempt `attempts + 1`: base · 2^(attempts − 1), capped. */
export function backoffMs(attempts: number, limits: BackoffLimits): number {
  return Math.min(limits.maxDelayMs, limits.baseDelayMs * 2 ** Math.max(0, Math.min(attempts - 1, 30)));
}

/**
 * Claims the next due document (pending and due, or a claim that ran out — its process died):
 * marks it `sending` until `now + claimMs`. Several processes never get the same one.
 */
export function claimNextDue<T>(model: Model<T, object, object, { id: string }>, now: Date, claimMs: number) {
  return model.findOneAndUpdate(
    trusted({ $or: [{ status: 'pending', nextAttemptAt: trusted({ $lte: now }) }, { status: 'sending', lockedUntil: trusted({ $lte: now }) }] }),
    { $set: { status: 'sending', lockedUntil: new Date(now.getTime() + claimMs) } },
    { sort: { nextAttemptAt: 1 }, returnDocument: 'after' },
  ).lean<T & { _id: unknown }>();
}
