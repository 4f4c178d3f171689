/**
 * Office moves on the token level: 退回 (return to an earlier user task) and the administrator's
 * move of a token (docs/office-moves.md).
 *
 *   returnTargets(def, state, waitId)                       // [{ elementId, name }] the wait may go back to
 *   moveTokens(def, state, { from: [waitId], to: 'Review' }, { now, actor })
 *
 * `moveTokens` cancels the tokens at `from` (wait ids or element ids; their waits are reported as
 * `cancelled` effects) and places one token at `to`, entering it as if it had just arrived. The
 * case stays consistent:
 * - every other token of `to`'s scope that lies downstream of `to` (it would be produced again
 *   when the new token runs) is cancelled — a return from inside a parallel/inclusive branch to
 *   before its fork removes the sibling branches and the tokens already waiting at the join;
 * - a parallel join downstream of `to` gets a waiting token for each incoming flow that nothing
 *   can reach any more (branches finished before the join fired, when returning from after the
 *   join into one branch), so the join fires exactly once when the moved token arrives;
 * - linked items set by the returned-over part (elements downstream of `to`, `to` included) go
 *   back to `requested`, and so does an item `in-progress` whose activity lost its token; the
 *   activity at `to` then marks its item `in-progress` on entry.
 * Pure like every engine operation: the input state is not mutated.
 */
import { EngineError } from '../errors';
import type { Definition, FlowState, RunOptions, StepResult, Token } from '../types';
import { result, resumeRun } from './api';
import type { Run } from './run';
import { upgradeState } from './state-upgrade';
import { upstreamOf } from './moves-common';

export interface MoveInput {
  /** Wait ids or element ids whose tokens are cancelled. */
  from: string[];
  /** The element that receives the token. */
  to: string;
}

export interface ReturnTarget {
  elementId: string;
  name?: string;
}

const MAX_FROM = 100;

/** Forward successors of an element: its outgoing flows' targets and its boundary events. */
function successors(def: Definition, id: string): string[] {
  const el = def.elements[id]!;
  return [...el.outgoing.map((f) => def.flows[f]!.target), ...(el.boundaries ?? [])];
}

/** Elements reachable forward from `start` (included), bounded by the definition's size. */
function downstream(def: Definition, start: string): Set<string> {
  const seen = new Set<string>();
  const stack = [start];
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id) || !def.elements[id]) continue;
    seen.add(id);
    stack.push(...successors(def, id));
  }
  return seen;
}


/** Can `el` receive a moved token? Not a start or boundary event, not a join (it needs the flow it came by). */
function placeable(def: Definition, id: string): boolean {
  const el = def.elements[id];
  if (!el) return false;
  if (el.type === 'startEvent' || el.type === 'boundaryEvent') return false;
  const gateway = el.type === 'parallelGateway' || el.type === 'inclusiveGateway' || el.type === 'exclusiveGateway';
  return !(gateway && el.incoming.length > 1);
}

/** The scope a token at `to` belongs in: the process, or a running instance of its sub-process (preferring the one of `near`). */
function scopeFor(run: Run, to: string, near: Token[]): string | undefined {
  const parent = run.def.elements[to]!.parent;
  if (parent === null) return 's0';
  const candidates = run.state.scopes.filter((s) => s.element === parent).map((s) => s.id);
  const chainOf = (sc: string): string[] => {
    const chain: string[] = [];
    for (let cur: string | undefined = sc, i = 0; cur && i < 1000; i++) {
      chain.push(cur);
      const owner = run.ownerOf(cur);
      cur = owner?.scope;
    }
    return chain;
  };
  for (const t of near) {
    const hit = chainOf(t.scope).find((s) => candidates.includes(s));
    if (hit) return hit;
  }
  return candidates[0];
}

/** The tokens named by `from` (wait ids or element ids). */
function resolveFrom(run: Run, from: string[]): Token[] {
  if (!Array.isArray(from) || !from.length || from.length > MAX_FROM) {
    throw new EngineError('invalid-input', `from 必须是 1 到 ${MAX_FROM} 个待办或元素编号`);
  }
  const out = new Set<Token>();
  for (const ref of from) {
    if (typeof ref !== 'string') throw new EngineError('invalid-input', 'from 的每一项必须是字符串');
    const wait = run.state.waits.find((w) => w.id === ref);
    const toks = wait ? [run.token(wait.token)].filter((t): t is Token => !!t) : run.state.tokens.filter((t) => t.element === ref);
    if (!toks.length) throw new EngineError('unknown-wait', `「${ref}」处没有正在等待的待办或令牌（可能已办结或已移动）`, ref);
    for (const t of toks) out.add(t);
  }
  return [...out];
}

/**
 * Moves the case: cancels the tokens at `from` and places one at `to` (see the file header).
 * Throws EngineError: not-active, definition-mismatch, unknown-wait (nothing at `from`),
 * invalid-input (`to` unknown, not placeable, or its sub-process not running).
 */
