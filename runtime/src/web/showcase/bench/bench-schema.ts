/**
 * Generated forms for the renderer benchmark: `n` fields where field `f0` (是/否) shows the
 * dependent field `f1`; every tenth field is a select, the rest single-line text. The same
 * fields are built for our renderer and for the plain antd 5 Form baseline.
 */
import type { FieldSchema, FormSchema } from '@lianban/runtime';

export interface BenchField { key: string; title: string; kind: 'yesNo' | 'text' | 'select' }

export const BENCH_OPTIONS = [{ label: '选项一', value: 'a' }, { label: '选项二', value: 'b' }];

/** The field list shared by both implementations. */
export function benchFields(n: number): BenchField[] {
  return Array.from({ length: n }, (_, i) => ({
    key: `f${i}`,
    title: i === 0 ? '是否显示关联字段' : i === 1 ? '关联字段' : `字段${i}`,
    kind: i === 0 ? 'yesNo' : i % 10 === 5 ? 'select' : 'text',
  }));
}

/** The same fields as a Lianban form schema (f1 visible when f0 = 是). */
export function benchSchema(n: number): FormSchema {
  const properties: Record<string, FieldSchema> = {};
  for (const f of benchFields(n)) {
    properties[f.key] = f.kind === 'yesNo'
      ? { type: 'boolean', title: f.title, 'x-field-type': 'yesNo' }
      : f.kind === 'select'
        ? { type: 'string', title: f.title, 'x-field-type': 'select', enum: BENCH_OPTIONS }
        : { type: 'string', title: f.title, 'x-field-type': 'text', maxLength: 100, ...(f.key === 'f1' ? { 'x-visible-when': { field: 'f0', eq: true } } : {}) };
  }
  return { type: 'object', properties, 'x-form': { id: `bench-${n}`, version: 1 } };
}
