import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FormSchema } from '@lianban/runtime';
import { FormDocument, findByKey, nodeAt, nodePathOf } from '@lianban/designer/forms/model';
import { describeCondition, fromClauses, ruleFields, toClauses } from '@lianban/designer/forms/model';

const unitForm = (): FormSchema => JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../templates/luan/forms/luan-retirement-unit.json'), 'utf8'));
const empty = (): FormSchema => ({ type: 'object', title: '新表单', properties: {} });

describe('FormDocument', () => {
  it('should add fields from the field-type table with unique keys, in sections and at an index', () => {
    // given
    const doc = new FormDocument(empty());
    // when
    const section = doc.add('section');
    const a = doc.add('text', section);
    const b = doc.add('text', section, 0);
    // then
    expect(section).toEqual(['section1']);
    expect(a).toEqual(['section1', 'text1']);
    expect(b).toEqual(['section1', 'text2']);
    expect(Object.keys(nodeAt(doc.schema, section)!.properties!)).toEqual(['text2', 'text1']);
    expect(nodeAt(doc.schema, a)).toMatchObject({ type: 'string', 'x-field-type': 'text' });
    expect(doc.problems()).toEqual([]);
  });

  it('should move within and across containers, refusing a section into itself', () => {
    // given
    const doc = new FormDocument(empty());
    const s1 = doc.add('section');
    const s2 = doc.add('section');
    const f = doc.add('text', s1);
    // when
    const moved = doc.move(f, s2, 0);
    // then
    expect(moved).toEqual(['section2', 'text1']);
    expect(nodeAt(doc.schema, s1)!.properties).toEqual({});
    expect(() => doc.move(s1, s1, 0)).toThrow(/自己/);
    // and a reorder at the root
    doc.move(s2, [], 0);
    expect(Object.keys(doc.schema.properties)).toEqual(['section2', 'section1']);
  });

  it('should keep earlier schemas unchanged and undo/redo every edit', () => {
    // given
    const doc = new FormDocument(empty());
    const f = doc.add('text');
    const before = doc.schema;
    // when
    doc.update(f, { title: '姓名', required: true });
    // then
    expect(before.properties.text1!.title).toBe('单行文本');
    expect(doc.schema.properties.text1).toMatchObject({ title: '姓名', required: true });
    doc.undo();
    expect(doc.schema).toBe(before);
    doc.redo();
    expect(doc.schema.properties.text1!.title).toBe('姓名');
    doc.update(f, { required: undefined });
    expect('required' in doc.schema.properties.text1!).toBe(false);
    expect(doc.canRedo).toBe(false);
  });

  it('should rename a key in place and carry rules and computed values along', () => {
    // given: the 六安 form, whose materials are shown when retirementNormal is ticked
    const doc = new FormDocument(unitForm());
    const at = findByKey(doc.schema, 'retirementNormal')!;
    const order = Object.keys(nodeAt(doc.schema, at.slice(0, -1))!.properties!);
    // when
    const renamed = doc.rename(at, 'normalRetirement');
    // then
    expect(Object.keys(nodeAt(doc.schema, renamed.slice(0, -1))!.properties!)).toEqual(order.map((k) => (k === 'retirementNormal' ? 'normalRetirement' : k)));
    expect(nodeAt(doc.schema, findByKey(doc.schema, 'normalMaterials')!)!['x-visible-when']).toEqual({ field: 'normalRetirement', eq: true });
    expect(doc.problems()).toEqual([]);
    expect(() => doc.rename(renamed, 'employeeName')).toThrow(/已被使用/);
  });

  it('should address checker problems to nodes (rows columns included)', () => {
    // given
    const doc = new FormDocument(empty());
    const rows = doc.add('rows');
    const col = doc.add('select', rows);
    // when: a choice field without options
    doc.update(col, { enum: [] });
    // then
    const problems = doc.problems();
    expect(problems).toContainEqual(expect.objectContaining({ path: ['rows1', 'select1'], code: 'missing-options' }));
    expect(nodePathOf('properties.a.properties.b.pattern')).toEqual(['a', 'b']);
    expect(() => doc.add('section', rows)).toThrow(/重复行/);
  });
});

describe('rule clauses', () => {
  it('should turn picked clauses into the runtime condition model and back', () => {
    // given
    const one = { join: 'all' as const, clauses: [{ field: 'retirementNormal', op: 'eq' as const, value: true }] };
    const two = { join: 'any' as const, clauses: [{ field: 'a', op: 'filled' as const }, { field: 'b', op: 'in' as const, value: ['x', 'y'] }] };
    // then
    expect(fromClauses(one)).toEqual({ field: 'retirementNormal', eq: true });
    expect(fromClauses(two)).toEqual({ any: [{ field: 'a', filled: true }, { field: 'b', in: ['x', 'y'] }] });
    expect(toClauses(fromClauses(two))).toEqual(two);
    expect(fromClauses({ join: 'all', clauses: [{ field: '', op: 'eq' }] })).toBeUndefined();
    expect(toClauses({ not: { field: 'a', eq: 1 } })).toBeNull();
  });

  it('should list top-level fields with 是/否 choices and describe a rule in Chinese', () => {
    // given
    const schema = unitForm();
    // when
    const fields = ruleFields(schema);
    // then
    expect(fields.find((f) => f.key === 'retirementNormal')).toMatchObject({ type: 'yesNo', options: [{ label: '是', value: true }, { label: '否', value: false }] });
    expect(fields.some((f) => f.key === 'services')).toBe(false);
    expect(describeCondition({ field: 'retirementNormal', eq: true }, fields)).toBe('「需要办理」等于 是');
  });
});
