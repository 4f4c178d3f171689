/** What the office moves (recall, cancel, retry, moves, migration) share: opening a run on a stored state, walking the graph back. */
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

/** Elements from which `target` can be reached in `def` (target included), boundary events through their activity. */
export function upstreamOf(def: Definition, target: string): Set<string> {
  const preds = new Map<string, string[]>();
  for (const f of Object.values(def.flows)) preds.set(f.target, [...(preds.get(f.target) ?? []), f.source]);
  for (const el of Object.values(def.elements)) if (el.attachedTo) preds.set(el.id, [...(preds.get(el.id) ?? []), el.attachedTo]);
  const seen = new Set<string>();
  const stack = [target];
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(preds.get(id) ?? []));
  }
  return seen;
}
