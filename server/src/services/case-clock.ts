/**
 * The case's due-date clock (办理时限). It pauses while the case waits for something outside
 * the departments' hands — 挂起 (suspended, e.g. waiting for 劳动能力鉴定), 补正 (back with the
 * applicant) — and on resume every due date still ahead moves by the time it was paused: the
 * open tasks' `dueAt`, the flow's waits' `due` (user tasks and timers) and the pending timers'
 * `dueAt` (which the caller writes with `timerShifts`).
 *
 *   const set = pauseClock(doc, now);                 // $set fields: clockPausedAt
 *   const { set, pausedMs, timerShifts } = resumeClock(doc, now);
 */
import type { CaseDoc } from '../models';

type ClockDoc = Pick<CaseDoc, 'tasks' | 'flow'> & { clockPausedAt?: Date | null };

/** The fields to `$set` to pause the clock at `now` (nothing when it is already paused). */
export function pauseClock(doc: ClockDoc, now: Date): Partial<Pick<CaseDoc, 'clockPausedAt'>> {
  return doc.clockPausedAt ? {} : { clockPausedAt: now };
}

export interface ClockResumed {
  /** The fields to `$set`: clockPausedAt cleared, tasks and flow state with their due dates shifted. */
  set: Partial<Pick<CaseDoc, 'clockPausedAt' | 'tasks' | 'flow'>>;
  /** How long the clock stood still (ms). */
  pausedMs: number;
  /** The timers' new due dates, by wait id (the timer documents live beside the case). */
  timerShifts: { waitId: string; dueAt: Date }[];
}

const OPEN = new Set(['open', 'claimed']);

/** Resumes the clock at `now`: every open due date moves by the time it was paused. */
export function resumeClock(doc: ClockDoc, now: Date): ClockResumed {
  if (!doc.clockPausedAt) return { set: {}, pausedMs: 0, timerShifts: [] };
  const pausedMs = Math.max(0, now.getTime() - new Date(doc.clockPausedAt).getTime());
  const shift = (d: Date | string) => new Date(new Date(d).getTime() + pausedMs);
  const tasks = doc.tasks.map((t) => (OPEN.has(t.state) && t.dueAt ? { ...t, dueAt: shift(t.dueAt) } : t));
  const timerShifts: ClockResumed['timerShifts'] = [];
  let flow = doc.flow;
  const state = doc.flow.state as { waits?: { id: string; kind: string; due?: string }[] } | null;
  if (state?.waits) {
    const waits = state.waits.map((w) => {
      if (!w.due) return w;
      const due = shift(w.due);
      if (w.kind === 'timer') timerShifts.push({ waitId: w.id, dueAt: due });
      return { ...w, due: due.toISOString() };
    });
    flow = { ...doc.flow, state: { ...doc.flow.state, waits } };
  }
  return { set: { clockPausedAt: null, tasks, flow }, pausedMs, timerShifts };
}
