/**
 * The BPMN subset as data (SUPPORTED_BPMN_ELEMENTS), which the designer's linter reads: it
 * agrees with what deploy accepts and refuses.
 */
import { describe, expect, it } from 'vitest';
import { deploy, EXECUTABLE_ELEMENT_TYPES, SUPPORTED_BPMN_ELEMENTS } from '@lianban/runtime';

const doc = (body: string) => `<?xml version="1.0"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="t">
  <bpmn:process id="P" isExecutable="true">${body}</bpmn:process>
</bpmn:definitions>`;

describe('supported BPMN elements', () => {
  it('should list every element type the engine has a handler for, and sequence flows and data', () => {
    for (const type of EXECUTABLE_ELEMENT_TYPES) {
      expect(SUPPORTED_BPMN_ELEMENTS).toHaveProperty([`bpmn:${type.charAt(0).toUpperCase()}${type.slice(1)}`]);
    }
    expect(SUPPORTED_BPMN_ELEMENTS['bpmn:SequenceFlow']).toBeNull();
    expect(SUPPORTED_BPMN_ELEMENTS['bpmn:DataObjectReference']).toBeNull();
    expect(SUPPORTED_BPMN_ELEMENTS['bpmn:Task']).toBeNull();
    expect(SUPPORTED_BPMN_ELEMENTS['bpmn:StartEvent']).toEqual(['none', 'bpmn:MessageEventDefinition']);
    expect(SUPPORTED_BPMN_ELEMENTS['bpmn:BoundaryEvent']).toEqual(['bpmn:TimerEventDefinition', 'bpmn:ErrorEventDefinition']);
    expect('bpmn:ScriptTask' in SUPPORTED_BPMN_ELEMENTS).toBe(false);
  });

  it('should deploy a plain task and refuse a script task, as the table says', async () => {
    const flow = (task: string) => doc(`<bpmn:startEvent id="S" />${task}<bpmn:endEvent id="E" />
      <bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="T" /><bpmn:sequenceFlow id="f2" sourceRef="T" targetRef="E" />`);
    expect((await deploy(flow('<bpmn:task id="T" />'))).problems).toEqual([]);
    const refused = await deploy(flow('<bpmn:scriptTask id="T" />'));
    expect(refused.problems.map((p) => [p.element, p.code])).toEqual([['T', 'unsupported-element']]);
  });
});
