/**
 * Retrying an incident (a token parked because a condition failed, no path was open, a payload
 * could not be computed, or a service task failed without an error boundary). The token takes
 * up where it stopped: a failed service task's wait is simply open again (the server pushes
 * once more); a gateway decides again; any other element leaves again (the failed condition is
 * evaluated anew) or, for a payload error, is entered again. The incident is marked `resolved`;
 * if the retry parks the token again a new incident is recorded — the server then refuses the
 * retry without saving (`effects` has an `incident`).
 */
import { EngineError } from '../errors';
import type { Definition, FlowState, RunOptions, StepResult } from '../types';
import { HANDLERS } from './handlers/index';
import { openRun } from './moves-common';
import { describeWaits } from './waits';

/** The open incidents of a state with their index (the index is their stable id). */
export function openIncidents(state: FlowState | null): { index: number; el: string; flow?: string; code: string; message: string; at: string }[] {
  return (state?.incidents ?? []).map((inc, index) => ({ index, ...inc })).filter((i) => !i.resolved && state?.status === 'active');
}

export function retryIncident(def: Definition, state: FlowState, index: number, opts?: RunOptions): StepResult {
  const run = openRun(def, state, opts);
  const incident = run.state.incidents[index];
  if (!incident || incident.resolved) throw new EngineError('no-incident', '该故障不存在或已处理');
  const tok = run.state.tokens.find((t) => t.resting === 'incident' && t.element === incident.el);
  incident.resolved = run.now;
  run.log(incident.el, 'retried', { o: incident.code });
  if (tok) {
    const el = run.el(tok.element);
    const wait = run.state.waits.find((w) => w.token === tok.id);
    if (wait) {
      tok.resting = 'wait';
    } else {
      delete tok.resting;
      if (el.type === 'exclusiveGateway') HANDLERS.exclusiveGateway.enter(run, tok, el);
      else if (el.type === 'inclusiveGateway') HANDLERS.inclusiveGateway.proceed!(run, tok, el);
      else if (incident.flow || incident.code === 'no-path') run.leave(tok, el);
      else run.enter(tok);
      run.settle();
    }
  }
  return { state: run.state, waits: describeWaits(def, run.state), effects: run.effects };
}
