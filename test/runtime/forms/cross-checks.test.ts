/**
 * The cross-field rule kinds of the forms core: 二者必选其一 (`x-one-of`), eligibility
 * (`x-eligibility`, the registry over rules/) and materials required by the answers
 * (`x-materials[].requiredWhen`): evaluation by the pure checker (browser and server) and the
 * publish checks of their shape.
 */
import { describe, expect, it } from 'vitest';
import { loadCity } from '@lianban/templates';
import { applicableMaterials, checkFormSchema, compileChecker, ELIGIBILITY_RULES, runEligibility, withRetirementConfig, type FieldSchema, type FormSchema } from '@lianban/runtime';
import { compileValidator } from '@lianban/runtime/validate';

const form = (properties: Record<string, FieldSchema>): FormSchema => ({ type: 'object', properties });
const yesNo = (title: string, extra: FieldSchema = {}): FieldSchema => ({ type: 'boolean', title, 'x-field-type': 'yesNo', required: true, ...extra });

describe('x-one-of (二者必选其一)', () => {
  const schema = form({
    normal: { type: 'void', title: '职工正常退休', 'x-field-type': 'section', properties: { a: yesNo('需要办理') } },
    early: { type: 'void', title: '职工提前退休(退职)', 'x-field-type': 'section', properties: { b: yesNo('需要办理', { 'x-one-of': { fields: ['a', 'b'] } }) } },
  });
  const checker = compileChecker(schema);

  it('should accept exactly one 是', () => {
    expect(checker.check({ a: true, b: false }).errors).toEqual([]);
    expect(checker.check({ a: false, b: true }).errors).toEqual([]);
  });

  it('should refuse none, naming both by their sections when the titles are the same', () => {
    expect(checker.check({ a: false, b: false }).errors).toEqual([{ path: 'b', code: 'one-of', message: '「职工正常退休」与「职工提前退休(退职)」二者必选其一' }]);
  });

  it('should refuse both in `exactly` mode and accept both in `atLeast` mode', () => {
    expect(checker.check({ a: true, b: true }).errors).toEqual([{ path: 'b', code: 'one-of', message: '「职工正常退休」与「职工提前退休(退职)」二者只能选择其一' }]);
    const atLeast = compileChecker(form({ a: yesNo('甲'), b: yesNo('乙'), c: yesNo('丙', { 'x-one-of': { fields: ['a', 'b', 'c'], mode: 'atLeast', message: '至少办理一项' } }) }));
    expect(atLeast.check({ a: true, b: true, c: false }).errors).toEqual([]);
    expect(atLeast.check({ a: false, b: false, c: false }).errors).toEqual([{ path: 'c', code: 'one-of', message: '至少办理一项' }]);
  });

  it('should leave a missing answer to the required check (no second error)', () => {
    expect(checker.check({ a: false }).errors.map((e) => `${e.path} ${e.code}`)).toEqual(['b required']);
  });

  it('should be checked by the server validator too', () => {
    expect(compileValidator(schema).validate({ a: false, b: false }).errors.map((e) => e.code)).toEqual(['one-of']);
  });

  it('should refuse a bad shape, a missing field and a field that is not yes/no', () => {
    const bad = (rule: unknown, extra: Record<string, FieldSchema> = {}) => checkFormSchema(form({ a: yesNo('甲'), t: { type: 'string', 'x-field-type': 'text' }, b: yesNo('乙', { 'x-one-of': rule as never }), ...extra })).map((p) => `${p.path} ${p.code}`);
    expect(bad({ fields: ['a'] })).toEqual(['properties.b.x-one-of rule-bad-shape']);
    expect(bad({ fields: ['a', 'b'], mode: 'some' })).toEqual(['properties.b.x-one-of rule-bad-shape']);
    expect(bad({ fields: ['a', 'nope'] })).toEqual(['properties.b.x-one-of rule-missing-field']);
    expect(bad({ fields: ['a', 't'] })).toEqual(['properties.b.x-one-of rule-not-applicable']);
    expect(bad({ fields: ['a', 'b'] })).toEqual([]);
  });
});

