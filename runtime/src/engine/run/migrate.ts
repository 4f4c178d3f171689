/**
 * Migration of a running case onto another version of its flow (issue #21, docs/migration.md).
 *
 *   const plan = planMigration(state, fromDef, toDef, { Review: 'Review2' }, { now, actor });
 *   plan.problems   // [] when the case can move: else why not (no counterpart, join can't fire…)
 *   plan.before / plan.after   // where it stands: tokens, open tasks with departments, timers, items
 *   plan.step       // only without problems: the migrated state, its waits, the effects (waits cancelled…)
 *
 * Rules: every token, wait and sub-process scope maps by element id, the explicit `mapping`
 * (old id → new id) first; a join token's arrival flow maps by id, else to the new incoming flow
 * of the join on the same branch. Wait ids stay (the server keeps the task, its claimant and
 * history); a wait whose element's kind of wait changed is a problem. A user task keeps its due
 * date unless `lb:dueIn` changed (then it runs from `now`); a timer whose spec changed is
 * re-planned — its wait is replaced by a new one due from `now` — and so is a boundary timer the
 * new version adds; one it removes is cancelled. Items follow the tokens: an item of a step a
 * token waits on is `in-progress`, an item `in-progress` with no such token is `requested`.
 * A parallel join that already has a token, or that a token of its scope can reach, must be
 * able to receive every incoming flow: otherwise the case would be stuck (`join-cannot-fire`).
 * Pure: the input state is not mutated, nothing is done but computed.
 */
import { EngineError } from '../errors';
import { evalFeel } from '../feel';
import type { CompiledElement, Definition, FlowState, ItemStatus, RunOptions, StepResult, Token, WaitKind, WaitRecord } from '../types';
import { taskDue, timerDue } from './activity';
import { result } from './api';
import { HANDLERS } from './handlers/index';
import { Run } from './run';
import { upgradeState } from './state-upgrade';
import { upstreamOf } from './moves-common';
import { describeWaits } from './waits';

/** Old element id → new element id, for renamed or split elements (the rest map by id). */
export type MigrationMapping = Record<string, string>;

export type MigrationProblemCode = 'not-active' | 'no-counterpart' | 'wait-kind-changed' | 'scope-changed' | 'join-cannot-fire' | 'invalid-mapping' | 'missing-field';

export interface MigrationProblem {
  code: MigrationProblemCode;
  /** The element concerned (in the old version for no-counterpart, else the new one). */
  element?: string;
  message: string;
}

/** Where a case stands on one version: what the preview shows side by side. */
export interface CaseStand {
  /** Elements holding a token. */
  elements: string[];
  /** Open tasks (user tasks, receive tasks, message waits) with their departments and due dates. */
  tasks: { element: string; name?: string; kind: WaitKind; groups?: string[]; department?: string; dueAt?: string }[];
  timers: { element: string; dueAt?: string; attachedTo?: string }[];
  items: Record<string, ItemStatus>;
}

export interface MigrationPlan {
  problems: MigrationProblem[];
  before: CaseStand;
  after: CaseStand;
  /** The migrated case, only when there is no problem. */
  step?: StepResult;
}

const MAX_MAPPING = 500;

/** Where the case stands on `def` (its open waits described). */
export function standOf(def: Definition, state: FlowState): CaseStand {
  const waits = describeWaits(def, state);
  return {
    elements: [...new Set(state.tokens.map((t) => t.element))],
    tasks: waits.filter((w) => w.kind !== 'timer' && w.kind !== 'serviceTask').map((w) => ({
      element: w.elementId, kind: w.kind,
      ...(w.name ? { name: w.name } : {}), ...(w.candidateGroups ? { groups: w.candidateGroups } : {}),
      ...(w.department ? { department: w.department } : {}), ...(w.dueAt ? { dueAt: w.dueAt } : {}),
    })),
    timers: waits.filter((w) => w.kind === 'timer').map((w) => ({ element: w.elementId, ...(w.dueAt ? { dueAt: w.dueAt } : {}), ...(w.attachedTo ? { attachedTo: w.attachedTo } : {}) })),
    items: { ...state.items },
  };
}

/** The kind of wait a token resting on `el` has (undefined: an element that does not wait). */
function waitKindOf(el: CompiledElement): WaitKind | undefined {
  switch (el.type) {
    case 'userTask': return 'userTask';
    case 'receiveTask': return 'receiveTask';
    case 'serviceTask': return 'serviceTask';
    case 'intermediateCatchEvent': return el.event?.kind === 'timer' ? 'timer' : 'messageCatch';
    case 'boundaryEvent': return el.event?.kind === 'timer' ? 'timer' : undefined;
    default: return undefined;
  }
}

