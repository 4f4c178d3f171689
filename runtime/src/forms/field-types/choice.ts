/** Choices: select, radio, checkbox (several values), yes/no (是/否, stored as a boolean). */
import { jsonEqual } from '../conditions';
import type { ChoiceOption, FieldSchema, Json } from '../types';
import { defineField } from './define';
import { EDIT, placeholder } from './editor';

const values = (f: FieldSchema): Json[] => (f.enum ?? []).map((o: ChoiceOption) => o.value);
// Scalars compare by identity; only object values need the structural comparison.
const inEnum = (v: unknown, f: FieldSchema) => !!f.enum && f.enum.some((o) => o.value === v || (typeof v === 'object' && jsonEqual(o.value, v)));
/** A choice field without options cannot be answered. */
const needsOptions = (f: FieldSchema) => (Array.isArray(f.enum) && f.enum.length > 0 ? null : { code: 'missing-options', message: 'a choice field needs `enum` options' });
const OPTIONS = [{ label: '选项一', value: '选项一' }, { label: '选项二', value: '选项二' }];

defineField({
  type: 'select', label: '下拉选择', group: 'choice', keyed: true, dataType: 'string', component: 'Select',
  emptyValue: undefined, span: 1,
  create: (o) => ({ type: 'string', title: '下拉选择', enum: OPTIONS, 'x-field-type': 'select', ...o }),
  jsonSchema: (f) => ({ enum: values(f) }),
  check: (v, f) => (inEnum(v, f) ? null : { code: 'enum' }),
  componentProps: { ...placeholder('请选择'), allowClear: { doc: '可清除所选', default: true } },
  editor: [EDIT.defaultText, EDIT.options],
  checkSchema: needsOptions,
});

defineField({
  type: 'radio', label: '单选', group: 'choice', keyed: true, dataType: 'string', component: 'Radio.Group',
  emptyValue: undefined, span: 2,
  create: (o) => ({ type: 'string', title: '单选', enum: OPTIONS, 'x-field-type': 'radio', ...o }),
  jsonSchema: (f) => ({ enum: values(f) }),
  check: (v, f) => (inEnum(v, f) ? null : { code: 'enum' }),
  editor: [EDIT.defaultText, EDIT.options],
  checkSchema: needsOptions,
});

defineField({
  type: 'checkbox', label: '多选', group: 'choice', keyed: true, dataType: 'array', component: 'Checkbox.Group',
  emptyValue: [], span: 4,
  create: (o) => ({ type: 'array', title: '多选', enum: OPTIONS, 'x-field-type': 'checkbox', ...o }),
  jsonSchema: (f) => ({
    type: 'array', items: { enum: values(f) }, uniqueItems: true,
    ...(f.minItems !== undefined ? { minItems: f.minItems } : {}),
    ...(f.maxItems !== undefined ? { maxItems: f.maxItems } : {}),
  }),
  check: (v, f) => {
    if (!Array.isArray(v)) return { code: 'type' };
    if (!v.every((x) => inEnum(x, f)) || new Set(v).size !== v.length) return { code: 'enum' };
    if (f.minItems !== undefined && v.length < f.minItems) return { code: 'min-items', n: f.minItems };
    if (f.maxItems !== undefined && v.length > f.maxItems) return { code: 'max-items', n: f.maxItems };
    return null;
  },
  editor: [EDIT.options],
  checkSchema: needsOptions,
});

/** 是/否 options; stored as true / false so conditions read `{field, eq: true}`. */
export const YES_NO: ChoiceOption[] = [{ label: '是', value: true }, { label: '否', value: false }];

defineField({
  type: 'yesNo', label: '是/否', group: 'choice', keyed: true, dataType: 'boolean', component: 'YesNo',
  emptyValue: undefined, span: 2,
  create: (o) => ({ type: 'boolean', title: '是否…', 'x-field-type': 'yesNo', ...o }),
  jsonSchema: () => ({ type: 'boolean' }),
  check: (v) => (typeof v === 'boolean' ? null : { code: 'yes-no' }),
  editor: [EDIT.defaultYesNo],
});
