/**
 * What every activity shares: on entry its linked item becomes `in-progress` and its boundary
 * timers open; on completion the boundary timers close, the item takes its final status
 * (`lb:outcomeItemStatus` for the outcome, else `lb:itemStatus`, else `done`) and the token leaves.
 */
import { addDuration, parseDuration } from '../time';
import type { CompiledElement, Token } from '../types';
import type { Run } from './run';

/** Marks the item in progress and opens the boundary timers of the activity. */
export function enterActivity(run: Run, tok: Token, el: CompiledElement): void {
  if (el.lb.linkedItem) run.setItem(el.lb.linkedItem, 'in-progress', el.id);
  for (const id of el.boundaries ?? []) {
    const b = run.el(id);
    if (b.event?.kind !== 'timer' || !b.event.timer) continue;
    run.addWait(tok, id, 'timer', { due: timerDue(run.now, b.event.timer) });
  }
}

/** Closes the activity (its other waits are withdrawn) and moves the token on. */
export function completeActivity(run: Run, tok: Token, el: CompiledElement, outcome?: string): void {
  run.dropWaits(tok.id);
  const key = el.lb.linkedItem;
  if (key) run.setItem(key, (outcome && el.lb.outcomeItemStatus?.[outcome]) || el.lb.itemStatus || 'done', el.id);
  delete tok.resting;
  delete tok.mi;
  run.leave(tok, el);
}

/** The due time of a timer spec, from `now`. */
export function timerDue(now: string, timer: { duration?: string; date?: string; calendar?: 'workdays' }): string {
  if (timer.date) return new Date(timer.date).toISOString();
  return addDuration(now, parseDuration(timer.duration!)!, timer.calendar);
}

/** The due time of a user task from `lb:dueIn` / `lb:dueCalendar`, if any. */
export function taskDue(run: Run, el: CompiledElement): string | undefined {
  if (!el.lb.dueIn) return undefined;
  return addDuration(run.now, parseDuration(el.lb.dueIn)!, el.lb.dueCalendar);
}

/** Merges completion variables into the process variables and records the outcome. */
export function applyInput(run: Run, el: CompiledElement, input: { outcome?: string; variables?: Record<string, unknown> }): string | undefined {
  if (input.variables) Object.assign(run.state.vars, input.variables);
  const outcome = input.outcome ?? (typeof input.variables?.outcome === 'string' ? input.variables.outcome : undefined);
  // Always overwrite: a gateway after this step must never read an earlier step's outcome.
  run.state.vars.outcome = outcome ?? null;
  if (el.lb.outcomeVariable && !el.mi) run.state.vars[el.lb.outcomeVariable] = outcome ?? null;
  return outcome;
}
