import { describe, expect, it } from 'vitest';
import { checkFormSchema, patternProblem, showcaseSchema, type FieldSchema, type FormSchema } from '@lianban/runtime';

const form = (properties: Record<string, FieldSchema>): FormSchema => ({ type: 'object', properties });
const codes = (s: FormSchema) => checkFormSchema(s).map((p) => `${p.path} ${p.code}`);

describe('checkFormSchema', () => {
  it('should find no problem in the showcase form', () => {
    expect(checkFormSchema(showcaseSchema)).toEqual([]);
  });

  it('should report unknown and missing field types with their schema paths', () => {
    expect(codes(form({ sec: { type: 'void', 'x-field-type': 'section', properties: { a: { type: 'string', 'x-field-type': 'fancy' } } }, b: { type: 'string' } })))
      .toEqual(['properties.sec.properties.a unknown-field-type', 'properties.b missing-field-type']);
  });

  it('should report duplicate data keys across sections', () => {
    expect(codes(form({
      s1: { type: 'void', 'x-field-type': 'section', properties: { name: { type: 'string', 'x-field-type': 'text' } } },
      s2: { type: 'void', 'x-field-type': 'section', properties: { name: { type: 'string', 'x-field-type': 'text' } } },
    }))).toEqual(['properties.s2.properties.name duplicate-key']);
  });

  it('should report rules that refer to missing fields or have a bad shape', () => {
    expect(codes(form({
      a: { type: 'boolean', 'x-field-type': 'yesNo' },
      b: { type: 'string', 'x-field-type': 'text', 'x-visible-when': { field: 'nope', eq: true } },
      c: { type: 'string', 'x-field-type': 'text', 'x-required-when': { field: 'a' } as never },
      d: { type: 'string', 'x-field-type': 'computed', 'x-compute': { compute: 'statutoryRetirement', from: { identity: 'missing' } } },
      e: { type: 'string', 'x-field-type': 'computed', 'x-compute': { compute: 'eval', from: {} } },
    }))).toEqual([
      'properties.b.x-visible-when rule-missing-field',
      'properties.c.x-required-when rule-bad-shape',
      'properties.d.x-compute.from.id compute-missing-param',
      'properties.d.x-compute.from.identity rule-missing-field',
      'properties.e.x-compute unknown-compute',
    ]);
  });

  it('should refuse computed values that read each other in a circle, naming the fields', () => {
    const problems = checkFormSchema(form({
      id: { type: 'string', 'x-field-type': 'idNumber' },
      x: { type: 'string', title: '最低缴费月数', 'x-field-type': 'computed', 'x-compute': { compute: 'minContributionMonths', from: { retireAt: 'y' } } },
      y: { type: 'string', title: '退休年月', 'x-field-type': 'computed', 'x-compute': { compute: 'statutoryRetirementMonth', from: { id: 'x' } } },
      z: { type: 'string', 'x-field-type': 'computed', 'x-compute': { compute: 'birthDateFromId', from: { id: 'z' } } },
      ok: { type: 'string', 'x-field-type': 'computed', 'x-compute': { compute: 'statutoryRetirementMonth', from: { id: 'id' } } },
      okToo: { type: 'string', 'x-field-type': 'computed', 'x-compute': { compute: 'minContributionMonths', from: { retireAt: 'ok' } } },
    }));
    expect(problems.map((p) => `${p.path} ${p.code}`)).toEqual(['properties.x.x-compute compute-cycle', 'properties.z.x-compute compute-cycle']);
    expect(problems[0]!.message).toBe('计算值循环引用：「最低缴费月数」 → 「退休年月」 → 「最低缴费月数」，请改为由填写的字段计算');
    expect(problems[1]!.message).toContain('「z」 → 「z」');
  });

  it('should refuse invalid keys, {{ }} expressions and hand-written x-reactions', () => {
    expect(codes(form({
      'a.b': { type: 'string', 'x-field-type': 'text' },
      t: { type: 'string', 'x-field-type': 'text', title: '{{alert(1)}}', 'x-reactions': { fulfill: { run: 'x()' } } },
      s: { type: 'string', 'x-field-type': 'select', enum: [{ label: '{{ $self }}', value: 1 }] },
    }))).toEqual([
      'properties.a.b invalid-key',
      'properties.t.title expression-not-allowed',
      'properties.t.x-reactions reactions-not-allowed',
      'properties.s.enum expression-not-allowed',
    ]);
  });

  it('should require options on choices, columns on rows and a compute on computed fields', () => {
    expect(codes(form({
      c: { type: 'string', 'x-field-type': 'radio' },
      r: { type: 'array', 'x-field-type': 'rows' },
      k: { type: 'string', 'x-field-type': 'computed' },
      n: { type: 'string', 'x-field-type': 'number' },
    }))).toEqual(['properties.c missing-options', 'properties.r rows-without-columns', 'properties.k missing-compute', 'properties.n type-mismatch']);
  });

  it('should check linked items: shape, an opt-in field, unique ids', () => {
    const item = { id: 'housing-fund-withdrawal', name: '退休人员住房公积金提取', department: 'housing-fund' };
    expect(codes(form({
      a: { type: 'boolean', 'x-field-type': 'yesNo', 'x-linked-item': item },
      b: { type: 'boolean', 'x-field-type': 'yesNo', 'x-linked-item': item },
      c: { type: 'string', 'x-field-type': 'text', 'x-linked-item': { ...item, id: 'x' } },
      d: { type: 'boolean', 'x-field-type': 'yesNo', 'x-linked-item': { id: 'y', name: '' } as never },
      e: { type: 'boolean', 'x-field-type': 'yesNo', 'x-linked-item': 'medical-insurance-transfer' },
      f: { type: 'boolean', 'x-field-type': 'yesNo', 'x-linked-item': 'medical-insurance-transfer' },
      g: { type: 'boolean', 'x-field-type': 'yesNo', 'x-linked-item': 'not an id' },
    }))).toEqual([
      'properties.b.x-linked-item duplicate-linked-item',
      'properties.c.x-linked-item linked-item-not-opt-in',
      'properties.d.x-linked-item linked-item-bad-shape',
      'properties.f.x-linked-item duplicate-linked-item',
      'properties.g.x-linked-item linked-item-bad-shape',
    ]);
  });

  it('should look computations up as own names only (constructor, __proto__)', () => {
    const computed = (compute: unknown) => ({ type: 'string', 'x-field-type': 'computed', 'x-compute': compute }) as FieldSchema;
    expect(codes(form({ a: computed({ compute: 'constructor', from: {} }), b: computed({ compute: '__proto__', from: {} }), c: computed('constructor'), d: computed({ compute: 'toString', from: {} }) })))
      .toEqual(['properties.a.x-compute unknown-compute', 'properties.b.x-compute unknown-compute', 'properties.c.x-compute unknown-compute', 'properties.d.x-compute unknown-compute']);
    expect(codes(form({ a: { type: 'string', 'x-field-type': 'text', 'x-rules': { compute: 'constructor' } } }))).toEqual(['properties.a.x-rules reactions-not-allowed']);
  });

  it('should refuse {{ }} expressions anywhere: values, keys, nested, the form root', () => {
    expect(codes({ ...form({ a: { type: 'string', 'x-field-type': 'text', 'x-decorator-props': { deep: [{ x: '{{ $form }}' }] }, 'x-data': { '{{k}}': 1 } } }), 'x-form': { id: 'f', version: 1, printNote: '{{alert(1)}}' } }))
      .toEqual(['x-form expression-not-allowed', 'properties.a.x-decorator-props expression-not-allowed', 'properties.a.x-data expression-not-allowed']);
  });

  it('should refuse component props the field type does not document, naming the prop', () => {
    const problems = checkFormSchema(form({
      d: { type: 'string', title: '日期', 'x-field-type': 'date', 'x-component-props': { placeholder: '选日期', format: 'YYYY年MM月', onChange: 'x' } },
      t: { type: 'string', title: '姓名', 'x-field-type': 'text', 'x-component-props': { style: { display: 'none' } } },
      m: { type: 'string', title: '年月', 'x-field-type': 'yearMonth', 'x-component-props': { format: { toString: 1 } } },
      u: { type: 'array', title: '材料', 'x-field-type': 'upload', 'x-materials': [{ code: 'id', name: '身份证' }] as never, 'x-component-props': { materials: 5 } },
    }));
    expect(problems.map((p) => `${p.path} ${p.code}`)).toEqual([
      'properties.d.x-component-props.onChange component-prop-not-allowed',
      'properties.t.x-component-props.style component-prop-not-allowed',
      'properties.m.x-component-props.format component-prop-bad-value',
      'properties.u.x-component-props.materials component-prop-bad-value',
    ]);
    expect(problems[0]!.message).toContain('不支持组件属性「onChange」');
    // A title React cannot print would blank the page as surely as a bad prop.
    expect(codes(form({ t: { type: 'string', title: { $$typeof: 'x' } as never, 'x-field-type': 'text' } }))).toEqual(['properties.t.title text-not-string']);
  });

  it('should reject a non-object root', () => {
    expect(checkFormSchema({ type: 'string' } as never)[0]!.code).toBe('root-not-object');
  });
});

describe('patternProblem (administrator regexes)', () => {
  it('should accept ordinary patterns', () => {
    expect(patternProblem('^[A-Z]{2}\\d{4}$')).toBeNull();
  });

  it('should accept nested quantifiers, which run in linear time on RE2', () => {
    expect(patternProblem('^(a+)+$')).toBeNull();
    expect(patternProblem('^(a|a)+$')).toBeNull();
    expect(patternProblem('^(\\d|\\w)+$')).toBeNull();
  });

  it('should refuse what RE2 cannot express, over-long and broken patterns, in Chinese', () => {
    expect(patternProblem('(a)\\1')).toMatch(/反向引用/);
    expect(patternProblem('^(?=a)a$')).toMatch(/不受支持/);
    expect(patternProblem('(?<!a)b')).toMatch(/不受支持/);
    expect(patternProblem('a'.repeat(201))).toMatch(/不能超过 200/);
    expect(patternProblem('([a-')).toMatch(/语法有误/);
  });

  it('should report a bad pattern at its schema path', () => {
    expect(codes(form({ a: { type: 'string', 'x-field-type': 'text', pattern: '^(\\w+)-\\1$' } }))).toEqual(['properties.a.pattern bad-pattern']);
  });
});
