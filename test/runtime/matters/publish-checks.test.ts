/** The publish checks (runtime/src/matters/publish-checks.ts), run on the shipped matters and on broken ones. */
import { describe, expect, it } from 'vitest';
import { checkMatter, formFields, type MatterCheckInput } from '@lianban/runtime';
import { loadTemplates, type CityKey } from '@lianban/templates';

const DEPARTMENTS: Record<CityKey, string[]> = {
  luan: ['window', 'hrss', 'medical', 'housing-fund'],
  changzhou: ['hrss', 'medical', 'housing-fund', 'health'],
};

const LB = 'xmlns:lb="http://lianban.gov.cn/schema/bpmn"';
const FLOW = `<?xml version="1.0"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" ${LB} id="D" targetNamespace="t">
  <bpmn:process id="P" isExecutable="true">
    <bpmn:startEvent id="S" /><bpmn:exclusiveGateway id="G" default="f3" />
    <bpmn:userTask id="A" name="公积金审核" lb:candidateGroups="housing-fund" lb:linkedItem="housing" />
    <bpmn:userTask id="B" name="其他审核" lb:candidateGroups="nowhere" />
    <bpmn:endEvent id="E" />
    <bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="G" />
    <bpmn:sequenceFlow id="f2" sourceRef="G" targetRef="A"><bpmn:conditionExpression>wantsHousing = true and missingField = 1</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f3" sourceRef="G" targetRef="B" />
    <bpmn:sequenceFlow id="f4" sourceRef="A" targetRef="E" /><bpmn:sequenceFlow id="f5" sourceRef="B" targetRef="E" />
  </bpmn:process>
</bpmn:definitions>`;

const form = {
  key: 'apply',
  schema: {
    type: 'object',
    properties: {
      items: {
        type: 'void', 'x-field-type': 'section',
        properties: {
          wantsHousing: { type: 'boolean', 'x-field-type': 'yesNo', 'x-linked-item': 'housing' },
          wantsOther: { type: 'boolean', 'x-field-type': 'yesNo', 'x-linked-item': { id: 'stranger', name: '陌生', department: 'hrss' } },
        },
      },
    },
  },
};

const input = (patch: Partial<MatterCheckInput> = {}): MatterCheckInput => ({
  matter: {
    forms: [{ key: 'apply' }],
    flow: 'f',
    linkedItems: [
      { key: 'housing', title: '公积金提取', department: 'housing-fund' },
      { key: 'medical', title: '医保转移', department: 'medical', mandatory: true },
      { key: 'optional', title: '无勾选', department: 'atlantis' },
    ],
  },
  forms: [form],
  flow: { key: 'f', xml: FLOW },
  departments: ['housing-fund', 'medical'],
  ...patch,
});

describe('checkMatter', () => {
  it('should pass every shipped matter and give the flow hash', async () => {
    for (const city of loadTemplates().cities) {
      for (const matter of city.matters) {
        const result = await checkMatter({ matter, forms: city.forms, flow: city.flows.find((f) => f.key === matter.flow) ?? null, departments: DEPARTMENTS[city.key] });
        expect(result.problems, matter.key).toEqual([]);
        expect(result.flowHash).toMatch(/\S/);
      }
    }
  });

  it('should name the element or field of every inconsistency', async () => {
    const { problems, flowHash } = await checkMatter(input());
    expect(flowHash).toBeDefined();
    expect(problems).toEqual([
      { field: 'linkedItems.optional.department', message: '关联事项「无勾选」的部门「atlantis」不存在' },
      { field: 'linkedItems.optional', message: '可选关联事项「无勾选」在申请表中没有勾选字段（x-linked-item）' },
      { field: 'wantsOther', message: '字段「wantsOther」标记的关联事项「stranger」不在本事项的关联事项中' },
      { element: 'B', message: '「其他审核」指定的部门「nowhere」不存在，请先在城市管理中添加该部门' },
      { element: 'f2', message: '条件「wantsHousing = true and missingField = 1」引用的字段「missingField」在表单中不存在' },
      { field: 'linkedItems.medical', message: '流程中没有处理关联事项「医保转移」的分支或环节（lb:linkedItem="medical"）' },
      { field: 'linkedItems.optional', message: '流程中没有处理关联事项「无勾选」的分支或环节（lb:linkedItem="optional"）' },
    ]);
  });

  it('should report a missing form, a missing flow and a flow that does not deploy', async () => {
    expect((await checkMatter(input({ forms: [], flow: null }))).problems).toEqual(expect.arrayContaining([
      { field: 'forms.apply', message: '表单「apply」不存在' },
      { message: '流程「f」不存在' },
    ]));
    const broken = await checkMatter(input({ flow: { key: 'f', xml: FLOW.replace('<bpmn:userTask id="B"', '<bpmn:scriptTask id="B"').replace('lb:candidateGroups="nowhere" />', '/>') } }));
    expect(broken.flowHash).toBeUndefined();
    expect(broken.problems.some((p) => p.element === 'B')).toBe(true);
    expect((await checkMatter(input({ matter: { ...input().matter, forms: [] } }))).problems[0]).toEqual({ message: '事项至少需要一张申请表' });
  });

  it('should list field keys of sections, groups and rows columns, but not sections', () => {
    const { keys, linkedItems } = formFields({
      properties: {
        s: { type: 'void', properties: { a: { type: 'string' } } },
        rows: { type: 'array', items: { properties: { col: { type: 'string' } } } },
      },
    });
    expect([...keys]).toEqual(['a', 'rows', 'col']);
    expect(linkedItems.size).toBe(0);
    expect(formFields(form.schema).linkedItems).toEqual(new Map([['housing', 'wantsHousing'], ['stranger', 'wantsOther']]));
  });
});

describe('checkMatter: FEEL budget (issue 17)', () => {
  const withCondition = (cond: string) => FLOW.replace('wantsHousing = true and missingField = 1', cond);
  it('should refuse a condition that would iterate past the budget, naming the flow', async () => {
    const { problems } = await checkMatter(input({ flow: { key: 'f', xml: withCondition('count(for i in 1..50000000 return i) > 0') } }));
    expect(problems).toContainEqual({ element: 'f2', message: expect.stringContaining('超出表达式预算') });
  });
  it('should refuse a condition that spends its budget on the example data', async () => {
    const example = { ...form, example: { wantsHousing: true, note: 'x'.repeat(5000) } };
    const { problems } = await checkMatter(input({ forms: [example], flow: { key: 'f', xml: withCondition('string length(replace(note, "", note)) > 0') } }));
    expect(problems.filter((p) => p.message.includes('超出表达式预算')).map((p) => p.element)).toEqual(['f2']);
  });
  it('should accept an ordinary condition', async () => {
    const { problems } = await checkMatter(input({ flow: { key: 'f', xml: withCondition('wantsHousing = true') } }));
    expect(problems.filter((p) => p.element === 'f2')).toEqual([]);
  });
});