describe('eligibility registry', () => {
  const MAN_1966 = '320402196603121351'; // statutory 60岁4个月 → 2026-07
  const WOMAN_1970 = '32040219700520002X';

  it('should compare 正常退休 with the statutory month by category', () => {
    expect(runEligibility('statutoryMonth', { id: MAN_1966, retireAt: '2026-07' })).toEqual([]);
    expect(runEligibility('statutoryMonth', { id: MAN_1966, retireAt: '2026-06' })).toEqual([
      { code: 'eligibility.before-statutory', message: '按现行政策，您的法定退休年月为 2026年7月，正常退休的退休时间不能早于该月' },
    ]);
    // a woman worker is f50 (2020-05); as a flexible employee f55 (55岁2个月 → 2025-07)
    expect(runEligibility('statutoryMonth', { id: WOMAN_1970, identity: '工人', retireAt: '2020-05' })).toEqual([]);
    expect(runEligibility('statutoryMonth', { id: WOMAN_1970, identity: '工人', flexibleEmployment: true, retireAt: '2020-05' })[0]!.message).toContain('2025年7月');
    // a province that classes flexible-employment women as f50
    expect(runEligibility('statutoryMonth', { id: WOMAN_1970, flexibleEmployment: true, retireAt: '2020-05' }, withRetirementConfig({ flexibleEmploymentFemale: 'f50' }))).toEqual([]);
  });

  it('should check 特殊工种 age (55/45) and years by type (10/9/8)', () => {
    const at55 = { id: MAN_1966, retireAt: '2021-03' };
    expect(runEligibility('specialWorkEarly', { ...at55, workType: 'underground', years: 9 })).toEqual([]);
    expect(runEligibility('specialWorkEarly', { ...at55, workType: 'highAltitude', years: 9 }).map((p) => p.code)).toEqual(['eligibility.special-work-years']);
    expect(runEligibility('specialWorkEarly', { ...at55, workType: 'harmful', years: 8 })).toEqual([]);
    expect(runEligibility('specialWorkEarly', { id: MAN_1966, retireAt: '2021-02', workType: 'harmful', years: 8 })).toEqual([
      { code: 'eligibility.special-work-age', message: '特殊工种提前退休须年满55周岁，您最早可于 2021年3月 退休' },
    ]);
    expect(runEligibility('specialWorkEarly', { id: WOMAN_1970, retireAt: '2015-05', workType: 'highTemperature', years: 9 })).toEqual([]);
  });

  it('should ask 因病 for the appraisal and the age, and 退职 for one not old enough to retire', () => {
    const file = [{ name: '鉴定书.pdf' }];
    expect(runEligibility('illnessEarly', { id: MAN_1966, retireAt: '2016-03', appraisal: file })).toEqual([]);
    expect(runEligibility('illnessEarly', { id: MAN_1966, retireAt: '2016-03', appraisal: [] }).map((p) => p.code)).toEqual(['eligibility.appraisal']);
    expect(runEligibility('illnessEarly', { id: MAN_1966, retireAt: '2016-02', appraisal: true }).map((p) => p.code)).toEqual(['eligibility.illness-age']);
    expect(runEligibility('illnessResignation', { id: MAN_1966, retireAt: '2016-02', appraisal: true })).toEqual([]);
    expect(runEligibility('illnessResignation', { id: MAN_1966, retireAt: '2016-03', appraisal: true }).map((p) => p.code)).toEqual(['eligibility.eligible-for-retirement']);
  });

  it('should say nothing while inputs are incomplete, and nothing for unknown or prototype names', () => {
    expect(runEligibility('statutoryMonth', { id: MAN_1966 })).toEqual([]);
    expect(runEligibility('statutoryMonth', { id: 'bad', retireAt: '2000-01' })).toEqual([]);
    expect(runEligibility('constructor', {})).toEqual([]);
    expect(Object.keys(ELIGIBILITY_RULES).sort()).toEqual(['illnessEarly', 'illnessResignation', 'specialWorkEarly', 'statutoryMonth']);
  });
});

describe('x-eligibility on a field', () => {
  const schema = form({
    idNumber: { type: 'string', 'x-field-type': 'idNumber', required: true },
    retireType: { type: 'string', 'x-field-type': 'radio', required: true, enum: [{ label: '正常退休', value: '正常退休' }, { label: '因病退休', value: '因病退休' }] },
    retireAt: {
      type: 'string', 'x-field-type': 'yearMonth', required: true,
      'x-eligibility': [{ rule: 'statutoryMonth', from: { id: 'idNumber', retireAt: 'retireAt' }, when: { field: 'retireType', eq: '正常退休' } }],
    },
  });
  const checker = compileChecker(schema);

  it('should check only while `when` holds, the error on the carrying field', () => {
    expect(checker.check({ idNumber: '320402196603121351', retireType: '正常退休', retireAt: '2026-07' }).errors).toEqual([]);
    expect(checker.check({ idNumber: '320402196603121351', retireType: '正常退休', retireAt: '2020-01' }).errors.map((e) => `${e.path} ${e.code}`)).toEqual(['retireAt eligibility.before-statutory']);
    expect(checker.check({ idNumber: '320402196603121351', retireType: '因病退休', retireAt: '2020-01' }).errors).toEqual([]);
  });

  it('should not pile an eligibility error on an input that is already wrong', () => {
    expect(checker.check({ idNumber: '320402196603121352', retireType: '正常退休', retireAt: '2020-01' }).errors.map((e) => e.code)).toEqual(['id-number.check-digit']);
  });

  it('should refuse unknown rules, missing or unknown parameters and rules in rows', () => {
    const problems = (rule: unknown) => checkFormSchema(form({ ...schema.properties, retireAt: { type: 'string', 'x-field-type': 'yearMonth', 'x-eligibility': rule as never } })).map((p) => `${p.path} ${p.code}`);
    expect(problems({ rule: 'eval', from: {} })).toEqual(['properties.retireAt.x-eligibility unknown-eligibility']);
    expect(problems({ rule: 'statutoryMonth', from: { id: 'idNumber' } })).toEqual(['properties.retireAt.x-eligibility.from.retireAt compute-missing-param']);
    expect(problems({ rule: 'statutoryMonth', from: { id: 'idNumber', retireAt: 'retireAt', age: 'x' } })).toEqual(['properties.retireAt.x-eligibility.from.age compute-unknown-param']);
    expect(problems({ rule: 'statutoryMonth', from: { id: 'nowhere', retireAt: 'retireAt' }, when: { field: 'retireType' } }))
      .toEqual(['properties.retireAt.x-eligibility.from.id rule-missing-field', 'properties.retireAt.x-eligibility.when rule-bad-shape']);
    const inRows = checkFormSchema(form({ ...schema.properties, rows: { type: 'array', 'x-field-type': 'rows', items: { type: 'object', properties: { at: { type: 'string', 'x-field-type': 'yearMonth', 'x-eligibility': { rule: 'statutoryMonth', from: { id: 'idNumber', retireAt: 'retireAt' } } } } } } }));
    expect(inRows.map((p) => p.code)).toContain('rule-not-applicable');
  });
});

