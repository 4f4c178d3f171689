/** What the office moves (recall, cancel, retry) share: opening a run on a stored state. */
import { EngineError } from '../errors';
import type { Definition, FlowState, RunOptions } from '../types';
import { HANDLERS } from './handlers/index';
import { Run } from './run';
import { upgradeState } from './state-upgrade';

/** A run on a copy of `stored` after checking it belongs to `def` and is still active. */
export function openRun(def: Definition, stored: FlowState, opts?: RunOptions): Run {
  const state = upgradeState(stored);
  if (state?.def !== def.hash) {
    throw new EngineError('definition-mismatch', `办件的流程版本（${state?.def}）与所给流程定义（${def.hash}）不一致，请使用办件启动时的版本`);
  }
  if (state.status !== 'active') throw new EngineError('not-active', `办件流程已结束（${state.status}）`);
  const now = opts?.now ?? new Date().toISOString();
  if (Number.isNaN(Date.parse(now))) throw new EngineError('invalid-input', `时间「${now}」不是 ISO 日期时间`);
  return new Run(def, structuredClone(state), HANDLERS, now, opts?.actor);
}
