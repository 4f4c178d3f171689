/**
 * The timer scheduler: every few seconds each server process claims due timers with a lease in
 * MongoDB (so with several processes on one database each timer is taken by one of them), fires
 * the timer on its case, and marks it fired in the same transaction as the case change. A
 * process that dies holding a lease only delays the timer until the lease runs out. A timer
 * whose wait is gone (its task was completed first, which cancels it: firedAt = epoch) is left
 * cancelled without touching the case.
 */
import crypto from 'node:crypto';
import { fireTimer, type FlowState } from '@lianban/runtime';
import { trusted, type ClientSession, type Connection } from 'mongoose';
import type { Models } from '../models';
import { advanceCase } from './advance-case';
import { mutateCase, type CaseWithId } from './case-store';
import { log as logger } from '../log';
import { resumeCase, RESUME_TIMER_PREFIX } from './case-moves';
import { DEADLINE_TIMER_PREFIX, fireDeadlineTimer } from './case-deadline';
import { sweepPending } from './step-effects';
import { betweenRequests } from './background-gate';

const LEASE_MS = 30_000;

export interface Scheduler {
  /** Fires every timer due now; returns how many this process fired. */
  tick(now?: Date): Promise<number>;
  /** Stops ticking; resolves when a tick in progress has finished. */
  stop(): Promise<void>;
}

export function startScheduler(models: Models, conn: Connection, opts: { intervalMs?: number; owner?: string; log?: (m: string) => void } = {}): Scheduler {
  const owner = opts.owner ?? `${process.pid}-${crypto.randomUUID().slice(0, 8)}`;
  const log = opts.log ?? ((m: string) => logger.warn({ component: 'scheduler' }, m));
  let running: Promise<number> | null = null;

  async function claimOne(now: Date) {
    return models.Timer.findOneAndUpdate(
      { firedAt: null, dueAt: trusted({ $lte: now }), $or: [{ leaseUntil: null }, { leaseUntil: trusted({ $lt: now }) }] },
      { $set: { leaseUntil: new Date(now.getTime() + LEASE_MS), leaseOwner: owner } },
      { returnDocument: 'after', sort: { dueAt: 1 } },
    ).lean();
  }

  /** Fires the timer on its case; false when the case no longer waits for it. */
  async function fire(timer: { _id: unknown; caseId: string; waitId: string }, now: Date): Promise<boolean> {
    return mutateCase(models, () => models.Case.findById(timer.caseId).lean() as Promise<CaseWithId | null>, async (doc) => {
      const state = doc.flow.state as unknown as FlowState | null;
      // Only while it is still ours and unfired: a completion may have cancelled it meanwhile
      // (firedAt = epoch, in the completion's transaction), and a cancelled timer stays cancelled.
      const mark = (firedAt: Date, s?: ClientSession) => models.Timer.updateOne({ _id: timer._id, leaseOwner: owner, firedAt: null }, { $set: { firedAt } }, { session: s });
      const leaseLost = async (session: ClientSession) => {
        if ((await mark(now, session)).matchedCount === 0) throw new Error('timer lease lost');
      };
      // 挂起: `until` came — the case resumes (services/case-moves.ts)
      if (timer.waitId.startsWith(RESUME_TIMER_PREFIX)) {
        if (doc.status !== 'suspended') { await mark(new Date(0)); return false; }
        await resumeCase(models, conn, null, timer.caseId, { tenant: doc.tenant, now, alsoWrite: leaseLost });
        return true;
      }
      // A suspended case's timers wait: put off until the suspension's end (resuming sets their
      // due dates again, shifted by the time suspended), the lease released.
      if (doc.status === 'suspended') {
        const later = doc.suspension?.until && new Date(doc.suspension.until) > now ? new Date(doc.suspension.until) : new Date(now.getTime() + 86_400_000);
        await models.Timer.updateOne({ _id: timer._id, leaseOwner: owner, firedAt: null }, { $set: { dueAt: later, leaseUntil: null } });
        return false;
      }
      // 承诺时限: the warning before it ends, the escalation after (services/case-deadline.ts)
      if (timer.waitId.startsWith(DEADLINE_TIMER_PREFIX)) return fireDeadlineTimer(models, conn, doc, timer, now, mark);
      if (!state || state.status !== 'active' || !state.waits.some((w) => w.id === timer.waitId)) {
        // The wait is gone without the timer being cancelled with it: it can never fire.
        await mark(new Date(0));
        return false;
      }
      await advanceCase({ models, conn }, doc, { actor: 'timer', now }, (def) => ({
        step: fireTimer(def, state, timer.waitId, { now: now.toISOString(), actor: 'timer' }),
        event: { at: now, actor: 'system', action: 'timer.fired', detail: timer.waitId },
        alsoWrite: async (session) => {
          const res = await mark(now, session);
          // Our lease ran out and another process took the timer (or a completion cancelled it): leave it.
          if (res.matchedCount === 0) throw new Error('timer lease lost');
        },
      }));
      return true;
    });
  }

  async function tick(now = new Date()): Promise<number> {
    // side documents of steps whose process died before folding them (services/step-effects.ts)
    await sweepPending(models).catch((err: Error) => log(`sweep of pending side documents failed: ${err.message}`));
    let fired = 0;
    for (let timer = await claimOne(now); timer; await betweenRequests(), timer = await claimOne(now)) {
      try {
        if (await fire(timer, now)) fired++;
      } catch (err) {
        log(`timer ${timer.waitId} of case ${timer.caseId} failed: ${(err as Error).message}`);
      }
    }
    return fired;
  }

  const interval = setInterval(() => {
    if (running) return;
    running = tick().catch((err) => { log(`tick failed: ${(err as Error).message}`); return 0; }).finally(() => { running = null; });
  }, opts.intervalMs ?? 5000);
  interval.unref();
  return {
    tick: (now) => tick(now),
    stop: async () => {
      clearInterval(interval);
      await running;
    },
  };
}
