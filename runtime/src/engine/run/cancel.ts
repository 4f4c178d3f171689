/**
 * 撤回申请 / 终止: ends an active case with no result. Every token is removed (a `cancelled`
 * effect per open wait, so the server withdraws tasks and drops timers), every item not yet
 * final becomes `not-applicable`, and the state's status is `cancelled`. No `caseEnded`
 * effect: the server records why (withdrawn by the applicant, cancelled by the admin).
 */
import type { Definition, FlowState, RunOptions, StepResult } from '../types';
import { openRun } from './moves-common';
import { describeWaits } from './waits';

const FINAL = new Set(['done', 'standalone', 'not-applicable']);

export function cancelCase(def: Definition, state: FlowState, opts?: RunOptions & { reason?: string }): StepResult {
  const run = openRun(def, state, opts);
  for (const tok of [...run.state.tokens]) run.cancel(tok);
  run.state.scopes = run.state.scopes.filter((s) => !s.token);
  for (const [key, status] of Object.entries(run.state.items)) if (!FINAL.has(status)) run.setItem(key, 'not-applicable');
  run.settle(); // nothing moves; it reports the items
  run.state.status = 'cancelled';
  run.log(def.processId, 'cancelled', opts?.reason ? { o: opts.reason.slice(0, 200) } : {});
  return { state: run.state, waits: describeWaits(def, run.state), effects: run.effects };
}
