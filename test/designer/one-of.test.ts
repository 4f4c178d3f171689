/** The designer's 「二者必选其一」 model: candidates, picks ↔ rule, reading, and renames that follow the rule. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFormSchema, compileChecker, type FormSchema } from '@lianban/runtime';
import { describeOneOf, FormDocument, findByKey, nodeAt, oneOfCandidates, oneOfPicks, ruleFields, toOneOf } from '@lianban/designer/forms/model';

const unitForm = (): FormSchema => JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../templates/luan/forms/luan-retirement-unit.json'), 'utf8'));

describe('one-of rule model', () => {
  it('should offer only yes/no fields', () => {
    const keys = oneOfCandidates(ruleFields(unitForm())).map((f) => f.key);
    expect(keys).toEqual(['retirementNormal', 'hasPersonnelFile', 'retirementEarly', 'medicalInsuranceTransfer', 'housingFundWithdrawal']);
  });

  it('should make a rule of two or more picked fields and read it back', () => {
    expect(toOneOf({ fields: ['retirementEarly'], mode: 'exactly' })).toBeUndefined();
    const rule = toOneOf({ fields: ['retirementEarly', 'retirementNormal', 'retirementNormal', ''], mode: 'exactly', message: '  ' })!;
    expect(rule).toEqual({ fields: ['retirementEarly', 'retirementNormal'], mode: 'exactly' });
    expect(oneOfPicks(rule, 'retirementEarly')).toEqual({ fields: ['retirementEarly', 'retirementNormal'], mode: 'exactly' });
    expect(oneOfPicks(undefined, 'retirementEarly')).toEqual({ fields: ['retirementEarly'], mode: 'exactly' });
    const fields = [{ key: 'a', label: '正常退休（a）', type: 'yesNo' }, { key: 'b', label: '提前退休（b）', type: 'yesNo' }];
    expect(describeOneOf({ fields: ['a', 'b'] }, fields)).toBe('「正常退休」与「提前退休」二者必选其一');
    expect(describeOneOf({ fields: ['a', 'b'], mode: 'atLeast' }, fields)).toBe('「正常退休」与「提前退休」二者至少选择一项');
  });

  it('should give a rule the runtime enforces once set on a field of the document', () => {
    const doc = new FormDocument(unitForm());
    const at = findByKey(doc.schema, 'medicalInsuranceTransfer')!;
    doc.update(at, { 'x-one-of': toOneOf({ fields: ['medicalInsuranceTransfer', 'housingFundWithdrawal'], mode: 'atLeast', message: '请至少办理一项联办事项' }) });
    expect(checkFormSchema(doc.schema)).toEqual([]);
    const r = compileChecker(doc.schema).check({ medicalInsuranceTransfer: false, housingFundWithdrawal: false });
    expect(r.errors).toContainEqual({ path: 'medicalInsuranceTransfer', code: 'one-of', message: '请至少办理一项联办事项' });
  });

  it('should follow a renamed field in one-of and eligibility rules and material conditions', () => {
    const doc = new FormDocument(unitForm());
    doc.rename(findByKey(doc.schema, 'retirementNormal')!, 'normalRetirement');
    doc.rename(findByKey(doc.schema, 'hasPersonnelFile')!, 'personnelFile');
    expect(nodeAt(doc.schema, findByKey(doc.schema, 'retirementEarly')!)!['x-one-of']!.fields).toEqual(['normalRetirement', 'retirementEarly']);
    expect(JSON.stringify(nodeAt(doc.schema, findByKey(doc.schema, 'normalMaterials')!)!['x-materials'])).toContain('"field":"personnelFile"');
    expect(checkFormSchema(doc.schema)).toEqual([]);
  });
});
