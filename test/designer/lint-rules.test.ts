/**
 * Our bpmnlint config (designer/src/modeler/lint) run in Node with bpmn-moddle: the lianban
 * rules and the Chinese messages of the core rules, on small inline diagrams and fixtures.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Linter } from 'bpmnlint';
import { BpmnModdle } from 'bpmn-moddle';
import { EXECUTABLE_ELEMENT_TYPES, SUPPORTED_BPMN_ELEMENTS, lianbanModdle } from '@lianban/runtime';
import { lintConfig } from '@lianban/designer/modeler/lint';

const LB = 'xmlns:lb="http://lianban.gov.cn/schema/bpmn"';

async function lint(xml: string, departments?: string[]) {
  const { rootElement } = await new BpmnModdle({ lb: lianbanModdle }).fromXML(xml, 'bpmn:Definitions');
  const reports = await new Linter(lintConfig({ departments })).lint(rootElement);
  return Object.entries(reports).flatMap(([rule, list]) => list.map((r) => ({ rule, id: r.id, message: r.message, category: r.category })));
}

const process = (body: string) => `<?xml version="1.0"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" ${LB} id="D" targetNamespace="t">
  <bpmn:process id="P" isExecutable="true">${body}</bpmn:process>
</bpmn:definitions>`;

const line = (...ids: string[]) => ids.slice(1).map((id, i) => `<bpmn:sequenceFlow id="f_${ids[i]}_${id}" sourceRef="${ids[i]}" targetRef="${id}" />`).join('');

describe('lianban lint rules', () => {
  it('should require a department on user tasks and know the city departments', async () => {
    // given
    const xml = process(`<bpmn:startEvent id="S" name="开始" /><bpmn:userTask id="A" name="审核" />
      <bpmn:userTask id="B" name="复核" lb:candidateGroups="hrss,unknown" /><bpmn:userTask id="C" name="按表单" lb:candidateGroups="=department" />
      <bpmn:endEvent id="E" name="结束" />${line('S', 'A', 'B', 'C', 'E')}`);
    // when
    const issues = (await lint(xml, ['hrss', 'medical'])).filter((i) => i.rule === 'lianban/department-required');
    // then
    expect(issues).toEqual([
      { rule: 'lianban/department-required', id: 'A', message: '用户任务「审核」未设置办理部门', category: 'error' },
      { rule: 'lianban/department-required', id: 'B', message: '「复核」的办理部门「unknown」不在本市部门列表中', category: 'error' },
    ]);
  });

  it('should accept the applicant as the handler of applicant tasks', async () => {
    const xml = process(`<bpmn:startEvent id="S" name="开始" /><bpmn:userTask id="A" name="补正材料" lb:candidateGroups="applicant" />
      <bpmn:endEvent id="E" name="结束" />${line('S', 'A', 'E')}`);
    expect((await lint(xml, ['hrss'])).filter((i) => i.rule === 'lianban/department-required')).toEqual([]);
  });

  it('should accept the shipped 六安 and 常州 flows', async () => {
    for (const [city, departments] of [['luan', ['window', 'hrss', 'medical', 'housing-fund']], ['changzhou', ['hrss', 'medical', 'housing-fund', 'health']]] as const) {
      const xml = fs.readFileSync(path.resolve(import.meta.dirname, `../../templates/${city}/flows/${city}-retirement.bpmn`), 'utf8');
      const issues = (await lint(xml, [...departments])).filter((i) => i.category === 'error');
      expect(issues, city).toEqual([]);
    }
  });

  it('should flag an inclusive split without a matching inclusive join', async () => {
    const xml = process(`<bpmn:startEvent id="S" name="开始" /><bpmn:inclusiveGateway id="Split" name="分派" />
      <bpmn:userTask id="A" name="甲" lb:candidateGroups="hrss" /><bpmn:userTask id="B" name="乙" lb:candidateGroups="hrss" />
      <bpmn:exclusiveGateway id="Join" /><bpmn:endEvent id="E" name="结束" />
      ${line('S', 'Split')}${line('Split', 'A', 'Join')}${line('Split', 'B', 'Join')}${line('Join', 'E')}`);
    const issues = (await lint(xml)).filter((i) => i.rule === 'lianban/inclusive-pairing');
    expect(issues.map((i) => i.message)).toEqual(['包容网关「分派」的分支没有汇合到同一个包容网关']);
  });

  it('should accept matched inclusive split and join, as in the 常州 flow', async () => {
    const xml = fs.readFileSync(path.resolve(import.meta.dirname, '../runtime/engine/changzhou.bpmn'), 'utf8');
    const issues = (await lint(xml, ['hrss', 'medical', 'housing-fund', 'health'])).filter((i) => i.rule.startsWith('lianban/'));
    expect(issues).toEqual([]);
  });

  it('should refuse elements and events the engine does not run, naming them in Chinese', async () => {
    const xml = process(`<bpmn:startEvent id="S" name="开始"><bpmn:signalEventDefinition /></bpmn:startEvent>
      <bpmn:scriptTask id="Script" name="计算" />
      <bpmn:userTask id="Seq" name="会签" lb:candidateGroups="hrss"><bpmn:multiInstanceLoopCharacteristics isSequential="true" /></bpmn:userTask>
      <bpmn:userTask id="Par" name="并行会签" lb:candidateGroups="hrss"><bpmn:multiInstanceLoopCharacteristics /></bpmn:userTask>
      <bpmn:endEvent id="E" name="结束" />${line('S', 'Script', 'Seq', 'Par', 'E')}`);
    const issues = (await lint(xml)).filter((i) => i.rule === 'lianban/supported-elements');
    expect(issues.map((i) => [i.id, i.message])).toEqual([
      ['S', '流程引擎不支持事件「开始」的信号类型（此处可用：空、消息）'],
      ['Script', '流程引擎不支持脚本任务「计算」'],
      ['Seq', '「会签」：只支持并行多实例，不支持串行多实例'],
    ]);
  });

  it('should accept every element type the engine has a handler for, with each event definition it runs', async () => {
    // given: one element per handled type and allowed event definition
    const tag = (bpmnType: string) => `bpmn:${bpmnType.charAt(5).toLowerCase()}${bpmnType.slice(6)}`;
    const elements: string[] = ['<bpmn:userTask id="Host" name="宿主" lb:candidateGroups="hrss" />'];
    for (const type of EXECUTABLE_ELEMENT_TYPES) {
      const bpmnType = `bpmn:${type.charAt(0).toUpperCase()}${type.slice(1)}`;
      expect(SUPPORTED_BPMN_ELEMENTS, bpmnType).toHaveProperty([bpmnType]);
      const attrs = `name="${type}"${type === 'boundaryEvent' ? ' attachedToRef="Host"' : ''}${type === 'userTask' ? ' lb:candidateGroups="hrss"' : ''}`;
      const events = SUPPORTED_BPMN_ELEMENTS[bpmnType] ?? [null];
      events.forEach((def, i) => {
        const body = def && def !== 'none' ? `<${tag(def)} />` : '';
        elements.push(`<${tag(bpmnType)} id="${type}_${i}" ${attrs}>${body}</${tag(bpmnType)}>`);
      });
    }
    // when
    const issues = (await lint(process(elements.join('')), ['hrss'])).filter((i) => i.rule === 'lianban/supported-elements');
    // then
    expect(elements.length).toBeGreaterThan(EXECUTABLE_ELEMENT_TYPES.length);
    expect(issues).toEqual([]);
  });

  it('should accept a plain task, which the engine runs', async () => {
    const xml = process(`<bpmn:startEvent id="S" name="开始" /><bpmn:task id="T" name="登记" /><bpmn:endEvent id="E" name="结束" />${line('S', 'T', 'E')}`);
    expect(EXECUTABLE_ELEMENT_TYPES).toContain('task');
    expect((await lint(xml)).filter((i) => i.rule === 'lianban/supported-elements')).toEqual([]);
  });

  it('should report the core rules in Chinese', async () => {
    const xml = process(`<bpmn:userTask id="A" lb:candidateGroups="hrss" /><bpmn:userTask id="Lonely" name="孤立" lb:candidateGroups="hrss" />`);
    const issues = await lint(xml);
    const byRule = Object.fromEntries(issues.map((i) => [`${i.rule}:${i.id}`, i.message]));
    expect(byRule['start-event-required:P']).toBe('流程缺少开始事件');
    expect(byRule['end-event-required:P']).toBe('流程缺少结束事件');
    expect(byRule['label-required:A']).toBe('缺少名称');
    expect(byRule['no-disconnected:Lonely']).toBe('元素未连接');
    expect(issues.filter((i) => !/[\u4e00-\u9fff]/.test(i.message))).toEqual([]);
  });
});
