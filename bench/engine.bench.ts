/**
 * The flow engine vs `bpmn-engine` (25) on the same retirement-like model: a user task, an
 * inclusive split to three branches, the join, the end. Conditions differ only in syntax (FEEL
 * for ours, `${environment.variables…}` for bpmn-engine). Both sides reuse their parsed model
 * (our deployed definition; bpmn-engine's moddle context), so per-case figures exclude parsing.
 *
 * - start → first wait (cases/s)
 * - one step as the server does it: JSON.parse(state) → complete → JSON.stringify (steps/s);
 *   for bpmn-engine: recover(state) → resume → signal → getState → JSON.stringify
 * - state size at the wait (bytes), heap per waiting case (bytes; live state object vs live engine)
 */
import { BpmnModdle } from 'bpmn-moddle';
import { Engine } from 'bpmn-engine';
import { clearFeelCache, complete, deploy, start, type Definition } from '@lianban/runtime';
import { compare, median, opsPerSecond, repeat, type Benchmark } from './lib';

const model = (cond: (v: string) => string, lang = '') => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:lb="http://lianban.gov.cn/schema/bpmn"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="Bench" targetNamespace="http://lianban.gov.cn/bench">
  <bpmn:process id="Retirement" isExecutable="true">
    <bpmn:startEvent id="Start" />
    <bpmn:sequenceFlow id="f0" sourceRef="Start" targetRef="Task_hrss" />
    <bpmn:userTask id="Task_hrss" name="退休审批" lb:candidateGroups="hrss" lb:linkedItem="retirement-approval" />
    <bpmn:sequenceFlow id="f1" sourceRef="Task_hrss" targetRef="Split" />
    <bpmn:inclusiveGateway id="Split" />
    ${['medical', 'housingFund', 'health'].map((v, i) => `
    <bpmn:sequenceFlow id="s${i}" sourceRef="Split" targetRef="T${i}">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression"${lang}>${cond(v)}</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:task id="T${i}" />
    <bpmn:sequenceFlow id="j${i}" sourceRef="T${i}" targetRef="Join" />`).join('')}
    <bpmn:inclusiveGateway id="Join" />
    <bpmn:sequenceFlow id="f9" sourceRef="Join" targetRef="End" />
    <bpmn:endEvent id="End" />
  </bpmn:process>
</bpmn:definitions>`;

const OURS_XML = model((v) => `${v} = true`);
const THEIRS_XML = model((v) => `\${environment.variables.${v}}`);
const VARS = { medical: true, housingFund: true, health: true, name: '张三', idNumber: '320402196501011234' };
const NOW = '2026-11-20T09:00:00+08:00';

/** Operations per second of an async function over at least `ms`. */
async function asyncOps(fn: () => Promise<unknown>, ms = 1000): Promise<number> {
  for (let i = 0; i < 5; i++) await fn();
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    await fn();
    n++;
  }
  return (n / (performance.now() - t0)) * 1000;
}

/** Heap bytes per live object made by `make`, over `n` of them (gc'd before and after when exposed). */
async function heapPer(n: number, make: (i: number) => Promise<unknown> | unknown): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const keep: unknown[] = [];
  for (let i = 0; i < n; i++) keep.push(await make(i));
  gc?.();
  const after = process.memoryUsage().heapUsed;
  if (keep.length !== n) throw new Error('lost objects');
  return Math.max(0, (after - before) / n);
}

async function theirsWaiting(moddleContext: unknown) {
  const engine = new Engine({ name: 'bench', moddleContext } as any);
  await engine.execute({ variables: { ...VARS } } as any);
  return engine;
}

async function theirsStep(moddleContext: unknown, stateText: string): Promise<string> {
  const engine = new Engine({ name: 'bench', moddleContext } as any).recover(JSON.parse(stateText));
  const execution = await engine.resume();
  execution.signal({ id: 'Task_hrss' });
  return JSON.stringify(await engine.getState());
}

const bench: Benchmark = {
  name: 'Flow engine',
  async run() {
    const def: Definition = (await deploy(OURS_XML)).definition!;
    const moddleContext = await new (BpmnModdle as any)().fromXML(THEIRS_XML);

    const waiting = start(def, VARS, { now: NOW });
    const waitId = waiting.waits[0]!.id;
    const oursState = JSON.stringify(waiting.state);
    // sanity: our step ends the case
    if (complete(def, JSON.parse(oursState), waitId, {}, { now: NOW }).state.status !== 'completed') throw new Error('ours did not complete');
    const theirsState = JSON.stringify(await (await theirsWaiting(moddleContext)).getState());
    const theirsEnd = JSON.parse(await theirsStep(moddleContext, theirsState));
    if (theirsEnd.state !== 'idle' && theirsEnd.state !== 'completed') throw new Error(`bpmn-engine did not complete: ${theirsEnd.state}`);

    const startOurs = await repeat(3, () => opsPerSecond(() => start(def, VARS, { now: NOW })));
    const startTheirs = await repeat(3, () => asyncOps(() => theirsWaiting(moddleContext)));
    const stepOurs = await repeat(3, () => opsPerSecond(() => JSON.stringify(complete(def, JSON.parse(oursState), waitId, {}, { now: NOW }).state)));
    const stepCold = await repeat(3, () => opsPerSecond(() => {
      clearFeelCache();
      return JSON.stringify(complete(def, JSON.parse(oursState), waitId, {}, { now: NOW }).state);
    }));
    const stepTheirs = await repeat(3, () => asyncOps(() => theirsStep(moddleContext, theirsState)));
    const heapOurs = await repeat(3, () => heapPer(2000, () => JSON.parse(oursState)));
    const heapTheirs = await repeat(3, () => heapPer(200, () => theirsWaiting(moddleContext)));

    return [
      compare({ name: 'start → first wait (cases/s, ours vs bpmn-engine)', unit: 'ops/s', samples: startOurs, baselineSamples: startTheirs, baselineName: 'bpmn-engine 25', target: { on: 'ratio', op: '>=', value: 20 }, note: 'user task → inclusive split ×3 → join → end; parsed model reused on both sides' }),
      compare({ name: 'restore + complete + save per step (steps/s)', unit: 'ops/s', samples: stepOurs, baselineSamples: stepTheirs, baselineName: 'bpmn-engine 25', target: { on: 'ratio', op: '>=', value: 20 }, note: 'JSON.parse(state) → complete → JSON.stringify; bpmn-engine: recover → resume → signal → getState' }),
      compare({ name: 'same step with the FEEL result cache cleared every step', unit: 'ops/s', samples: stepCold, baselineSamples: stepTheirs, baselineName: 'bpmn-engine 25', target: { on: 'ratio', op: '>=', value: 20 }, note: 'worst case: all three conditions parsed by feelin each step' }),
      compare({ name: 'state size of a waiting case', unit: 'bytes', samples: [oursState.length], baselineSamples: [theirsState.length], baselineName: 'bpmn-engine 25', target: { on: 'value', op: '<=', value: 10_240 } }),
      compare({ name: 'heap per waiting case', unit: 'bytes', samples: heapOurs, baselineSamples: heapTheirs, baselineName: 'bpmn-engine 25', note: `ours: a parsed state (definition shared); bpmn-engine: a live engine at the wait; ${(globalThis as any).gc ? 'gc exposed' : 'no --expose-gc, heapUsed deltas'}; medians ${Math.round(median(heapOurs))} vs ${Math.round(median(heapTheirs))}` }),
    ];
  },
};
export default bench;
