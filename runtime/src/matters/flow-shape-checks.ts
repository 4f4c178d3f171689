/**
 * Publish checks on the shape of a deployed flow (issue 17, findings 8 and 9). Each rule refuses
 * only what can never run correctly, and names the element:
 *
 * - a receive task or intermediate message catch event without `lb:department` (or with a
 *   reserved key): `POST /messages` would accept its message from any department's system;
 * - a cycle of sequence flows (within one process or sub-process) on which no token can rest:
 *   nothing changes inside such a loop (variables change only when a wait completes), so a token
 *   that goes round once goes round forever — the engine stops the step with `runaway` (409)
 *   after 10,000 moves and the submission or completion that entered it always fails;
 * - a parallel join two of whose incoming flows can only be reached through different outgoing
 *   flows of one exclusive gateway that at most one token ever reaches (nothing forks before it,
 *   it is on no cycle): only one of those flows is ever taken, so the join never fires and its
 *   tokens rest there forever;
 * - a gateway with no outgoing flow: the engine silently ends the token there (the case may end
 *   as completed half-way). An activity or event without outgoing flow ends its token as BPMN
 *   says (implicit end) and is accepted.
 *
 *   flowShapeChecks(definition)   // PublishProblem[]
 */
import type { CompiledElement, Definition } from '../engine/types';
import type { PublishProblem } from './types';

/**
 * Department keys the platform gives a meaning to, which a city may not use for a department:
 * `applicant` (tasks of the applicant: a department of that key would see them all),
 * `unassigned` (tasks with no candidate group, likewise), `system` and `timer` (actors of the
 * case timeline). Not `data-sharing`: it is the outbox of pushes with neither department nor
 * connector, and a city creates a department system of that key to read it.
 */
export const RESERVED_DEPARTMENT_KEYS: ReadonlySet<string> = new Set(['applicant', 'unassigned', 'system', 'timer']);

const GATEWAYS: ReadonlySet<string> = new Set(['exclusiveGateway', 'parallelGateway', 'inclusiveGateway']);
const WAITS: ReadonlySet<string> = new Set(['userTask', 'receiveTask', 'serviceTask', 'intermediateCatchEvent']);

const label = (el: CompiledElement) => (el.name ? `「${el.name}」（${el.id}）` : `「${el.id}」`);

/** Every flow-shape problem of a deployed flow. */
export function flowShapeChecks(def: Definition): PublishProblem[] {
  return [...messageDepartmentProblems(def), ...gatewayExitProblems(def), ...cycleProblems(def), ...deadJoinProblems(def)];
}

function messageDepartmentProblems(def: Definition): PublishProblem[] {
  const problems: PublishProblem[] = [];
  for (const el of Object.values(def.elements)) {
    const receives = el.type === 'receiveTask' || (el.type === 'intermediateCatchEvent' && el.event?.kind === 'message');
    if (!receives) continue;
    const dept = el.lb.department;
    if (!dept) {
      problems.push({ element: el.id, message: `接收消息的环节${label(el)}没有设置 lb:department：任何部门的系统都能发送它的消息，请指定由哪个部门回传` });
    } else if (RESERVED_DEPARTMENT_KEYS.has(dept)) {
      problems.push({ element: el.id, message: `接收消息的环节${label(el)}的 lb:department「${dept}」是保留标识，不是部门，请指定由哪个部门回传` });
    }
  }
  return problems;
}

function gatewayExitProblems(def: Definition): PublishProblem[] {
  return Object.values(def.elements)
    .filter((el) => GATEWAYS.has(el.type) && el.outgoing.length === 0)
    .map((el) => ({ element: el.id, message: `网关${label(el)}没有出口顺序流：到达它的办件会在此无声结束，请连接后续环节或结束事件` }));
}

// ---- graph helpers ----------------------------------------------------------------------------

/** Scopes: the process (null) and each sub-process, with their elements. */
function scopes(def: Definition): Map<string | null, CompiledElement[]> {
  const out = new Map<string | null, CompiledElement[]>();
  for (const el of Object.values(def.elements)) {
    const list = out.get(el.parent);
    if (list) list.push(el);
    else out.set(el.parent, [el]);
  }
  return out;
}

/** Successors of an element: targets of its outgoing flows, and its boundary events (`errorOnly`: error boundaries only). */
function successors(def: Definition, el: CompiledElement, errorOnly: boolean): string[] {
  const next = el.outgoing.map((f) => def.flows[f]!.target);
  for (const b of el.boundaries ?? []) if (!errorOnly || def.elements[b]!.event?.kind === 'error') next.push(b);
  return next;
}

/** Whether a token can rest on the element: a wait, a join, or a sub-process whose content can rest. */
function canRest(def: Definition, el: CompiledElement, memo = new Map<string, boolean>()): boolean {
  if (WAITS.has(el.type)) return true;
  if ((el.type === 'parallelGateway' || el.type === 'inclusiveGateway') && el.incoming.length > 1) return true;
  if (el.type !== 'subProcess') return false;
  const known = memo.get(el.id);
  if (known !== undefined) return known;
  memo.set(el.id, false);
  const result = Object.values(def.elements).some((child) => child.parent === el.id && canRest(def, child, memo));
  memo.set(el.id, result);
  return result;
}