const label = (def: Definition, id: string) => (def.elements[id]?.name ? `「${def.elements[id]!.name}」（${id}）` : `「${id}」`);
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);


/**
 * Plans the migration of `stored` (running on `from`) onto `to` — see the file header.
 * Throws EngineError `definition-mismatch` when the state is not of `from`, `invalid-input` for a
 * malformed mapping.
 */
export function planMigration(stored: FlowState, from: Definition, to: Definition, mapping: MigrationMapping = {}, opts: RunOptions = {}): MigrationPlan {
  const state = upgradeState(stored);
  if (state?.def !== from.hash) {
    throw new EngineError('definition-mismatch', `办件的流程版本（${state?.def}）与迁移的原版本（${from.hash}）不一致`);
  }
  if (typeof mapping !== 'object' || mapping === null || Array.isArray(mapping) || Object.keys(mapping).length > MAX_MAPPING) {
    throw new EngineError('invalid-input', `映射必须是不超过 ${MAX_MAPPING} 项的「原元素编号 → 新元素编号」对象`);
  }
  const now = opts.now ?? new Date().toISOString();
  if (Number.isNaN(Date.parse(now))) throw new EngineError('invalid-input', `时间「${now}」不是 ISO 日期时间`);
  const before = standOf(from, state);
  const problems: MigrationProblem[] = [];
  if (state.status !== 'active') {
    problems.push({ code: 'not-active', message: `办件流程已结束（${state.status}），无需迁移` });
    return { problems, before, after: before };
  }
  for (const [old, target] of Object.entries(mapping)) {
    if (typeof target !== 'string' || !to.elements[target]) {
      problems.push({ code: 'invalid-mapping', element: old, message: `映射「${old} → ${String(target)}」的目标在新版本中不存在` });
    }
  }
  const mapEl = (id: string): string | undefined => {
    const target = Object.hasOwn(mapping, id) ? mapping[id] : id;
    return typeof target === 'string' && to.elements[target] ? target : undefined;
  };

  const run = new Run(to, structuredClone(state), HANDLERS, now, opts.actor);
  const s = run.state;
  s.def = to.hash;

  // 1. Sub-process scopes.
  const scopeElement = new Map<string, string | null>([['s0', null]]);
  for (const scope of s.scopes) {
    if (!scope.element) continue;
    const target = mapEl(scope.element);
    if (!target || to.elements[target]!.type !== 'subProcess') {
      problems.push({ code: 'no-counterpart', element: scope.element, message: `子流程${label(from, scope.element)}在新版本中没有对应的子流程` });
      continue;
    }
    scope.element = target;
    scopeElement.set(scope.id, target);
  }

  // 2. Tokens: element, parent scope, join flow.
  for (const tok of s.tokens) {
    const old = tok.element;
    const target = mapEl(old);
    if (!target) {
      problems.push({ code: 'no-counterpart', element: old, message: `办件停留的环节${label(from, old)}在新版本中不存在，需要给出映射` });
      continue;
    }
    const el = to.elements[target]!;
    tok.element = target;
    const parent = scopeElement.get(tok.scope);
    if (parent !== undefined && el.parent !== parent) {
      problems.push({ code: 'scope-changed', element: target, message: `环节${label(to, target)}在新版本中换了所属子流程` });
    }
    if (tok.resting === 'join') {
      if (!(el.incoming.length > 1 && (el.type === 'parallelGateway' || el.type === 'inclusiveGateway'))) {
        problems.push({ code: 'join-cannot-fire', element: target, message: `${label(to, target)}在新版本中不再是汇聚网关，已到达的分支无法汇聚` });
        continue;
      }
      const via = joinFlow(from, to, tok, old, target, mapEl);
      if (!via) problems.push({ code: 'join-cannot-fire', element: target, message: `到达汇聚网关${label(to, target)}的分支在新版本中已不存在` });
      else tok.via = via;
    } else if (tok.resting === 'sub' && el.type !== 'subProcess') {
      problems.push({ code: 'wait-kind-changed', element: target, message: `${label(to, target)}在新版本中不再是子流程` });
    } else if (tok.resting === 'mi' && !el.mi) {
      problems.push({ code: 'wait-kind-changed', element: target, message: `${label(to, target)}在新版本中不再是多实例任务` });
    } else if (tok.resting === 'wait' && !waitKindOf(el)) {
      problems.push({ code: 'wait-kind-changed', element: target, message: `${label(to, target)}在新版本中不再是等待办理的环节（${el.type}）` });
    }
  }
  // Two tokens of one scope that now sit on the same step (two elements mapped onto one) would run it twice.
  const seen = new Set<string>();
  for (const tok of s.tokens) {
    if (tok.resting === 'mi') continue;
    const key = `${tok.scope}/${tok.element}/${tok.resting === 'join' ? tok.via : ''}`;
    if (seen.has(key)) problems.push({ code: 'invalid-mapping', element: tok.element, message: `两处办理位置映射到了同一环节${label(to, tok.element)}` });
    seen.add(key);
  }

  // 3. Waits: same kind, attributes of the new version; changed timers re-planned.
  const waits: WaitRecord[] = [];
  for (const w of s.waits) {
    const tok = s.tokens.find((t) => t.id === w.token);
    const target = mapEl(w.element);
    const el = target ? to.elements[target] : undefined;
    if (w.kind === 'timer' && from.elements[w.element]?.type === 'boundaryEvent') {
      // A boundary timer goes with its activity: kept when the new host still has it, else cancelled.
      if (!tok || !el || el.type !== 'boundaryEvent' || el.attachedTo !== tok.element || el.event?.kind !== 'timer') {
        run.effects.push({ type: 'cancelled', waitId: w.id, elementId: w.element });
        continue;
      }
      if (same(from.elements[w.element]!.event?.timer, el.event.timer)) waits.push({ ...w, element: el.id });
      else replan(run, w, el, waits);
      continue;
    }
    if (!el) continue; // its token's problem is reported above
    const kind = waitKindOf(el);
    if (kind !== w.kind) {
      problems.push({ code: 'wait-kind-changed', element: el.id, message: `${label(to, el.id)}的等待方式变了（${w.kind} → ${kind ?? el.type}）` });
      continue;
    }
    const old = from.elements[w.element]!;
    if (kind === 'timer') {
      if (same(old.event?.timer, el.event?.timer)) waits.push({ ...w, element: el.id });
      else replan(run, w, el, waits);
      continue;
    }
    const next: WaitRecord = { ...w, element: el.id };
    if (kind === 'userTask') {
      if (!same(old.lb.dueIn, el.lb.dueIn) || !same(old.lb.dueCalendar, el.lb.dueCalendar)) {
        const due = taskDue(run, el);
        if (due) next.due = due;
        else delete next.due;
      }
      if (!el.lb.candidateGroupsExpr) delete next.groups;
      else if (!same(old.lb.candidateGroupsExpr?.expr, el.lb.candidateGroupsExpr.expr)) {
        const r = evalFeel(el.lb.candidateGroupsExpr, run.context(w.loc), now);
        if ('error' in r) {
          problems.push({ code: 'wait-kind-changed', element: el.id, message: `${label(to, el.id)}的办理部门表达式求值出错：${r.error}` });
          continue;
        }
        next.groups = (Array.isArray(r.value) ? r.value : [r.value]).filter((g) => g !== null && g !== undefined).map(String);
      }
    }
    waits.push(next);
  }
  s.waits = waits;
  // Boundary timers the new version adds to an activity a token waits on.
  for (const tok of s.tokens) {
    if (tok.resting !== 'wait' && tok.resting !== 'mi') continue;
    for (const id of to.elements[tok.element]?.boundaries ?? []) {
      const b = to.elements[id]!;
      if (b.event?.kind !== 'timer' || !b.event.timer || s.waits.some((w) => w.token === tok.id && w.element === id)) continue;
      run.addWait(tok, id, 'timer', { due: timerDue(now, b.event.timer) });
    }
  }

  // 4. Joins that could no longer fire.
  joinProblems(to, s.tokens, problems);

  // 5. Items follow the tokens.
  const live = new Map<string, string>();
  for (const tok of s.tokens) {
    if (tok.resting !== 'wait' && tok.resting !== 'mi') continue;
    const key = to.elements[tok.element]?.lb.linkedItem;
    if (key) live.set(key, tok.element);
  }
  for (const [key, el] of live) if (s.items[key] !== 'in-progress') run.setItem(key, 'in-progress', el);
  for (const [key, status] of Object.entries(s.items)) if (status === 'in-progress' && !live.has(key)) run.setItem(key, 'requested');

  if (problems.length) {
    run.settle();
    return { problems, before, after: standOf(to, s) };
  }
  run.log(s.tokens[0]?.element ?? to.starts.none ?? to.processId, 'migrated', { o: `${from.hash}→${to.hash}` });
  // Anything that can move now does (an inclusive join the new version lets fire).
  run.settle();
  const step = result(run);
  return { problems, before, after: standOf(to, step.state), step };
}

