/**
 * The due-date clock of a case (办理时限). While the case waits for something outside the
 * departments' hands — 补正 (back with the applicant) or 挂起 (suspended, e.g. waiting for
 * 劳动能力鉴定) — time does not count against them: `pauseClock` notes when it stopped;
 * `holdTimers` keeps the scheduler off the case's pending timers; `resumeClock` moves every due
 * date still ahead by the time paused — open tasks' `dueAt`, the flow's waits' `due` — and says
 * where the timers now fall, which `releaseTimers` writes (releasing held ones); the case's
 * 承诺时限 and its items' limits move too, by the working days the pause cost (case-deadline.ts).
 *
 *   const paused = pauseClock(doc, now);              // { set: { clock } } — write with the case
 *   await holdTimers(models, caseId, session);         // the scheduler leaves them alone meanwhile
 *   const resumed = resumeClock(doc, now);             // { set: { clock, tasks, flow }, shiftMs, timerShifts }
 *   await releaseTimers(models, caseId, resumed.timerShifts, session);
 *
 * Pure but for the two timer helpers. Pausing a paused clock, or resuming a running one, changes
 * nothing, so 补正 during 挂起 (or the reverse) pauses once and the time is counted once.
 */
import type { ClientSession } from 'mongoose';
import type { CaseDoc, Models } from '../models';
import { shiftDeadline, type CaseDeadline } from './case-deadline';

export interface CaseClock {
  /** Since when the clock stands still; null while it runs. */
  pausedAt: Date | null;
  /** Time paused in all (ms), for the statistics. */
  pausedMs: number;
}

/** A lease no scheduler outlives: a held timer is never claimed. */
const HELD_UNTIL = new Date('9999-12-31T00:00:00Z');
const HOLDER = 'clock-paused';
const OPEN = new Set(['open', 'claimed']);

type ClockDoc = Pick<CaseDoc, 'clock' | 'tasks' | 'flow'> & Partial<Pick<CaseDoc, 'deadline' | 'items'>>;

/** Stops the clock at `now` (already stopped: as it is). */
export function pauseClock(doc: Pick<CaseDoc, 'clock'>, now: Date): { set: { clock: CaseClock } } {
  const clock = doc.clock ?? { pausedAt: null, pausedMs: 0 };
  if (clock.pausedAt) return { set: { clock: { ...clock } } };
  return { set: { clock: { pausedAt: now, pausedMs: clock.pausedMs } } };
}

export interface ClockResumed {
  /** The fields to `$set` with the case: the clock running again, tasks and flow state with their due dates shifted. */
  set: { clock: CaseClock; tasks: CaseDoc['tasks']; flow: CaseDoc['flow']; deadline?: CaseDeadline | null; items?: CaseDoc['items'] };
  /** How long the clock stood still this time (ms; 0 when it was running). */
  shiftMs: number;
  /** The timers' new due dates, by wait id (the timer documents live beside the case). */
  timerShifts: { waitId: string; dueAt: Date }[];
}

/** Restarts the clock at `now`: every open due date moves later by the time paused. */
export function resumeClock(doc: ClockDoc, now: Date): ClockResumed {
  const clock = doc.clock ?? { pausedAt: null, pausedMs: 0 };
  const shiftMs = clock.pausedAt ? Math.max(0, now.getTime() - new Date(clock.pausedAt).getTime()) : 0;
  const later = (d: Date | string) => new Date(new Date(d).getTime() + shiftMs);
  const tasks = doc.tasks.map((t) => (shiftMs && t.dueAt && OPEN.has(t.state) ? { ...t, dueAt: later(t.dueAt) } : t));
  const timerShifts: ClockResumed['timerShifts'] = [];
  let flow = doc.flow;
  const state = doc.flow.state as { waits?: { id: string; kind: string; due?: string }[] } | null;
  if (state && Array.isArray(state.waits)) {
    const waits = state.waits.map((w) => {
      if (!w.due) return w;
      const due = later(w.due);
      // the timer documents are set from the waits (not shifted in place): the scheduler may have put one off meanwhile
      if (w.kind === 'timer') timerShifts.push({ waitId: w.id, dueAt: due });
      return shiftMs ? { ...w, due: due.toISOString() } : w;
    });
    if (shiftMs) flow = { ...doc.flow, state: { ...doc.flow.state, waits } };
  }
  // the case's and items' 承诺时限 move by the working days the pause cost (services/case-deadline.ts)
  const deadline = clock.pausedAt ? shiftDeadline(doc, new Date(clock.pausedAt), now) : null;
  if (deadline) timerShifts.push(...deadline.timerShifts);
  const moved = deadline ? { deadline: deadline.deadline ?? null, items: deadline.items } : {};
  return { set: { clock: { pausedAt: null, pausedMs: clock.pausedMs + shiftMs }, tasks, flow, ...moved }, shiftMs, timerShifts };
}

/** Holds the case's pending timers while its clock is paused. */
export async function holdTimers(models: Models, caseId: string, session?: ClientSession): Promise<void> {
  await models.Timer.updateMany({ caseId, firedAt: null, leaseUntil: null }, { $set: { leaseUntil: HELD_UNTIL, leaseOwner: HOLDER } }, { session });
}

/** Writes the timers' shifted due dates and releases the held ones. */
export async function releaseTimers(models: Models, caseId: string, timerShifts: ClockResumed['timerShifts'], session?: ClientSession): Promise<void> {
  for (const t of timerShifts) {
    await models.Timer.updateOne({ caseId, waitId: t.waitId, firedAt: null }, { $set: { dueAt: t.dueAt } }, { session });
  }
  await models.Timer.updateMany({ caseId, firedAt: null, leaseOwner: HOLDER }, { $set: { leaseUntil: null }, $unset: { leaseOwner: 1 } }, { session });
}
