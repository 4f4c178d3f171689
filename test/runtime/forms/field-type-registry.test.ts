import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkFormSchema, compileChecker, defineField, EDIT, fieldType, fieldTypes, forgetField, maskSensitiveData,
  toFormilySchema, toJsonSchema, walkSchema, type FieldSchema, type FormSchema,
} from '@lianban/runtime';
import { FormDocument } from '@lianban/designer/forms/model';

// A field type the platform does not ship, defined the way a new one is: one entry.
const PASSPORT = /^[A-Z]\d{8}$/;
const passport = (o: Partial<FieldSchema> = {}): FieldSchema => ({ type: 'string', title: '护照号码', 'x-field-type': 'testPassport', ...o });

describe('a new field type is one entry', () => {
  beforeAll(() => {
    defineField({
      type: 'testPassport', label: '护照号码', group: 'identity', keyed: true, dataType: 'string', component: 'Input',
      emptyValue: '', span: 2,
      create: passport,
      jsonSchema: () => ({ type: 'string', pattern: PASSPORT.source }),
      sanitize: (v) => (typeof v === 'string' ? v.trim().toUpperCase() : v),
      check: (v) => (typeof v === 'string' && PASSPORT.test(v) ? null : { code: 'pattern' }),
      componentProps: { placeholder: { doc: '未填写时的提示', default: '如 E12345678' }, maxLength: { doc: '最多字符', default: 9 } },
      editor: [EDIT.defaultText, { key: 'x-issuer', label: '签发机关', kind: 'text' }],
      sensitive: true,
      checkSchema: (f) => (f.title ? null : { code: 'missing-title', message: 'a passport field needs a title' }),
    });
  });
  afterAll(() => { forgetField('testPassport'); });

  const form = (): FormSchema => ({
    type: 'object',
    properties: {
      applicant: { type: 'void', 'x-field-type': 'section', title: '申请人', properties: { passportNo: passport() } },
      family: {
        type: 'array', title: '家庭成员', 'x-field-type': 'rows',
        items: { type: 'object', properties: { memberPassport: passport({ title: '成员护照' }) } },
      },
    },
  });

  it('should appear in the palette and the designer add it with its editor entries', () => {
    // given
    const doc = new FormDocument({ type: 'object', properties: {} });
    // when
    const path = doc.add('testPassport');
    // then
    expect(fieldTypes().map((t) => t.type)).toContain('testPassport');
    expect(doc.schema.properties[path[0]!]).toEqual(passport());
    expect(fieldType('testPassport')!.editor!.map((e) => [e.key, e.kind])).toEqual([['default', 'text'], ['x-issuer', 'text']]);
  });

  it('should render in the compiled Formily schema with its component props and check', () => {
    // when
    const { schema } = toFormilySchema(form());
    // then
    const field = schema.properties!.applicant!.properties!.passportNo!;
    expect(field['x-component']).toBe('Input');
    expect(field['x-decorator']).toBe('FieldCell');
    expect(field['x-component-props']).toEqual({ placeholder: '如 E12345678', maxLength: 9 });
    const validate = (field['x-validator'] as { validator(v: unknown): string }).validator;
    expect(validate(' e12345678 ')).toBe('');
    expect(validate('123')).not.toBe('');
    expect(schema.properties!.family!.items!.properties!.memberPassport!['x-decorator']).toBe('RowCell');
  });

  it('should be checked, exported and validated like a built-in type', () => {
    // then
    expect(checkFormSchema(form())).toEqual([]);
    expect(checkFormSchema({ type: 'object', properties: { p: passport({ title: undefined }) } }).map((p) => p.code)).toEqual(['missing-title']);
    expect((toJsonSchema(form()).properties as Record<string, unknown>).passportNo).toEqual({ type: 'string', pattern: PASSPORT.source, title: '护照号码' });
    const result = compileChecker(form()).check({ passportNo: 'e12345678', family: [{ memberPassport: 'bad' }] });
    expect(result.errors.map((e) => e.path)).toEqual(['family.0.memberPassport']);
  });

  it('should be masked for other viewers because it is sensitive, in rows too', () => {
    // when
    const masked = maskSensitiveData({ passportNo: 'E12345678', family: [{ memberPassport: 'G87654321' }] }, form());
    // then
    expect(masked).toEqual({ passportNo: 'E*******8', family: [{ memberPassport: 'G*******1' }] });
  });
});

describe('walkSchema', () => {
  const schema: FormSchema = {
    type: 'object',
    properties: {
      a: { type: 'void', 'x-field-type': 'section', title: 'A', properties: { name: { type: 'string', 'x-field-type': 'text' } } },
      rows: { type: 'array', 'x-field-type': 'rows', items: { type: 'object', properties: { col: { type: 'string', 'x-field-type': 'text' } } } },
      last: { type: 'string', 'x-field-type': 'text' },
    },
  };

  it('should give each node its path, parent, slot and section', () => {
    // when
    const nodes = walkSchema(schema);
    // then
    expect(nodes.map((n) => [n.key, n.path, n.parent?.key, n.slot, n.section?.key, n.rows])).toEqual([
      ['a', 'a', undefined, 'properties', undefined, undefined],
      ['name', 'name', 'a', 'properties', 'a', undefined],
      ['rows', 'rows', undefined, 'properties', undefined, undefined],
      ['col', 'rows.*.col', 'rows', 'items', undefined, 'rows'],
      ['last', 'last', undefined, 'properties', undefined, undefined],
    ]);
  });

  it('should skip a node\'s children or stop when the visitor asks', () => {
    // then
    expect(walkSchema(schema, (n) => (n.key === 'a' ? 'skip' : undefined)).map((n) => n.key)).toEqual(['a', 'rows', 'col', 'last']);
    expect(walkSchema(schema, (n) => (n.key === 'col' ? 'stop' : undefined)).map((n) => n.key)).toEqual(['a', 'name', 'rows', 'col']);
  });
});
