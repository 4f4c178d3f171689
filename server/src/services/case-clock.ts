/**
 * The due-date clock of a case. While the case waits on the applicant (补正) or is suspended
 * (挂起), time does not count against the departments: `pauseClock` notes when it stopped and
 * holds the case's pending timers; `resumeClock` shifts every open task's `dueAt`, the flow's
 * waits' due times and the pending timers by the time paused, and releases the timers.
 *
 *   const paused = pauseClock(doc, now);           // { set: { clock } } — write with the case
 *   await holdTimers(models, caseId, session);      // the scheduler leaves them alone meanwhile
 *   const resumed = resumeClock(doc, now);          // { set: { clock, tasks, flow }, shiftMs }
 *   await shiftTimers(models, caseId, resumed.shiftMs, session);
 *
 * Pure but for the two timer helpers. Pausing a paused clock, or resuming a running one, changes nothing.
 */
import type { ClientSession } from 'mongoose';
import type { CaseDoc, Models } from '../models';

export interface CaseClock { pausedAt: Date | null; pausedMs: number }

/** A lease no scheduler outlives: a held timer is never claimed. */
const HELD_UNTIL = new Date('9999-12-31T00:00:00Z');
const HOLDER = 'clock-paused';

/** Stops the clock at `now` (already stopped: as it is). */
export function pauseClock(doc: Pick<CaseDoc, 'clock'>, now: Date): { set: { clock: CaseClock } } {
  const clock = doc.clock ?? { pausedAt: null, pausedMs: 0 };
  if (clock.pausedAt) return { set: { clock: { ...clock } } };
  return { set: { clock: { pausedAt: now, pausedMs: clock.pausedMs } } };
}

/**
 * Restarts the clock at `now`: open tasks' `dueAt` and the flow's waits' `due` move later by the
 * time paused (`shiftMs`, 0 when the clock was running). Write `set` with the case and pass
 * `shiftMs` to `shiftTimers` in the same transaction.
 */
export function resumeClock(doc: Pick<CaseDoc, 'clock' | 'tasks' | 'flow'>, now: Date): { set: { clock: CaseClock; tasks: CaseDoc['tasks']; flow: CaseDoc['flow'] }; shiftMs: number } {
  const clock = doc.clock ?? { pausedAt: null, pausedMs: 0 };
  const shiftMs = clock.pausedAt ? Math.max(0, now.getTime() - new Date(clock.pausedAt).getTime()) : 0;
  const later = (d: Date | string) => new Date(new Date(d).getTime() + shiftMs);
  const tasks = doc.tasks.map((t) => (t.dueAt && (t.state === 'open' || t.state === 'claimed') ? { ...t, dueAt: later(t.dueAt) } : t));
  let state = doc.flow.state;
  const waits = (state as { waits?: { due?: string }[] } | null)?.waits;
  if (state && shiftMs && Array.isArray(waits)) {
    state = { ...state, waits: waits.map((w) => (w.due ? { ...w, due: later(w.due).toISOString() } : w)) };
  }
  return { set: { clock: { pausedAt: null, pausedMs: clock.pausedMs + shiftMs }, tasks, flow: { ...doc.flow, state } }, shiftMs };
}

/** Holds the case's pending timers while its clock is paused. */
export async function holdTimers(models: Models, caseId: string, session?: ClientSession): Promise<void> {
  await models.Timer.updateMany({ caseId, firedAt: null, leaseUntil: null }, { $set: { leaseUntil: HELD_UNTIL, leaseOwner: HOLDER } }, { session });
}

/** Releases the held timers, due `shiftMs` later. */
export async function shiftTimers(models: Models, caseId: string, shiftMs: number, session?: ClientSession): Promise<void> {
  const timers = await models.Timer.find({ caseId, firedAt: null }).session(session ?? null).lean();
  for (const t of timers) {
    const held = t.leaseOwner === HOLDER;
    if (!held && !shiftMs) continue;
    await models.Timer.updateOne({ _id: t._id }, {
      $set: { dueAt: new Date(new Date(t.dueAt).getTime() + shiftMs), ...(held ? { leaseUntil: null } : {}) },
      ...(held ? { $unset: { leaseOwner: 1 } } : {}),
    }, { session });
  }
}
