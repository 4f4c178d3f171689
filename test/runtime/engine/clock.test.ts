import { describe, expect, it } from 'vitest';
import { complete, deploy, start, type Definition } from '@lianban/runtime';

/**
 * FEEL's `now()` and `today()` read the engine's clock (`RunOptions.now`), so a flow that
 * branches on time behaves the same when replayed, tested or run by the scheduler later.
 */
const doc = (conditionA: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:lb="http://lianban.gov.cn/schema/bpmn" id="D" targetNamespace="t">
  <bpmn:process id="P" isExecutable="true">
    <bpmn:startEvent id="S" /><bpmn:sequenceFlow id="s" sourceRef="S" targetRef="Review" />
    <bpmn:userTask id="Review" lb:candidateGroups="window" /><bpmn:sequenceFlow id="r" sourceRef="Review" targetRef="G" />
    <bpmn:exclusiveGateway id="G" default="b" />
    <bpmn:sequenceFlow id="a" sourceRef="G" targetRef="A"><bpmn:conditionExpression>${conditionA}</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="b" sourceRef="G" targetRef="B" />
    <bpmn:userTask id="A" lb:candidateGroups="hrss" /><bpmn:userTask id="B" lb:candidateGroups="hrss" />
  </bpmn:process>
</bpmn:definitions>`;

async function load(condition: string): Promise<Definition> {
  const { definition, problems } = await deploy(doc(condition));
  if (!definition) throw new Error(JSON.stringify(problems));
  return definition;
}

/** Starts, then completes the review at `now`: the gateway decides at that moment. */
async function branchAt(condition: string, now: string): Promise<string> {
  const def = await load(condition);
  const started = start(def, {}, { now: '2020-01-01T00:00:00Z' });
  const r = complete(def, started.state, started.waits[0]!.id, {}, { now });
  return r.waits.map((w) => w.elementId).join(',');
}

describe('FEEL clock functions', () => {
  it('should read now() from the engine clock, not the wall clock', async () => {
    const condition = 'now() &lt; date and time("2024-03-01T12:00:00Z")';
    expect(await branchAt(condition, '2024-03-01T11:59:00Z')).toBe('A');
    expect(await branchAt(condition, '2024-03-01T12:01:00Z')).toBe('B');
  });

  it('should give today() as the China calendar date of the engine clock', async () => {
    const condition = 'today() = date("2024-03-02")';
    // 17:30 UTC on 1 March is 01:30 on 2 March in China.
    expect(await branchAt(condition, '2024-03-01T17:30:00Z')).toBe('A');
    expect(await branchAt(condition, '2024-03-01T15:30:00Z')).toBe('B');
    expect(await branchAt(condition, '2024-03-02T15:59:59Z')).toBe('A');
  });

  it('should let a process variable named now or today win over the clock function, as before', async () => {
    const def = await load('today = "x"');
    const started = start(def, { today: 'x' }, { now: '2020-01-01T00:00:00Z' });
    const r = complete(def, started.state, started.waits[0]!.id, {}, { now: '2024-03-01T00:00:00Z' });
    expect(r.waits.map((w) => w.elementId)).toEqual(['A']);
  });

  it('should never answer from the memo: the same expression at two times gives two results', async () => {
    const condition = 'now() &gt; date and time("2030-01-01T00:00:00Z")';
    expect(await branchAt(condition, '2031-01-01T00:00:00Z')).toBe('A');
    expect(await branchAt(condition, '2029-01-01T00:00:00Z')).toBe('B');
  });
});