export function moveTokens(def: Definition, state: FlowState, input: MoveInput, opts?: RunOptions): StepResult {
  const run = resumeRun(def, state, opts);
  const to = input?.to;
  if (typeof to !== 'string' || !def.elements[to]) throw new EngineError('invalid-input', `流程中没有元素「${String(to)}」`);
  if (!placeable(def, to)) throw new EngineError('invalid-input', `不能把令牌移到「${def.elements[to]!.name ?? to}」（开始事件、边界事件或汇聚网关）`, to);
  const fromTokens = resolveFrom(run, input.from);
  const scope = scopeFor(run, to, fromTokens);
  if (!scope) throw new EngineError('invalid-input', `「${def.elements[to]!.name ?? to}」所在的子流程没有在运行，不能移入`, to);

  // 1. Cancel the tokens at `from` (with their waits and sub-process scopes).
  for (const t of fromTokens) if (run.token(t.id)) run.cancel(t);

  // 2. Cancel what lies downstream of `to` in its scope: it will be produced again.
  const region = downstream(def, to);
  for (const t of [...run.state.tokens]) {
    if (t.scope !== scope || !run.token(t.id)) continue;
    const at = t.resting === 'join' && t.via ? def.flows[t.via]!.source : t.element;
    if (region.has(at)) run.cancel(t);
  }
  // Cancelling may have emptied a scope the target lives in: it is gone, refuse (nothing is saved).
  if (!run.state.scopes.some((s) => s.id === scope)) {
    throw new EngineError('invalid-input', `移动后「${def.elements[to]!.name ?? to}」所在的子流程已不存在`, to);
  }

  // 3. Parallel joins downstream: flows nothing can reach any more get a waiting token.
  for (const id of region) {
    const el = def.elements[id]!;
    if (el.type !== 'parallelGateway' || el.incoming.length < 2 || el.parent !== def.elements[to]!.parent) continue;
    for (const f of el.incoming) {
      const source = def.flows[f]!.source;
      if (region.has(source)) continue;
      const waiting = run.state.tokens.some((t) => t.scope === scope && t.element === id && t.resting === 'join' && t.via === f);
      if (waiting) continue;
      const reach = upstreamOf(def, source);
      if (run.state.tokens.some((t) => t.scope === scope && reach.has(t.element) && !(t.element === id))) continue;
      const placeholder = run.newToken(id, scope);
      placeholder.resting = 'join';
      placeholder.via = f;
    }
  }

  // 4. Items set by the returned-over part go back to `requested`.
  const keys = new Set<string>();
  for (const id of region) {
    const el = def.elements[id]!;
    if (el.lb.linkedItem) keys.add(el.lb.linkedItem);
    for (const f of el.outgoing) {
      const flow = def.flows[f]!;
      const key = flow.linkedItem ?? el.lb.linkedItem;
      if (flow.itemStatus && key) keys.add(key);
    }
  }
  // An item in progress whose activity lost its token (moved away from) is no longer in progress either.
  const live = new Set(run.state.tokens.filter((t) => t.resting !== 'join').map((t) => def.elements[t.element]!.lb.linkedItem));
  for (const [key, status] of Object.entries(run.state.items)) if (status === 'in-progress' && !live.has(key)) keys.add(key);
  for (const key of keys) if (key in run.state.items && run.state.items[key] !== 'requested') run.setItem(key, 'requested');

  // 5. Place the token and let it run until it rests.
  run.log(to, 'moved', { o: fromTokens.map((t) => t.element).join(',') });
  run.enter(run.newToken(to, scope));
  run.settle();
  return result(run);
}

/**
 * The earlier user tasks the wait may be returned to (退回): user tasks completed in this case,
 * reachable backwards from the wait's element in its scope or an enclosing one, never past an
 * element carrying `lb:noReturn="true"` (that element itself may still be a target).
 */
export function returnTargets(def: Definition, stored: FlowState, waitId: string): ReturnTarget[] {
  const state = upgradeState(stored);
  if (state?.def !== def.hash || state.status !== 'active') return [];
  const wait = state.waits.find((w) => w.id === waitId);
  if (!wait) return [];
  const completed = new Set(state.history.filter((h) => h.ev === 'completed').map((h) => h.el));
  const preds = new Map<string, string[]>();
  for (const f of Object.values(def.flows)) preds.set(f.target, [...(preds.get(f.target) ?? []), f.source]);

  const out: ReturnTarget[] = [];
  const seen = new Set<string>([wait.element]);
  const stack = [...(preds.get(wait.element) ?? [])];
  if (def.elements[wait.element]?.lb.noReturn) return [];
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const el = def.elements[id];
    if (!el) continue;
    if (el.type === 'userTask' && completed.has(id) && !el.mi) out.push(el.name ? { elementId: id, name: el.name } : { elementId: id });
    if (el.lb.noReturn) continue;
    // A sub-process's start: carry on before the sub-process, in the enclosing scope.
    if (el.type === 'startEvent' && el.parent) stack.push(...(preds.get(el.parent) ?? []));
    else stack.push(...(preds.get(id) ?? []));
  }
  return out;
}
