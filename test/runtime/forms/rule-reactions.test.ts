import { describe, expect, it } from 'vitest';
import { createForm, type Field, type Form } from '@formily/core';
import { toJS } from '@formily/reactive';
import { checkFormSchema, showcaseSchema, toFormilySchema, type FieldSchema, type FormSchema } from '@lianban/runtime';
import { installRuleReactions } from '@lianban/runtime/web';

const text = (title: string, extra: Partial<FieldSchema> = {}): FieldSchema => ({ type: 'string', title, 'x-field-type': 'text', maxLength: 50, ...extra });
const yesNo = (title: string): FieldSchema => ({ type: 'boolean', title, 'x-field-type': 'yesNo' });

/** A flat form with one rule of each kind, a rule on a rows column and rules reading whole arrays. */
const schema: FormSchema = {
  type: 'object',
  'x-form': { id: 'rule-reactions', version: 1 },
  properties: {
    a: yesNo('甲'),
    b: text('乙', { 'x-visible-when': { field: 'a', eq: true } }),
    c: text('丙', { 'x-required-when': { any: [{ field: 'a', eq: true }, { field: 'd', filled: true }] } }),
    d: text('丁'),
    unrelated: text('无关'),
    idNumber: { type: 'string', title: '身份证号码', 'x-field-type': 'idNumber' },
    gender: { type: 'string', title: '性别', 'x-field-type': 'computed', 'x-compute': { compute: 'genderFromId', from: { id: 'idNumber' } } },
    services: { type: 'array', title: '事项', 'x-field-type': 'checkbox', enum: [{ label: '一', value: 'x' }, { label: '二', value: 'y' }] },
    onX: text('选了一', { 'x-visible-when': { field: 'services', includes: 'x' } }),
    rows: {
      type: 'array', title: '明细', 'x-field-type': 'rows', maxItems: 5,
      items: { type: 'object', properties: { col: text('列', { 'x-visible-when': { field: 'a', eq: true } }), other: text('另一列') } },
    },
    afterRows: text('有明细时', { 'x-visible-when': { field: 'rows', filled: true } }),
  },
};

/** A Formily form with every field created as the renderer would (no React), counting rule runs. */
function setup(initialValues: Record<string, unknown> = {}) {
  const compiled = toFormilySchema(schema);
  const runs: string[] = [];
  const form: Form = createForm({ initialValues, effects() { installRuleReactions(compiled, (key) => runs.push(key)); } });
  for (const [name, s] of Object.entries(schema.properties!)) {
    if (s['x-field-type'] === 'rows') form.createArrayField({ name });
    else form.createField({ name, required: !!s.required });
  }
  const addRow = (i: number) => {
    for (const name of ['col', 'other']) form.createField({ name, basePath: `rows.${i}` });
  };
  const field = (path: string) => form.query(path).take() as Field;
  const take = () => { const r = [...runs].sort(); runs.length = 0; return r; };
  return { compiled, form, field, take, addRow };
}

describe('rule reactions keyed by their read sets', () => {
  it('should find each rule\'s read set statically from the rule data', () => {
    // given
    const { compiled } = setup();
    // then
    expect(compiled.rules.get('c')!.reads).toEqual(['a', 'd']);
    expect(compiled.rules.get('gender')!.reads).toEqual(['idNumber']);
    expect(compiled.rules.get('rows.*.col')!.reads).toEqual(['a']);
    expect(compiled.dependants.get('a')!.sort()).toEqual(['b', 'c', 'rows.*.col']);
    expect(compiled.dependants.get('unrelated')).toBeUndefined();
    // and the showcase's computed age reads the ID number, identity and post
    const showcase = toFormilySchema(showcaseSchema);
    expect(showcase.rules.get('statutoryAge')!.reads).toEqual(['idNumber', 'identity', 'postNature']);
    expect(checkFormSchema(schema)).toEqual([]);
  });

  it('should re-run only the rules that read the changed field', () => {
    // given: every rule ran once when its field was created
    const { form, field, take } = setup();
    expect(take()).toEqual(['afterRows', 'b', 'c', 'gender', 'onX']);
    // when a field no rule reads changes
    form.setValuesIn('unrelated', '随便');
    // then no rule runs
    expect(take()).toEqual([]);
    // when a changes, only the rules reading a run
    form.setValuesIn('a', true);
    expect(take()).toEqual(['b', 'c']);
    expect(field('b').visible).toBe(true);
    expect(field('c').required).toBe(true);
    expect(field('c').decoratorProps.required).toBe(true);
    // when the same value is set again nothing runs
    form.setValuesIn('a', true);
    expect(take()).toEqual([]);
    // when d is filled, c re-runs (it reads d) and stays required
    form.setValuesIn('a', false);
    expect(take()).toEqual(['b', 'c']);
    expect(field('c').required).toBe(false);
    form.setValuesIn('d', '有');
    expect(take()).toEqual(['c']);
    expect(field('c').required).toBe(true);
  });

  it('should drop a hidden field\'s value and compute values as the server does', () => {
    // given
    const { form, field, take } = setup({ a: true, b: '填了' });
    take();
    // when b is hidden, its value is not in the form's values
    form.setValuesIn('a', false);
    expect(field('b').visible).toBe(false);
    expect(toJS(form.values).b).toBeUndefined();
    expect(take()).toEqual(['b', 'c']);
    // when the ID number is typed, only the gender runs and shows 女
    form.setValuesIn('idNumber', '32040219700520002X');
    expect(take()).toEqual(['gender']);
    expect(form.values.gender).toBe('female');
    form.setValuesIn('idNumber', '3204');
    expect(form.values.gender).toBeUndefined();
  });

  it('should react to changes inside arrays a rule reads (rows and check boxes), and to rules on rows columns', () => {
    // given
    const { form, field, take, addRow } = setup({ services: [], rows: [] });
    take();
    expect(field('afterRows').visible).toBe(false);
    expect(field('onX').visible).toBe(false);
    // when an item is added to the check boxes' array in place
    (form.values.services as string[]).push('x');
    // then the rule reading it runs
    expect(take()).toEqual(['onX']);
    expect(field('onX').visible).toBe(true);
    // when a row is added in place, the rule reading the rows runs; the row's column gets its own rule
    (form.values.rows as unknown[]).push({ other: '' });
    addRow(0);
    expect(take()).toEqual(['afterRows', 'rows.*.col']);
    expect(field('afterRows').visible).toBe(true);
    expect(field('rows.0.col').visible).toBe(false);
    // when a cell inside a row changes, the rule reading the whole rows value re-runs
    form.setValuesIn('rows.0.other', '改了');
    expect(take()).toEqual(['afterRows']);
    // when a changes, the row's column shows
    form.setValuesIn('a', true);
    expect(take()).toEqual(['b', 'c', 'rows.*.col']);
    expect(field('rows.0.col').visible).toBe(true);
  });

  it('should stop a field\'s rules when the field is destroyed', () => {
    // given
    const { form, field, take } = setup();
    take();
    // when
    field('b').destroy();
    form.setValuesIn('a', true);
    // then
    expect(take()).toEqual(['c']);
  });
});
