/**
 * 撤回 (recall): undoing a completion while the step it led to is untouched.
 *
 * When a wait is completed the server keeps a `RecallPoint`: the state before the completion
 * (without its history, which only grows) and a fingerprint of the state the completion produced
 * (`seq` and history length — every engine step adds history). `recall` restores the earlier
 * state only while the case's state still has that fingerprint; otherwise the case has moved on
 * (another step, a timer, a message) and it throws `moved-on`. The restored state keeps the
 * current `seq` (ids are never reused) and the full history plus a `recalled` entry.
 */
import { EngineError } from '../errors';
import type { Definition, Effect, FlowState, RunOptions, StepResult } from '../types';
import { openRun } from './moves-common';
import { upgradeState } from './state-upgrade';
import { describeWaits } from './waits';

export interface RecallPoint {
  /** The wait the completion took. */
  wait: string;
  /** The state before the completion, history left out. */
  before: Omit<FlowState, 'history'>;
  /** History length before the completion. */
  history: number;
  /** Fingerprint of the state the completion produced. */
  seq: number;
  historyAfter: number;
}

/** The point to recall a completion of `waitId` to: `before` the state it started from, `after` the state it produced. */
export function recallPoint(before: FlowState, after: FlowState, waitId: string): RecallPoint {
  const { history, ...rest } = upgradeState(before);
  return { wait: waitId, before: structuredClone(rest), history: history.length, seq: after.seq, historyAfter: after.history.length };
}

/** Whether `state` is still the one the completion behind `point` produced. */
export function canRecall(state: FlowState | null, point: RecallPoint | undefined): boolean {
  if (!state || !point) return false;
  const s = upgradeState(state);
  return s.status === 'active' && s.seq === point.seq && s.history.length === point.historyAfter;
}

/**
 * Restores the state before the completion behind `point`: the completed wait is open again;
 * waits opened since are withdrawn (`cancelled` effects) and items set since go back
 * (`itemStatus` effects). Throws `moved-on` when the state changed since the completion.
 */
export function recall(def: Definition, state: FlowState, point: RecallPoint, opts?: RunOptions): StepResult {
  const run = openRun(def, state, opts);
  const current = run.state;
  if (!canRecall(current, point)) throw new EngineError('moved-on', '办件已进入后续环节（已有人认领、办理或流程已推进），不能撤回');
  const restored: FlowState = {
    ...structuredClone(point.before), seq: current.seq, status: 'active',
    history: [...current.history, { at: run.now, el: waitElement(point), ev: 'recalled', w: point.wait, ...(run.actor ? { by: run.actor } : {}) }],
  };
  const effects: Effect[] = [];
  const kept = new Set(restored.waits.map((w) => w.id));
  for (const w of current.waits) if (!kept.has(w.id)) effects.push({ type: 'cancelled', waitId: w.id, elementId: w.element });
  for (const key of new Set([...Object.keys(current.items), ...Object.keys(restored.items)])) {
    const status = restored.items[key];
    if (status && status !== current.items[key]) effects.push({ type: 'itemStatus', linkedItem: key, status });
  }
  return { state: restored, waits: describeWaits(def, restored), effects };
}

function waitElement(point: RecallPoint): string {
  return point.before.waits.find((w) => w.id === point.wait)?.element ?? '';
}
