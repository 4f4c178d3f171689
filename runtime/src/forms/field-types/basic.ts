/** Plain inputs: text, textarea, number, date, year-month. */
import { isRealDate } from '../../rules/index';
import { checkString, defineField, stringJsonSchema, trim } from './define';
import { EDIT, placeholder } from './editor';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const YEAR_MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** True for a real 'YYYY-MM-DD' date. */
export function isDateString(v: unknown): boolean {
  const m = typeof v === 'string' ? DATE.exec(v) : null;
  return !!m && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

defineField({
  type: 'text', label: '单行文本', group: 'input', keyed: true, dataType: 'string', component: 'Input',
  emptyValue: '', span: 1,
  create: (o) => ({ type: 'string', title: '单行文本', maxLength: 100, 'x-field-type': 'text', ...o }),
  jsonSchema: (f) => stringJsonSchema(f),
  sanitize: trim,
  check: checkString,
  editor: [EDIT.defaultText, EDIT.minLength, EDIT.maxLength, EDIT.pattern],
});

defineField({
  type: 'textarea', label: '多行文本', group: 'input', keyed: true, dataType: 'string', component: 'Input.TextArea',
  emptyValue: '', span: 4,
  create: (o) => ({ type: 'string', title: '多行文本', maxLength: 2000, 'x-field-type': 'textarea', ...o }),
  jsonSchema: (f) => stringJsonSchema(f),
  sanitize: trim,
  check: checkString,
  editor: [EDIT.defaultText, EDIT.minLength, EDIT.maxLength, EDIT.pattern],
});

/** The JSON Schema of a number field: its range. */
export function numberSchema(f: { minimum?: number; maximum?: number }) {
  return {
    type: 'number' as const,
    ...(f.minimum !== undefined ? { minimum: f.minimum } : {}),
    ...(f.maximum !== undefined ? { maximum: f.maximum } : {}),
  };
}

/** A number field's check: a finite number (passing `also`, e.g. two decimals for money) within its range. */
export function checkNumber(v: unknown, f: { minimum?: number; maximum?: number }, also?: { test: (v: number) => boolean; code: string }) {
  if (typeof v !== 'number' || !Number.isFinite(v)) return { code: 'type' };
  if (also && !also.test(v)) return { code: also.code };
  if (f.minimum !== undefined && v < f.minimum) return { code: 'minimum', n: f.minimum };
  if (f.maximum !== undefined && v > f.maximum) return { code: 'maximum', n: f.maximum };
  return null;
}

defineField({
  type: 'number', label: '数字', group: 'input', keyed: true, dataType: 'number', component: 'NumberPicker',
  emptyValue: undefined, span: 1,
  create: (o) => ({ type: 'number', title: '数字', 'x-field-type': 'number', ...o }),
  jsonSchema: numberSchema,
  check: (v, f) => checkNumber(v, f),
  componentProps: placeholder('请输入数字'),
  editor: [EDIT.defaultNumber, { key: 'minimum', label: '最小值', kind: 'number' }, { key: 'maximum', label: '最大值', kind: 'number' }],
});

defineField({
  type: 'date', label: '日期', group: 'input', keyed: true, dataType: 'string', component: 'DatePicker',
  emptyValue: '', span: 1,
  create: (o) => ({ type: 'string', title: '日期', 'x-field-type': 'date', ...o }),
  jsonSchema: () => ({ type: 'string', format: 'date' }),
  check: (v) => (isDateString(v) ? null : { code: 'date' }),
  componentProps: { format: { doc: '显示格式', default: 'YYYY-MM-DD' }, ...placeholder('请选择日期') },
});

defineField({
  type: 'yearMonth', label: '年月', group: 'input', keyed: true, dataType: 'string', component: 'DatePicker',
  emptyValue: '', span: 1,
  create: (o) => ({ type: 'string', title: '年月', 'x-field-type': 'yearMonth', 'x-component-props': { picker: 'month' }, ...o }),
  jsonSchema: () => ({ type: 'string', format: 'year-month' }),
  check: (v) => (typeof v === 'string' && YEAR_MONTH.test(v) ? null : { code: 'year-month' }),
  componentProps: { picker: { doc: '选择粒度', default: 'month' }, format: { doc: '显示格式', default: 'YYYY-MM' }, ...placeholder('请选择年月') },
});
