/**
 * lianban/inclusive-pairing — an inclusive split (包容网关, several outgoing flows) must be
 * joined again by one inclusive join that every branch reaches, and every inclusive join
 * (several incoming flows) must have an inclusive split that all of its branches come from.
 * The engine's join waits only for branches that can still arrive from its split; an unmatched
 * pair would wait for tokens that were never created, or never wait at all.
 */
import { label, type LintNode, type RuleFactory } from './types';

type Direction = 'outgoing' | 'incoming';

/**
 * Sequence flows leaving (or entering) `node`, read from the container's flows by
 * sourceRef/targetRef: `<bpmn:outgoing>` children are optional in BPMN XML.
 */
function flowsOf(node: LintNode, d: Direction): LintNode[] {
  const siblings = (node.$parent?.flowElements as LintNode[] | undefined) ?? [];
  const end = d === 'outgoing' ? 'sourceRef' : 'targetRef';
  return siblings.filter((f) => f.$type === 'bpmn:SequenceFlow' && f[end] === node);
}
const across = (flow: LintNode, d: Direction) => flow[d === 'outgoing' ? 'targetRef' : 'sourceRef'] as LintNode | undefined;
const isInclusive = (n: LintNode) => n.$instanceOf('bpmn:InclusiveGateway');
const isSplit = (n: LintNode) => isInclusive(n) && flowsOf(n, 'outgoing').length > 1;
const isJoin = (n: LintNode) => isInclusive(n) && flowsOf(n, 'incoming').length > 1;

/** Inclusive gateways matching `wanted`, reachable from `flow` walking in direction `d`. */
function reachable(flow: LintNode, d: Direction, wanted: (n: LintNode) => boolean): Set<LintNode> {
  const found = new Set<LintNode>();
  const seen = new Set<LintNode>();
  const queue = [across(flow, d)];
  while (queue.length) {
    const node = queue.shift();
    if (!node || seen.has(node)) continue;
    seen.add(node);
    if (wanted(node)) found.add(node);
    for (const f of flowsOf(node, d)) queue.push(across(f, d));
  }
  return found;
}

function common(sets: Set<LintNode>[]): LintNode[] {
  if (!sets.length) return [];
  return [...sets[0]].filter((n) => sets.every((s) => s.has(n)));
}

const inclusivePairing: RuleFactory = () => ({
  check(node, reporter) {
    if (isSplit(node)) {
      const joins = common(flowsOf(node, 'outgoing').map((f) => reachable(f, 'outgoing', isJoin)));
      if (!joins.length) reporter.report(node.id, `包容网关${label(node)}的分支没有汇合到同一个包容网关`);
    }
    if (isJoin(node)) {
      const splits = common(flowsOf(node, 'incoming').map((f) => reachable(f, 'incoming', isSplit)));
      if (!splits.length) reporter.report(node.id, `包容汇聚网关${label(node)}没有对应的包容分支网关`);
    }
  },
});

export default inclusivePairing;