describe('materials required by the answers', () => {
  const schema = form({
    hasFile: yesNo('是否有职工人事档案'),
    materials: {
      type: 'array', 'x-field-type': 'upload', required: true,
      'x-materials': [
        { code: 'application', name: '《拟退休（退职）人员申请表》', requiredWhen: { field: 'hasFile', filled: true } },
        { code: 'personnel-file', name: '职工人事档案', requiredWhen: { field: 'hasFile', eq: true } },
      ],
    },
  });
  const checker = compileChecker(schema);
  const app = { name: 'a.pdf', material: 'application' };

  it('should ask for a material only while its condition holds, a promise counting as given', () => {
    expect(checker.check({ hasFile: false, materials: [app] }).errors).toEqual([]);
    expect(checker.check({ hasFile: true, materials: [app] }).errors).toEqual([{ path: 'materials', code: 'material-required', message: '请提交职工人事档案' }]);
    expect(checker.check({ hasFile: true, materials: [app, { name: '职工人事档案', material: 'personnel-file', promised: true }] }).errors).toEqual([]);
    expect(checker.check({ hasFile: false, materials: [{ name: 'x.pdf' }] }).errors).toEqual([{ path: 'materials', code: 'material-required', message: '请提交《拟退休（退职）人员申请表》' }]);
  });

  it('should refuse a bad condition on a material', () => {
    const bad = form({ ...schema.properties, materials: { type: 'array', 'x-field-type': 'upload', 'x-materials': [{ code: 'a', name: 'A', requiredWhen: { field: 'nope', eq: true } }] } });
    expect(checkFormSchema(bad).map((p) => `${p.path} ${p.code}`)).toEqual(['properties.materials.x-materials.0.requiredWhen rule-missing-field']);
  });
});

describe('applicableMaterials (the portal checklist of 六安)', () => {
  const luan = loadCity('luan');
  const normal = luan.matters[0]!.linkedItems.find((i) => i.key === 'retirement-normal')!.materials!;
  const early = luan.matters[0]!.linkedItems.find((i) => i.key === 'retirement-early')!.materials!;
  const schemaOf = (key: string) => luan.forms.find((f) => f.key === key)!.schema as unknown as FormSchema;
  const names = (ms: { name: string; kind?: string }[]) => ms.map((m) => `${m.name}:${m.kind}`);

  it('should show the 单位 list on the unit form and the 灵活就业 list on the flexible form, never both', () => {
    expect(names(applicableMaterials(normal, schemaOf('luan-retirement-unit'), { retirementNormal: true, hasPersonnelFile: false })))
      .toEqual(['参保单位办理职工退休手续的请示:required', '职工本人社会保障卡:required', '《拟退休（退职）人员申请表》:required']);
    expect(names(applicableMaterials(normal, schemaOf('luan-retirement-flexible'), { retirementNormal: true, hasPersonnelFile: true })))
      .toEqual(['本人社会保障卡（代办另需提供代办人身份证件）:required', '《拟退休（退职）人员申请表》:required', '职工人事档案:required']);
  });

  it('should list the early-retirement documents by kind', () => {
    const special = applicableMaterials(early, schemaOf('luan-retirement-unit'), { retirementEarly: true, earlyKind: '特殊工种提前退休', hasPersonnelFile: false }).map((m) => m.name);
    expect(special).toContain('特殊工种提前退休申请书');
    expect(special).not.toContain('因病或非因工伤残完全丧失劳动能力鉴定书');
    expect(special).toContain('提前退休公示材料');
  });
});
