import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFormSchema, type FormSchema } from '@lianban/runtime';
import { addLinkedItem, addOptInField, findOptInField, findServiceSection, itemKeyProblem } from '@lianban/designer/matters/model';
import { fieldKeyFor, suggestKey } from '@lianban/designer/matters/model';
import { formFieldsOf } from '@lianban/designer/matters/model';

const form = (name: string): FormSchema => JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, `../../templates/luan/forms/${name}.json`), 'utf8'));
const matter = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../templates/luan/matters/luan-retirement.json'), 'utf8'));
const item = { key: 'unemployment-benefit-stop', title: '失业保险金停发', department: 'unemployment', materials: [{ name: '停发申请', kind: 'required' as const }] };

describe('linked-item keys', () => {
  it('should suggest ASCII keys from Chinese names of our domain', () => {
    expect(suggestKey('失业保险金停发')).toBe('unemployment-benefit-stop');
    expect(suggestKey('失业保险')).toBe('unemployment');
    expect(suggestKey('工伤保险待遇补差')).toBe('work-injury-benefit-top-up');
    expect(suggestKey('解除劳动用工备案')).toBe('labor-termination-filing');
    expect(suggestKey('某某')).toBe('');
    expect(fieldKeyFor('unemployment-benefit-stop')).toBe('unemploymentBenefitStop');
  });
});

describe('addOptInField', () => {
  it('should add a 是/否 opt-in with a string x-linked-item in the service section of both 六安 forms', () => {
    for (const name of ['luan-retirement-unit', 'luan-retirement-flexible']) {
      // given
      const schema = form(name);
      expect(findServiceSection(schema)).toEqual(['services']);
      // when
      const { schema: next, fieldKey, path: at } = addOptInField(schema, item);
      // then
      expect(fieldKey).toBe('unemploymentBenefitStop');
      expect(at).toEqual(['services', 'itemUnemploymentBenefitStop', 'unemploymentBenefitStop']);
      const section = next.properties.services!.properties!.itemUnemploymentBenefitStop!;
      expect(section).toMatchObject({ type: 'void', 'x-field-type': 'section', title: '失业保险金停发' });
      expect(section.properties!.unemploymentBenefitStop).toMatchObject({ type: 'boolean', 'x-field-type': 'yesNo', 'x-linked-item': 'unemployment-benefit-stop' });
      expect(section.properties!.unemploymentBenefitStopMaterials).toMatchObject({
        'x-field-type': 'upload', 'x-visible-when': { field: 'unemploymentBenefitStop', eq: true }, 'x-required-when': { field: 'unemploymentBenefitStop', eq: true },
        'x-materials': [{ code: 'm1', name: '停发申请', need: 'always' }],
      });
      expect(checkFormSchema(next)).toEqual([]);
      expect(findOptInField(next, 'unemployment-benefit-stop')).toEqual(at);
      // and the input is untouched; a second add is a no-op
      expect(findOptInField(schema, 'unemployment-benefit-stop')).toBeNull();
      expect(addOptInField(next, item).schema).toEqual(next);
    }
  });

  it('should create a 联办事项 section in a form without one, and a 无需材料 note without materials', () => {
    // given
    const schema: FormSchema = { type: 'object', properties: { name: { type: 'string', title: '姓名', 'x-field-type': 'text' } } };
    // when
    const { schema: next, path: at } = addOptInField(schema, { ...item, materials: [] });
    // then
    expect(at[0]).toBe('linkedItems');
    expect(next.properties.linkedItems!.title).toBe('联办事项');
    expect(Object.values(next.properties.linkedItems!.properties!.itemUnemploymentBenefitStop!.properties!).map((f) => f['x-field-type'])).toEqual(['yesNo', 'help']);
    expect(checkFormSchema(next)).toEqual([]);
  });
});

describe('matter draft', () => {
  it('should append the item and refuse a taken or malformed key', () => {
    const draft = { forms: matter.forms, flow: matter.flow, linkedItems: matter.linkedItems };
    const next = addLinkedItem(draft, item);
    expect(next.linkedItems.at(-1)).toEqual({ key: item.key, title: item.title, department: 'unemployment', materials: item.materials });
    expect(itemKeyProblem('housing-fund-withdrawal', draft)).toMatch(/已有/);
    expect(itemKeyProblem('失业', draft)).toMatch(/小写字母/);
    expect(itemKeyProblem(item.key, draft)).toBeNull();
  });

  it('should offer the forms fields to the modeler, opt-ins named after their item', () => {
    const fields = formFieldsOf([form('luan-retirement-unit')]);
    expect(fields.find((f) => f.key === 'housingFundWithdrawal')?.label).toBe('退休职工住房公积金提取 · 需要办理');
    expect(fields.find((f) => f.key === 'employeeGender')?.options).toEqual([{ value: 'male', label: '男' }, { value: 'female', label: '女' }]);
  });
});
