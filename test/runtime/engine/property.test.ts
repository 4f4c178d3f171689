/**
 * Property-based: random block-structured models (nested sequence / parallel / exclusive /
 * inclusive blocks, generated as BPMN XML) driven to the end by completing random waits.
 * Every block's join is followed by a marker user task, so a join firing twice shows up as a
 * marker completed twice.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { complete, deploy, start, type FlowState } from '@lianban/runtime';

type Block =
  | { t: 'task'; user: boolean }
  | { t: 'seq'; items: Block[] }
  | { t: 'par' | 'xor' | 'or'; branches: Block[]; conds: number[] };

const VARS = 4;

const blockArb = fc.letrec<{ block: Block }>((tie) => ({
  block: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ t: fc.constant('task' as const), user: fc.boolean() }),
    fc.record({ t: fc.constant('seq' as const), items: fc.array(tie('block'), { minLength: 1, maxLength: 3 }) }),
    fc.record({
      t: fc.constantFrom('par' as const, 'xor' as const, 'or' as const),
      branches: fc.array(tie('block'), { minLength: 1, maxLength: 3 }),
      conds: fc.array(fc.integer({ min: 0, max: VARS - 1 }), { minLength: 3, maxLength: 3 }),
    }),
  ),
})).block;

/** Emits BPMN for a block; returns the ids of its entry and exit nodes and the markers it holds. */
function toXml(root: Block): string {
  let n = 0;
  const nodes: string[] = [];
  const flows: string[] = [];
  const flow = (from: string, to: string, cond?: string) => {
    const id = `f${n++}`;
    flows.push(cond
      ? `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}"><bpmn:conditionExpression>${cond}</bpmn:conditionExpression></bpmn:sequenceFlow>`
      : `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}" />`);
    return id;
  };
  const emit = (b: Block): [string, string] => {
    if (b.t === 'task') {
      const id = `T${n++}`;
      nodes.push(b.user ? `<bpmn:userTask id="${id}" />` : `<bpmn:task id="${id}" />`);
      return [id, id];
    }
    if (b.t === 'seq') {
      const parts = b.items.map(emit);
      for (let i = 1; i < parts.length; i++) flow(parts[i - 1]![1], parts[i]![0]);
      return [parts[0]![0], parts.at(-1)![1]];
    }
    const kind = { par: 'parallelGateway', xor: 'exclusiveGateway', or: 'inclusiveGateway' }[b.t];
    const split = `G${n++}`;
    const join = `J${n++}`;
    const marker = `M_${join}`;
    const cond = (i: number) => (b.t === 'par' ? undefined : `v${b.conds[i % 3]} = true`);
    // xor: the last branch is the default; or: a default flow straight to the join.
    let dflt: string | undefined;
    b.branches.forEach((br, i) => {
      const [entry, exit] = emit(br);
      const isDefault = b.t === 'xor' && i === b.branches.length - 1;
      const id = flow(split, entry, isDefault ? undefined : cond(i));
      if (isDefault) dflt = id;
      flow(exit, join);
    });
    if (b.t === 'or') dflt = flow(split, join);
    nodes.push(`<bpmn:${kind} id="${split}"${dflt ? ` default="${dflt}"` : ''} />`, `<bpmn:${kind} id="${join}" />`, `<bpmn:userTask id="${marker}" />`);
    flow(join, marker);
    return [split, marker];
  };
  const [entry, exit] = emit(root);
  flow('Start', entry);
  flow(exit, 'End');
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="t">
<bpmn:process id="P" isExecutable="true"><bpmn:startEvent id="Start" /><bpmn:endEvent id="End" />${nodes.join('')}${flows.join('')}</bpmn:process>
</bpmn:definitions>`;
}

describe('random block-structured models', () => {
  it('should end every token, never fire a join twice, and round-trip state through JSON', async () => {
    await fc.assert(
      fc.asyncProperty(blockArb, fc.array(fc.boolean(), { minLength: VARS, maxLength: VARS }), fc.infiniteStream(fc.nat()), async (block, flags, picks) => {
        // given
        const { definition: def, problems } = await deploy(toXml(block));
        expect(problems).toEqual([]);
        const vars = Object.fromEntries(flags.map((f, i) => [`v${i}`, f]));

        // when: complete random waits until none is left
        let r = start(def!, vars, { now: '2026-11-20T09:00:00+08:00' });
        const pick = picks[Symbol.iterator]();
        for (let steps = 0; r.waits.length; steps++) {
          expect(steps).toBeLessThan(500);
          const text = JSON.stringify(r.state);
          const restored = JSON.parse(text) as FlowState;
          expect(restored).toStrictEqual(r.state);
          const wait = r.waits[pick.next().value % r.waits.length]!;
          r = complete(def!, restored, wait.id, {}, { now: '2026-11-20T09:00:00+08:00' });
        }

        // then
        expect(r.state.status).toBe('completed');
        expect(r.state.tokens).toEqual([]);
        expect(r.state.incidents).toEqual([]);
        const done = r.state.history.filter((h) => h.ev === 'completed').map((h) => h.el);
        expect(new Set(done).size).toBe(done.length);
        expect(r.state.history.filter((h) => h.ev === 'ended')).toHaveLength(1);
        expect(JSON.parse(JSON.stringify(r.state))).toStrictEqual(r.state);
      }),
      { numRuns: 200 },
    );
  });
});