/** Strongly connected components (Tarjan, iterative) of the graph over `nodes`. */
function components(nodes: string[], next: (id: string) => string[]): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let counter = 0;
  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: Array<{ id: string; succ: string[]; i: number }> = [];
    const push = (id: string) => {
      index.set(id, counter);
      low.set(id, counter++);
      stack.push(id);
      onStack.add(id);
      work.push({ id, succ: next(id), i: 0 });
    };
    push(root);
    while (work.length) {
      const frame = work[work.length - 1]!;
      if (frame.i < frame.succ.length) {
        const w = frame.succ[frame.i++]!;
        if (!index.has(w)) push(w);
        else if (onStack.has(w)) low.set(frame.id, Math.min(low.get(frame.id)!, index.get(w)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!));
      if (low.get(frame.id) === index.get(frame.id)) {
        const comp: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          comp.push(w);
        } while (w !== frame.id);
        out.push(comp);
      }
    }
  }
  return out;
}

// ---- cycles without a wait --------------------------------------------------------------------

function cycleProblems(def: Definition): PublishProblem[] {
  const problems: PublishProblem[] = [];
  const memo = new Map<string, boolean>();
  // The graph of elements no token can rest on; an error boundary counts as an edge from its host.
  const moving = Object.values(def.elements).filter((el) => !canRest(def, el, memo));
  const ids = new Set(moving.map((el) => el.id));
  const next = (id: string) => successors(def, def.elements[id]!, true).filter((t) => ids.has(t));
  for (const comp of components([...ids], next)) {
    const cyclic = comp.length > 1 || next(comp[0]!).includes(comp[0]!);
    if (!cyclic) continue;
    const order = Object.keys(def.elements).filter((id) => comp.includes(id));
    const first = def.elements[order[0]!]!;
    problems.push({
      element: first.id,
      message: `环节${label(first)}所在的循环（${order.join(' → ')}）中没有任何等待环节（用户任务、接收任务、服务任务、中间捕获事件或汇聚网关）：循环中数据不会变化，办件一旦进入就会无限推进，请在循环中加入等待环节或去掉回路`,
    });
  }
  return problems;
}

// ---- dead parallel joins ----------------------------------------------------------------------

function deadJoinProblems(def: Definition): PublishProblem[] {
  const problems: PublishProblem[] = [];
  for (const [scope, elements] of scopes(def)) {
    const starts = scope === null ? [def.starts.none, ...Object.values(def.starts.messages)].filter((s): s is string => !!s) : [def.elements[scope]!.start!].filter(Boolean);
    const joins = elements.filter((el) => el.type === 'parallelGateway' && el.incoming.length > 1);
    if (!joins.length || !starts.length) continue;

    /** Flows a token can travel from the scope's starts, without flow `removed`. */
    const reachableFlows = (removed?: string): Set<string> => {
      const seen = new Set<string>();
      const flows = new Set<string>();
      const stack = [...starts];
      while (stack.length) {
        const id = stack.pop()!;
        if (seen.has(id)) continue;
        seen.add(id);
        const el = def.elements[id]!;
        for (const f of el.outgoing) {
          if (f === removed) continue;
          flows.add(f);
          stack.push(def.flows[f]!.target);
        }
        stack.push(...(el.boundaries ?? []));
      }
      return flows;
    };
    const all = reachableFlows();

    // Exclusive gateways at most one token ever reaches: nothing before them forks, and no cycle passes through them.
    const preds = new Map<string, string[]>();
    for (const el of elements) for (const s of successors(def, el, false)) preds.set(s, [...(preds.get(s) ?? []), el.id]);
    const forks = (el: CompiledElement) =>
      (el.type !== 'exclusiveGateway' && el.outgoing.length > 1) || (el.boundaries ?? []).some((b) => def.elements[b]!.interrupting === false);
    const singleToken = (x: CompiledElement): boolean => {
      const seen = new Set<string>();
      const stack = [...(preds.get(x.id) ?? [])];
      while (stack.length) {
        const id = stack.pop()!;
        if (id === x.id) return false; // on a cycle
        if (seen.has(id)) continue;
        seen.add(id);
        if (forks(def.elements[id]!)) return false;
        stack.push(...(preds.get(id) ?? []));
      }
      return true;
    };
    const choices = elements.filter((el) => el.type === 'exclusiveGateway' && el.outgoing.length > 1 && singleToken(el));

    const reported = new Set<string>();
    for (const x of choices) {
      // For each outgoing flow o of x: the flows that cannot be reached without o.
      const needs = new Map<string, Set<string>>();
      for (const o of x.outgoing) {
        const without = reachableFlows(o);
        needs.set(o, new Set([...all].filter((f) => !without.has(f))));
      }
      for (const join of joins) {
        if (reported.has(join.id)) continue;
        const dependsOn = join.incoming.map((f) => ({ f, via: x.outgoing.filter((o) => needs.get(o)!.has(f)) }));
        const pair = dependsOn.flatMap((a) => dependsOn.flatMap((b) => (a.f !== b.f ? a.via.flatMap((oa) => b.via.filter((ob) => ob !== oa).map((ob) => [a.f, oa, b.f, ob] as const)) : [])))[0];
        if (!pair) continue;
        const [f1, o1, f2, o2] = pair;
        reported.add(join.id);
        problems.push({
          element: join.id,
          message: `并行汇聚网关${label(join)}永远不会触发：它的入口 ${f1} 只能经由排他网关${label(x)}的出口 ${o1} 到达，入口 ${f2} 只能经由其出口 ${o2} 到达，而该排他网关只会选择一个出口。请改用排他或包容网关汇聚`,
        });
      }
    }
  }
  return problems;
}
