/**
 * Graph facts computed once at deploy. The inclusive join needs, for each incoming flow, the
 * elements from which that flow can still be reached without passing the join itself: the join
 * fires when no token of its scope rests on any such element for a flow that has no token yet
 * (BPMN 2.0 §13.4.4, the "upstream token" rule). A token on an activity can also leave through
 * its boundary events, so activity → boundary counts as an edge.
 */
import type { CompiledElement, CompiledFlow } from '../types';

/** Fills `upstream` on every inclusive gateway with more than one incoming flow. */
export function computeInclusiveUpstream(elements: Record<string, CompiledElement>, flows: Record<string, CompiledFlow>): void {
  // Reverse adjacency: element → elements with an edge into it.
  const preds = new Map<string, string[]>();
  const addPred = (to: string, from: string) => {
    const list = preds.get(to);
    if (list) list.push(from);
    else preds.set(to, [from]);
  };
  for (const f of Object.values(flows)) addPred(f.target, f.source);
  for (const el of Object.values(elements)) if (el.attachedTo) addPred(el.id, el.attachedTo);

  for (const join of Object.values(elements)) {
    if (join.type !== 'inclusiveGateway' || join.incoming.length < 2) continue;
    join.upstream = {};
    for (const flowId of join.incoming) {
      const seen = new Set<string>();
      const stack = [flows[flowId]!.source];
      while (stack.length) {
        const id = stack.pop()!;
        if (id === join.id || seen.has(id)) continue;
        seen.add(id);
        for (const p of preds.get(id) ?? []) stack.push(p);
      }
      join.upstream[flowId] = [...seen];
    }
  }
}
