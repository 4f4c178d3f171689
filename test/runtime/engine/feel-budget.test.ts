import { describe, expect, it } from 'vitest';
import { deploy, start, FEEL_LIMITS, type Definition } from '@lianban/runtime';

/**
 * Every FEEL evaluation has a budget (runtime/src/engine/feel-budget.ts, issue 17 finding 1):
 * a hostile condition ends in an incident within milliseconds, never stalls or kills the process.
 */
const doc = (condition: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:lb="http://lianban.gov.cn/schema/bpmn" id="D" targetNamespace="t">
  <bpmn:process id="P" isExecutable="true">
    <bpmn:startEvent id="S" /><bpmn:sequenceFlow id="s" sourceRef="S" targetRef="G" />
    <bpmn:exclusiveGateway id="G" default="b" />
    <bpmn:sequenceFlow id="a" sourceRef="G" targetRef="A"><bpmn:conditionExpression>${condition.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="b" sourceRef="G" targetRef="B" />
    <bpmn:userTask id="A" lb:candidateGroups="hrss" /><bpmn:userTask id="B" lb:candidateGroups="hrss" />
  </bpmn:process>
</bpmn:definitions>`;

async function load(condition: string): Promise<Definition> {
  const { definition, problems } = await deploy(doc(condition));
  if (!definition) throw new Error(JSON.stringify(problems));
  return definition;
}

const NOW = '2026-11-20T09:00:00+08:00';

describe('FEEL budget', () => {
  const hostile = [
    'count(for i in 1..50000000 return i) > 0',
    'count(for i in 1..3000, j in 1..3000 return i) > 0',
    'count(for i in 1..100 return for j in 1..100 return for k in 1..100 return k) > 0',
    'some i in 1..100000000 satisfies i < 0',
    'every i in 0..99999999 satisfies i >= 0',
    'count(for i in 1..n return i) > 0',
    'string length(string join(for i in 1..400 return note)) > 0',
    'string length(replace(note, "", note)) > 0',
    'count((function(n) n)(3)) > 0',
    'count(for i in 1..30 return if i = 1 then "x" else partial[-1] + partial[-1]) > 0',
  ];
  for (const condition of hostile) {
    it(`should end «${condition}» in an incident quickly`, async () => {
      const def = await load(condition);
      const t = Date.now();
      const r = start(def, { n: 50_000_000, note: 'x'.repeat(5000) }, { now: NOW });
      expect(Date.now() - t).toBeLessThan(2000);
      expect(r.effects).toContainEqual(expect.objectContaining({ type: 'incident', flowId: 'a', code: 'condition-error' }));
      expect(r.state.incidents[0]!.message).toContain('超出表达式预算');
      expect(r.waits).toEqual([]);
    });
  }

  it('should refuse a list variable longer than the budget, and evaluate normal conditions', async () => {
    const def = await load('count(items) > 0 and name = "张三"');
    const long = start(def, { items: Array.from({ length: FEEL_LIMITS.list + 1 }, (_, i) => i), name: '张三' }, { now: NOW });
    expect(long.state.incidents[0]!.message).toContain('超出表达式预算');
    const ok = start(def, { items: [1, 2], name: '张三' }, { now: NOW });
    expect(ok.state.incidents).toEqual([]);
    expect(ok.waits.map((w) => w.elementId)).toEqual(['A']);
    const loop = await load('some x in items satisfies x.age > 60');
    expect(start(loop, { items: [{ age: 50 }, { age: 61 }] }, { now: NOW }).waits.map((w) => w.elementId)).toEqual(['A']);
  });

  it('should run matches, replace and split on a linear-time engine (no catastrophic backtracking)', async () => {
    const evil = await load('matches(note, "^(a|a)+$") or matches(note, "^(\\d|\\w)+$") or matches(note, "^(a+){12}$")');
    const t = Date.now();
    const r = start(evil, { note: `${'a'.repeat(5000)}!` }, { now: NOW });
    expect(Date.now() - t).toBeLessThan(2000);
    expect(r.state.incidents).toEqual([]);
    expect(r.waits.map((w) => w.elementId)).toEqual(['B']);
    const same = await load('matches(name, "^ZHANG", "i") and replace(code, "(\\d{3})(\\d+)", "$1-$2") = "320-402" and split(list, ",\\s*") = ["a", "b", ""]');
    expect(start(same, { name: 'zhang san', code: '320402', list: 'a, b,' }, { now: NOW }).waits.map((w) => w.elementId)).toEqual(['A']);
    const backref = await load('matches(note, "(a)\\1")');
    expect(start(backref, { note: 'aa' }, { now: NOW }).state.incidents[0]!.message).toContain('正则表达式不受支持');
  });
});
