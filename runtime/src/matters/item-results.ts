/**
 * Declared results of linked items (办理结果): a task form marks the fields that are its linked
 * item's result with `"x-item-result": true`. When the task is completed the marked values are
 * stored on the case's item (`items[].result`), shown to the applicant and to staff per item,
 * pushed where the flow's payload names them and exported. `"x-item-result-outcomes"` on the
 * form's root limits the form to completions with those outcomes (e.g. `["done"]`: an answer of
 * `not-eligible` carries no result and no form). docs/flow-extensions.md, "Declared results".
 *
 *   resultFields(schema)                    // [{key: 'monthlyPension', title: '月基本养老金', fieldType: 'money'}, …]
 *   resultOf(schema, cleanData)             // {monthlyPension: 3125.4, …} (undefined: no result field)
 *   resultText(field, 3125.4)               // '3,125.40 元'
 *   formAppliesTo(schema, 'not-eligible')   // false for a form with x-item-result-outcomes: ['done']
 */
import { walkSchema } from '../forms/walk';
import type { FieldSchema } from '../forms/types';
import { formatMoney } from '../forms/field-types/money';

/** One declared result field of a task form. */
export interface ResultField {
  key: string;
  title: string;
  fieldType: string;
  /** Choice labels by value (select/radio). */
  options?: { label: string; value: unknown }[];
}

/** The fields of a task form marked `x-item-result` (not inside rows), in form order. */
export function resultFields(schema: FieldSchema): ResultField[] {
  return walkSchema(schema, (n) => (n.rows ? 'skip' : undefined))
    .filter((n) => n.keyed && !n.rows && n.schema['x-item-result'] === true)
    .map((n) => ({
      key: n.path,
      title: n.schema.title ?? n.key,
      fieldType: String(n.schema['x-field-type'] ?? ''),
      ...(n.schema.enum ? { options: n.schema.enum.map((o) => ({ label: o.label, value: o.value })) } : {}),
    }));
}

/** The outcomes a form with `x-item-result-outcomes` is filled for; undefined: every completion. */
export function resultOutcomes(schema: FieldSchema): string[] | undefined {
  const v = schema['x-item-result-outcomes'];
  return Array.isArray(v) && v.every((o) => typeof o === 'string') ? (v as string[]) : undefined;
}

/** Whether the task form is filled for a completion with `outcome`. */
export function formAppliesTo(schema: FieldSchema, outcome: string | undefined): boolean {
  const only = resultOutcomes(schema);
  return !only || (outcome !== undefined && only.includes(outcome));
}

/** The item's result from a task form's validated data: the marked fields that hold a value; undefined when the form declares none. */
export function resultOf(schema: FieldSchema, data: Record<string, unknown>): Record<string, unknown> | undefined {
  const fields = resultFields(schema);
  if (!fields.length) return undefined;
  return Object.fromEntries(fields.filter((f) => data[f.key] !== undefined && data[f.key] !== null && data[f.key] !== '').map((f) => [f.key, data[f.key]]));
}

/** A result value as people read it: money with 元 and two decimals, a choice by its label, 年月 in Chinese. */
export function resultText(field: Pick<ResultField, 'fieldType' | 'options'>, value: unknown): string {
  if (value === undefined || value === null || value === '') return '';
  if (field.fieldType === 'money' && typeof value === 'number') return formatMoney(value);
  if (field.options) return field.options.find((o) => o.value === value)?.label ?? String(value);
  if (field.fieldType === 'yearMonth' && typeof value === 'string' && /^\d{4}-\d{2}$/.test(value)) return `${value.slice(0, 4)}年${value.slice(5, 7)}月`;
  if (field.fieldType === 'yesNo' && typeof value === 'boolean') return value ? '是' : '否';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
