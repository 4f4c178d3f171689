/**
 * Publish checks on the shape of a flow (issue 17, findings 8 and 9; runtime/src/matters/flow-shape-checks.ts):
 * what the engine does today with each broken shape, and that publish refuses it naming the element.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkMatter, complete, deploy, EngineError, flowShapeChecks, start, type Definition, type PublishProblem } from '@lianban/runtime';
import { blockArb, blocksOf, toXml, VARS } from '../engine/random-models';

const flowXml = (body: string) => `<?xml version="1.0"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:lb="http://lianban.gov.cn/schema/bpmn" id="D" targetNamespace="t">
  <bpmn:message id="Msg" name="result" />
  <bpmn:process id="P" isExecutable="true">
    <bpmn:startEvent id="S" />
    ${body}
  </bpmn:process>
</bpmn:definitions>`;

const seq = (id: string, from: string, to: string, cond?: string) =>
  cond
    ? `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}"><bpmn:conditionExpression>${cond}</bpmn:conditionExpression></bpmn:sequenceFlow>`
    : `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}" />`;

const form = {
  key: 'apply',
  schema: { type: 'object', properties: { x: { type: 'number', 'x-field-type': 'number' }, choice: { type: 'string', 'x-field-type': 'text' } } },
};

async function problemsOf(body: string): Promise<PublishProblem[]> {
  const { problems } = await checkMatter({
    matter: { forms: [{ key: 'apply' }], flow: 'f', linkedItems: [] },
    forms: [form],
    flow: { key: 'f', xml: flowXml(body) },
    departments: ['hrss', 'medical'],
  });
  return problems;
}

async function definitionOf(body: string): Promise<Definition> {
  const { definition, problems } = await deploy(flowXml(body));
  expect(problems).toEqual([]);
  return definition!;
}

describe('publish refuses message waits without a department (issue 17, finding 8)', () => {
  const receive = (attrs: string) => `<bpmn:receiveTask id="R" name="医保回传" messageRef="Msg" ${attrs} />${seq('f1', 'S', 'R')}<bpmn:endEvent id="E" />${seq('f2', 'R', 'E')}`;
  const catchEvent = (attrs: string) =>
    `<bpmn:intermediateCatchEvent id="C" ${attrs}><bpmn:messageEventDefinition messageRef="Msg" /></bpmn:intermediateCatchEvent>${seq('f1', 'S', 'C')}<bpmn:endEvent id="E" />${seq('f2', 'C', 'E')}`;

  it('should refuse a receive task without lb:department, naming it', async () => {
    expect(await problemsOf(receive(''))).toEqual([{ element: 'R', message: expect.stringContaining('没有设置 lb:department') }]);
  });
  it('should refuse a message catch event without lb:department, naming it', async () => {
    expect(await problemsOf(catchEvent(''))).toEqual([{ element: 'C', message: expect.stringContaining('没有设置 lb:department') }]);
  });
  it('should refuse a receive task whose department is the reserved key applicant', async () => {
    expect(await problemsOf(receive('lb:department="applicant"'))).toEqual([{ element: 'R', message: expect.stringContaining('保留标识') }]);
  });
  it('should accept receive tasks and message catch events of a department', async () => {
    expect(await problemsOf(receive('lb:department="medical"'))).toEqual([]);
    expect(await problemsOf(catchEvent('lb:department="medical"'))).toEqual([]);
  });
});

describe('publish refuses cycles without a wait (issue 17, finding 9)', () => {
  // S → T → G; G: x = 1 → E, otherwise back to T. Nothing in the loop waits.
  const loop = `<bpmn:task id="T" name="核对" /><bpmn:exclusiveGateway id="G" default="back" /><bpmn:endEvent id="E" />
    ${seq('f1', 'S', 'T')}${seq('f2', 'T', 'G')}${seq('out', 'G', 'E', 'x = 1')}${seq('back', 'G', 'T')}`;

  it('today the engine stops such a step with runaway (409) after 10,000 moves, on every submission that enters the loop', async () => {
    const def = await definitionOf(loop);
    expect(() => start(def, { x: 2 })).toThrow(EngineError);
    expect(() => start(def, { x: 2 })).toThrow(/runaway|无等待的循环/);
  });
  it('should refuse the loop, naming its first element', async () => {
    expect(await problemsOf(loop)).toEqual([{ element: 'T', message: expect.stringMatching(/T → G.*没有任何等待环节/) }]);
  });
  it('should refuse a loop through a sub-process that cannot wait, and a loop inside a sub-process', async () => {
    const sub = `<bpmn:subProcess id="Sub"><bpmn:startEvent id="SS" /><bpmn:task id="In" /><bpmn:endEvent id="SE" />${seq('s1', 'SS', 'In')}${seq('s2', 'In', 'SE')}</bpmn:subProcess>
      <bpmn:exclusiveGateway id="G" default="back" /><bpmn:endEvent id="E" />
      ${seq('f1', 'S', 'Sub')}${seq('f2', 'Sub', 'G')}${seq('out', 'G', 'E', 'x = 1')}${seq('back', 'G', 'Sub')}`;
    expect(await problemsOf(sub)).toEqual([{ element: 'Sub', message: expect.stringContaining('没有任何等待环节') }]);
    const inner = `<bpmn:subProcess id="Sub"><bpmn:startEvent id="SS" /><bpmn:task id="In" /><bpmn:exclusiveGateway id="IG" default="ib" /><bpmn:endEvent id="SE" />
        ${seq('s1', 'SS', 'In')}${seq('s2', 'In', 'IG')}${seq('s3', 'IG', 'SE', 'x = 1')}${seq('ib', 'IG', 'In')}</bpmn:subProcess>
      <bpmn:userTask id="U" lb:candidateGroups="hrss" /><bpmn:endEvent id="E" />${seq('f1', 'S', 'Sub')}${seq('f2', 'Sub', 'U')}${seq('f3', 'U', 'E')}`;
    expect(await problemsOf(inner)).toEqual([{ element: 'In', message: expect.stringContaining('In → IG') }]);
  });
  it('should refuse a loop closed by an error boundary of a sub-process that throws at once (today: runaway)', async () => {
    const retry = `<bpmn:subProcess id="Sub"><bpmn:startEvent id="SS" /><bpmn:endEvent id="SE"><bpmn:errorEventDefinition errorRef="Err" /></bpmn:endEvent>${seq('s1', 'SS', 'SE')}</bpmn:subProcess>
      <bpmn:boundaryEvent id="B" attachedToRef="Sub"><bpmn:errorEventDefinition errorRef="Err" /></bpmn:boundaryEvent>
      <bpmn:endEvent id="E" />${seq('f1', 'S', 'Sub')}${seq('f2', 'Sub', 'E')}${seq('again', 'B', 'Sub')}`;
    const xml = flowXml(retry).replace('<bpmn:message id="Msg" name="result" />', '<bpmn:message id="Msg" name="result" /><bpmn:error id="Err" errorCode="E1" />');
    const { definition, problems } = await deploy(xml);
    expect(problems).toEqual([]);
    expect(() => start(definition!, {})).toThrow(/无等待的循环/);
    expect(flowShapeChecks(definition!)).toEqual([{ element: 'Sub', message: expect.stringContaining('Sub → B') }]);
  });
  it('should accept a loop with a user task (a correction round), and a sub-process loop whose content waits', async () => {
    const round = loop.replace('<bpmn:task id="T" name="核对" />', '<bpmn:userTask id="T" name="核对" lb:candidateGroups="hrss" />');
    expect(await problemsOf(round)).toEqual([]);
    const sub = `<bpmn:subProcess id="Sub"><bpmn:startEvent id="SS" /><bpmn:userTask id="In" lb:candidateGroups="hrss" /><bpmn:endEvent id="SE" />${seq('s1', 'SS', 'In')}${seq('s2', 'In', 'SE')}</bpmn:subProcess>
      <bpmn:exclusiveGateway id="G" default="back" /><bpmn:endEvent id="E" />
      ${seq('f1', 'S', 'Sub')}${seq('f2', 'Sub', 'G')}${seq('out', 'G', 'E', 'x = 1')}${seq('back', 'G', 'Sub')}`;
    expect(await problemsOf(sub)).toEqual([]);
  });
});

describe('publish refuses parallel joins that can never fire (issue 17, finding 9)', () => {
  // S → X; X: choice = "a" → A, otherwise → B; A → J, B → J (a parallel join); J → E.
  const deadJoin = `<bpmn:exclusiveGateway id="X" default="toB" />
    <bpmn:userTask id="A" lb:candidateGroups="hrss" /><bpmn:userTask id="B" lb:candidateGroups="medical" />
    <bpmn:parallelGateway id="J" name="汇总" /><bpmn:endEvent id="E" />
    ${seq('f1', 'S', 'X')}${seq('toA', 'X', 'A', 'choice = "a"')}${seq('toB', 'X', 'B')}${seq('a', 'A', 'J')}${seq('b', 'B', 'J')}${seq('f2', 'J', 'E')}`;

  it('today the token sticks at the join: the case stays active with nothing left to do', async () => {
    const def = await definitionOf(deadJoin);
    const first = start(def, { choice: 'a' });
    expect(first.waits.map((w) => w.elementId)).toEqual(['A']);
    const after = complete(def, first.state, first.waits[0]!.id, {});
    expect(after.state.status).toBe('active');
    expect(after.waits).toEqual([]);
    expect(after.state.tokens.map((t) => [t.element, t.resting])).toEqual([['J', 'join']]);
  });
  it('should refuse the join, naming it and the exclusive gateway', async () => {
    expect(await problemsOf(deadJoin)).toEqual([{ element: 'J', message: expect.stringMatching(/汇总.*toA.*toB/) }]);
  });
  it('should accept a parallel fork and join, and an exclusive split closed by an exclusive or inclusive merge', async () => {
    expect(await problemsOf(deadJoin.replace('<bpmn:exclusiveGateway id="X" default="toB" />', '<bpmn:parallelGateway id="X" />').replace(/<bpmn:conditionExpression>.*?<\/bpmn:conditionExpression>/, ''))).toEqual([]);
    expect(await problemsOf(deadJoin.replace('<bpmn:parallelGateway id="J" name="汇总" />', '<bpmn:exclusiveGateway id="J" name="汇总" />'))).toEqual([]);
    expect(await problemsOf(deadJoin.replace('<bpmn:parallelGateway id="J" name="汇总" />', '<bpmn:inclusiveGateway id="J" name="汇总" />'))).toEqual([]);
  });
  it('should stay silent when more than one token may reach the exclusive gateway (a fork before it)', async () => {
    // S → F (parallel fork) → X twice: two tokens may take both branches, so the join can fire.
    const forked = deadJoin
      .replace(seq('f1', 'S', 'X'), `<bpmn:parallelGateway id="F" />${seq('f1', 'S', 'F')}${seq('fx1', 'F', 'X')}${seq('fx2', 'F', 'X')}`);
    expect(await problemsOf(forked)).toEqual([]);
  });
});

describe('publish refuses gateways without an outgoing flow (issue 17, finding 9)', () => {
  const open = `<bpmn:userTask id="U" lb:candidateGroups="hrss" /><bpmn:exclusiveGateway id="G" name="分流" /><bpmn:endEvent id="E" />
    ${seq('f1', 'S', 'U')}${seq('f2', 'U', 'G')}`;

  it('today the engine silently ends the token there and the case completes', async () => {
    const def = await definitionOf(open);
    const first = start(def, {});
    expect(complete(def, first.state, first.waits[0]!.id, {}).state.status).toBe('completed');
  });
  it('should refuse the gateway, naming it', async () => {
    expect(await problemsOf(open)).toEqual([{ element: 'G', message: expect.stringContaining('没有出口顺序流') }]);
    expect(await problemsOf(open.replace('<bpmn:exclusiveGateway id="G" name="分流" />', '<bpmn:parallelGateway id="G" />'))).toEqual([
      { element: 'G', message: expect.stringContaining('没有出口顺序流') },
    ]);
  });
  it('should accept an activity without an outgoing flow (its token ends, as BPMN says)', async () => {
    expect(await problemsOf(`<bpmn:userTask id="U" lb:candidateGroups="hrss" />${seq('f1', 'S', 'U')}`)).toEqual([]);
  });
});

describe('flow-shape checks on random block-structured models', () => {
  const NOW = '2026-11-20T09:00:00+08:00';

  it('should find nothing wrong with a well-formed model (no false refusal)', async () => {
    await fc.assert(
      fc.asyncProperty(blockArb, async (block) => {
        const { definition, problems } = await deploy(toXml(block));
        expect(problems).toEqual([]);
        expect(flowShapeChecks(definition!)).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('should refuse only parallel joins the engine indeed never fires (exclusive splits closed by parallel joins)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(blockArb, blocksOf(['xor'])), fc.array(fc.boolean(), { minLength: VARS, maxLength: VARS }), fc.infiniteStream(fc.nat()), async (block, flags, picks) => {
        // given a model whose exclusive merges became parallel joins
        const xml = toXml(block).replace(/<bpmn:exclusiveGateway id="(J\d+)" \/>/g, '<bpmn:parallelGateway id="$1" />');
        const { definition: def, problems } = await deploy(xml);
        expect(problems).toEqual([]);
        const dead = flowShapeChecks(def!).map((p) => p.element!);
        // when the case runs with random waits completed until none is left
        let r = start(def!, Object.fromEntries(flags.map((f, i) => [`v${i}`, f])), { now: NOW });
        const pick = picks[Symbol.iterator]();
        for (let steps = 0; r.waits.length && steps < 500; steps++) r = complete(def!, r.state, r.waits[pick.next().value % r.waits.length]!.id, {}, { now: NOW });
        // then no refused join ever fired (its marker task never ran)
        const ran = new Set(r.state.history.map((h) => h.el));
        for (const join of dead) expect(ran.has(`M_${join}`), join).toBe(false);
      }),
      { numRuns: 150 },
    );
  });
});