/** Replaces a timer wait by a new one due from now (the server cancels the old timer, schedules the new). */
function replan(run: Run, w: WaitRecord, el: CompiledElement, out: WaitRecord[]): void {
  run.effects.push({ type: 'cancelled', waitId: w.id, elementId: w.element });
  if (!el.event?.timer) return;
  out.push({ id: run.nextId('w'), token: w.token, element: el.id, kind: 'timer', due: timerDue(run.now, el.event.timer) });
}

/**
 * The new arrival flow of a join token: the same flow id, else the join's new incoming flow on the
 * same branch. Each new incoming flow is first traced back over the steps the new version inserted
 * in front of the join (elements neither in the old version nor a mapping's target, one way in)
 * to its origin, the flow it grew out of; the rules compare origins, so steps inserted on a branch
 * do not hide where it came from.
 */
function joinFlow(from: Definition, to: Definition, tok: Token, oldJoin: string, join: string, mapEl: (id: string) => string | undefined): string | undefined {
  const incoming = to.elements[join]!.incoming;
  const via = tok.via;
  if (!via) return undefined;
  if (incoming.includes(via) && to.flows[via]!.target === join) return via;
  const mapped = new Set(Object.keys(from.elements).map(mapEl));
  const originOf = (id: string): string => {
    let flow = id;
    for (let i = 0; i < 100 && !from.flows[flow]; i++) {
      const source = to.elements[to.flows[flow]!.source]!;
      if (from.elements[source.id] || mapped.has(source.id) || source.incoming.length !== 1) break;
      flow = source.incoming[0]!;
    }
    return flow;
  };
  const origins = incoming.map((f) => ({ f, origin: originOf(f) }));
  // The same branch with steps inserted after the token passed.
  const same = origins.find((o) => o.origin === via);
  if (same) return same.f;
  const oldFlow = from.flows[via];
  if (!oldFlow) return undefined;
  // The old branch's last element maps onto the source of a new incoming flow.
  const source = mapEl(oldFlow.source);
  const bySource = origins.find((o) => to.flows[o.origin]?.source === source);
  if (bySource) return bySource.f;
  // A step removed at the end of the branch: a new incoming flow that existed before and led to it.
  const reach = upstreamOf(from, oldFlow.source);
  const removed = origins.find(({ origin }) => from.flows[origin] && reach.has(from.flows[origin]!.target) && from.flows[origin]!.target !== oldJoin);
  if (removed) return removed.f;
  // By elimination: the one new incoming flow no other old branch of the join accounts for.
  const accounted = new Set<string>();
  for (const g of from.elements[oldJoin]?.incoming ?? []) {
    if (g === via) continue;
    const src = mapEl(from.flows[g]!.source);
    const hit = origins.find((o) => o.origin === g) ?? origins.find((o) => to.flows[o.origin]?.source === src);
    if (hit) accounted.add(hit.f);
  }
  const left = incoming.filter((f) => !accounted.has(f));
  return left.length === 1 ? left[0] : undefined;
}

