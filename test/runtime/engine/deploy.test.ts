import { describe, expect, it } from 'vitest';
import { BpmnModdle } from 'bpmn-moddle';
import { complete, deploy, EngineError, lianbanModdle, start } from '@lianban/runtime';
import { fixture, load, NOW, waitAt } from './helpers';

/** A one-process document around `body`. */
const doc = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:lb="http://lianban.gov.cn/schema/bpmn" id="D" targetNamespace="t">
  <bpmn:process id="P" isExecutable="true">${body}</bpmn:process>
</bpmn:definitions>`;

const linear = (middle: string, flows = '') => doc(`
  <bpmn:startEvent id="S" /><bpmn:sequenceFlow id="a" sourceRef="S" targetRef="X" />
  ${middle}
  <bpmn:sequenceFlow id="b" sourceRef="X" targetRef="E" /><bpmn:endEvent id="E" />${flows}`);

describe('deploy', () => {
  it('should compile a flow into plain JSON with a version hash', async () => {
    const { definition, problems } = await deploy(fixture('changzhou.bpmn'));
    expect(problems).toEqual([]);
    expect(JSON.parse(JSON.stringify(definition))).toEqual(definition);
    expect(definition!.hash).toMatch(/^[0-9a-z]+$/);
    expect(definition!.linkedItems).toContain('housing-fund-withdrawal');
    expect(definition!.elements.Join!.upstream).toBeDefined();
  });

  it('should give the same hash to the same flow and another hash to a changed one', async () => {
    const xml = fixture('inclusive.bpmn');
    const a = await deploy(xml);
    const b = await deploy(xml.replace('<!--', '<!-- reformatted '));
    const c = await deploy(xml.replace('housingFund = "是"', 'housingFund = "否"'));
    expect(a.definition!.hash).toBe(b.definition!.hash);
    expect(c.definition!.hash).not.toBe(a.definition!.hash);
  });

  it('should refuse an unsupported element, naming it and its type in Chinese', async () => {
    const { definition, problems } = await deploy(linear('<bpmn:scriptTask id="X" scriptFormat="js"><bpmn:script>1</bpmn:script></bpmn:scriptTask>'));
    expect(definition).toBeUndefined();
    expect(problems).toEqual([{ element: 'X', type: 'bpmn:ScriptTask', code: 'unsupported-element', message: '不支持的元素类型：X（bpmn:ScriptTask）' }]);
  });

  it('should refuse a FEEL syntax error at deploy, naming the flow', async () => {
    const xml = linear('<bpmn:task id="X" />').replace('<bpmn:sequenceFlow id="b" sourceRef="X" targetRef="E" />',
      '<bpmn:sequenceFlow id="b" sourceRef="X" targetRef="E"><bpmn:conditionExpression>outcome = &quot;x</bpmn:conditionExpression></bpmn:sequenceFlow>');
    const { problems } = await deploy(xml);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ element: 'b', code: 'feel-syntax' });
    expect(problems[0]!.message).toContain('outcome = "x');
  });

  it('should refuse script languages other than FEEL', async () => {
    const xml = linear('<bpmn:task id="X" />').replace('<bpmn:sequenceFlow id="b" sourceRef="X" targetRef="E" />',
      '<bpmn:sequenceFlow id="b" sourceRef="X" targetRef="E"><bpmn:conditionExpression language="javascript">process.exit()</bpmn:conditionExpression></bpmn:sequenceFlow>');
    expect((await deploy(xml)).problems[0]).toMatchObject({ element: 'b', code: 'unsupported-language' });
  });

  it('should flag a misspelt lb: attribute and an invalid item status', async () => {
    const { problems } = await deploy(linear('<bpmn:userTask id="X" lb:candidateGroup="hrss" lb:linkedItem="k" lb:itemStatus="finished" />'));
    expect(problems.map((p) => p.code).sort()).toEqual(['invalid-item-status', 'unknown-attribute']);
    expect(problems.every((p) => p.element === 'X')).toBe(true);
  });

  it('should never throw on bad input', async () => {
    for (const bad of ['', '<bad', 'not xml', '<?xml version="1.0"?><foo/>', doc(''), undefined as unknown as string]) {
      const r = await deploy(bad);
      expect(r.definition).toBeUndefined();
      expect(r.problems.length).toBeGreaterThan(0);
    }
  });

  it('should refuse a flow that crosses a sub-process border and a sub-process without a start', async () => {
    const { problems } = await deploy(doc(`
      <bpmn:startEvent id="S" /><bpmn:sequenceFlow id="a" sourceRef="S" targetRef="T" />
      <bpmn:subProcess id="Sub"><bpmn:task id="T" /></bpmn:subProcess>`));
    expect(problems.map((p) => [p.element, p.code])).toEqual([['a', 'crosses-subprocess'], ['Sub', 'subprocess-start']]);
  });

  it('should share the lb: descriptor with bpmn-moddle (as the designer loads it)', async () => {
    const moddle = new BpmnModdle({ lb: lianbanModdle });
    const { rootElement } = await moddle.fromXML(fixture('changzhou.bpmn'));
    const task = (rootElement as any).rootElements[1].flowElements.find((e: any) => e.id === 'Task_housing');
    expect(task.get('lb:outcomes')).toBe('done,not-eligible');
  });
});

describe('versions and caller mistakes', () => {
  it('should refuse to continue a case on another definition version', async () => {
    const def = await load('inclusive.bpmn');
    const other = (await deploy(fixture('inclusive.bpmn').replace('medical = true', 'medical = false'))).definition!;
    const r = start(def, {}, { now: NOW });
    expect(() => complete(other, r.state, r.waits[0]!.id, { outcome: 'approved' })).toThrow(
      expect.objectContaining({ name: 'EngineError', code: 'definition-mismatch' }),
    );
  });

  it('should refuse unknown waits, ended cases and bad variables with typed errors', async () => {
    const def = await load('inclusive.bpmn');
    const r = start(def, {}, { now: NOW });
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return e instanceof EngineError ? e.code : 'other';
      }
      return 'none';
    };
    expect(code(() => complete(def, r.state, 'w999', {}))).toBe('unknown-wait');
    expect(code(() => complete(def, r.state, waitAt(r, 'Task_hrss').id, { outcome: 'nope' }))).toBe('invalid-outcome');
    expect(code(() => start(def, [] as any))).toBe('invalid-input');
    expect(code(() => complete(def, { ...r.state, status: 'completed' }, r.waits[0]!.id, {}))).toBe('not-active');
  });
});
