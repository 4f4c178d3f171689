import { describe, expect, it } from 'vitest';
import Ajv2020 from 'ajv/dist/2020';
import {
  conditionFields, conditionToJsonSchema, evaluateCondition, fieldType, fieldTypes, runCompute, COMPUTE_FUNCTIONS,
  toJsonSchema, showcaseSchema, type Condition,
} from '@lianban/runtime';

const values: Record<string, unknown> = { yes: true, no: false, kind: '因病退休', list: ['a', 'b'], empty: '', none: [] };
const get = (p: string) => values[p];

const cases: [Condition, boolean][] = [
  [{ field: 'yes', eq: true }, true],
  [{ field: 'no', eq: true }, false],
  [{ field: 'kind', ne: '正常退休' }, true],
  [{ field: 'kind', in: ['因病退休', '因病退职'] }, true],
  [{ field: 'missing', in: ['x'] }, false],
  [{ field: 'kind', filled: true }, true],
  [{ field: 'empty', filled: true }, false],
  [{ field: 'none', filled: false }, true],
  [{ field: 'list', includes: 'b' }, true],
  [{ field: 'list', includes: 'c' }, false],
  [{ all: [{ field: 'yes', eq: true }, { field: 'list', includes: 'a' }] }, true],
  [{ any: [{ field: 'no', eq: true }, { field: 'kind', eq: '正常退休' }] }, false],
  [{ not: { field: 'no', eq: true } }, true],
];

describe('conditions', () => {
  it.each(cases)('should evaluate %j to %s', (c, expected) => {
    expect(evaluateCondition(c, get)).toBe(expected);
  });

  it.each(cases)('should give a JSON Schema `if` that agrees with evaluation for %j', (c, expected) => {
    const ajv = new Ajv2020({ strict: false });
    const data = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== '' && !(Array.isArray(v) && v.length === 0)));
    // Empty values are never stored (the checker drops them), so JSON Schema sees them absent.
    expect(ajv.validate(conditionToJsonSchema(c), data)).toBe(expected);
  });

  it('should list the fields a condition reads', () => {
    expect(conditionFields({ all: [{ field: 'a', eq: 1 }, { not: { any: [{ field: 'b', filled: true }, { field: 'c', in: [1] }] } }] })).toEqual(['a', 'b', 'c']);
  });
});

describe('JSON Schema export', () => {
  it('should reject unknown fields and turn rules into if/then', () => {
    const s = toJsonSchema(showcaseSchema) as any;
    expect(s.additionalProperties).toBe(false);
    expect(s.required).toEqual(expect.arrayContaining(['unitName', 'idNumber', 'hasOnlyChildCertificate']));
    expect(s.required).not.toContain('onlyChildCertificateFile');
    expect(s.allOf).toContainEqual({
      if: { properties: { hasOnlyChildCertificate: { const: true } }, required: ['hasOnlyChildCertificate'] },
      then: { required: ['onlyChildCertificateFile'] },
    });
    expect(s.allOf).toContainEqual({
      if: { not: { properties: { hasOnlyChildCertificate: { const: true } }, required: ['hasOnlyChildCertificate'] } },
      then: { not: { required: ['onlyChildCertificateFile'] } },
    });
    expect(s.properties.idNumber).toMatchObject({ type: 'string', format: 'id-number' });
    expect(s.properties.statutoryAge.readOnly).toBe(true);
    expect(s.properties.workHistory.items).toMatchObject({ type: 'object', additionalProperties: false, required: ['from', 'unitAndPost'] });
  });
});

describe('field types and computed values', () => {
  it('should offer one palette entry per type with a creatable default', () => {
    const types = fieldTypes().map((t) => t.type);
    expect(types).toEqual(['text', 'textarea', 'number', 'date', 'yearMonth', 'money', 'select', 'radio', 'checkbox', 'yesNo', 'idNumber', 'creditCode', 'mobile', 'postcode', 'region', 'rows', 'upload', 'computed', 'section', 'help']);
    for (const t of fieldTypes()) {
      const f = t.create();
      expect(f['x-field-type']).toBe(t.type);
      expect(f.type).toBe(t.dataType);
      expect(t.label).toMatch(/[\u4e00-\u9fa5]/);
    }
  });

  it('should check values per type', () => {
    expect(fieldType('date')!.check('2025-02-29', {})).toEqual({ code: 'date' });
    expect(fieldType('date')!.check('2024-02-29', {})).toBeNull();
    expect(fieldType('yearMonth')!.check('2025-13', {})).toEqual({ code: 'year-month' });
    expect(fieldType('number')!.check(51, { maximum: 50 })).toEqual({ code: 'maximum', n: 50 });
    expect(fieldType('text')!.check('abc', { pattern: '^\\d+$' })).toEqual({ code: 'pattern' });
    expect(fieldType('yesNo')!.check('是', {})).toEqual({ code: 'yes-no' });
    expect(fieldType('upload')!.check([{ name: 'a.pdf', evil: 1 }], {})).toEqual({ code: 'upload' });
    expect(fieldType('creditCode')!.check('91110000600037341L', {})).toBeNull();
    expect(fieldType('money')!.check(3125.4, { minimum: 0 })).toBeNull();
    expect(fieldType('money')!.check(3125.405, {})).toEqual({ code: 'money' });
    expect(fieldType('money')!.check(-1, { minimum: 0 })).toEqual({ code: 'minimum', n: 0 });
  });

  it('should compute from the fixed registry only', () => {
    expect(Object.keys(COMPUTE_FUNCTIONS)).toContain('statutoryRetirement');
    expect(runCompute('statutoryRetirement', { id: '32040219700520002X', identity: '工人', postNature: '非管理技术岗位' })).toBe('50岁');
    expect(runCompute('statutoryRetirement', { id: '32040219700520002X', identity: '干部' })).toBe('55岁2个月');
    expect(runCompute('statutoryRetirementMonth', { id: '341502196501150039' })).toBe('2025-02');
    expect(runCompute('genderFromId', { id: '341502196501150038' })).toBeUndefined();
    expect(runCompute('retirementCategory', { id: '32040219700520002X', flexibleEmployment: true })).toBe('f55');
    expect(runCompute('no-such-function', {})).toBeUndefined();
  });
});