/** Parallel joins a token waits at or can reach must get every incoming flow. */
function joinProblems(def: Definition, tokens: Token[], problems: MigrationProblem[]): void {
  const scopes = new Set(tokens.map((t) => t.scope));
  const upstream = new Map<string, Set<string>>();
  const up = (id: string) => {
    let hit = upstream.get(id);
    if (!hit) upstream.set(id, (hit = upstreamOf(def, id)));
    return hit;
  };
  for (const scope of scopes) {
    const inScope = tokens.filter((t) => t.scope === scope && def.elements[t.element]);
    const moving = inScope.filter((t) => t.resting !== 'join');
    for (const el of Object.values(def.elements)) {
      if (el.type !== 'parallelGateway' || el.incoming.length < 2) continue;
      const filled = new Set(inScope.filter((t) => t.resting === 'join' && t.element === el.id).map((t) => t.via));
      const reachable = (f: string) => moving.some((t) => up(def.flows[f]!.source).has(t.element)) ||
        inScope.some((t) => t.resting === 'join' && t.element !== el.id && up(def.flows[f]!.source).has(t.element));
      const concerned = filled.size > 0 || el.incoming.some(reachable);
      if (!concerned) continue;
      const missing = el.incoming.filter((f) => !filled.has(f) && !reachable(f));
      if (missing.length) {
        problems.push({ code: 'join-cannot-fire', element: el.id, message: `并行汇聚${label(def, el.id)}在新版本中有 ${missing.length} 条分支已没有办件可以到达，流程将无法继续` });
      }
    }
  }
}
