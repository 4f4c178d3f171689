/** Money (金额): a number of 元 with at most two decimals (分), e.g. a pension amount or a withdrawal. */
import { defineField } from './define';
import { placeholder } from './editor';
import { checkNumber, numberSchema } from './basic';

/** True for a finite number with at most two decimals. */
export function isMoney(v: unknown): v is number {
  if (typeof v !== 'number' || !Number.isFinite(v)) return false;
  const cents = v * 100;
  return Math.abs(cents - Math.round(cents)) < 1e-6;
}

/** `1234.5` → `1,234.50 元`. */
export function formatMoney(v: number): string {
  return `${v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} 元`;
}

defineField({
  type: 'money', label: '金额（元）', group: 'input', keyed: true, dataType: 'number', component: 'NumberPicker',
  emptyValue: undefined, span: 1,
  create: (o) => ({ type: 'number', title: '金额', 'x-field-type': 'money', minimum: 0, ...o }),
  jsonSchema: numberSchema,
  check: (v, f) => checkNumber(v, f, { test: isMoney, code: 'money' }),
  componentProps: { precision: { doc: '小数位数', default: 2 }, addonAfter: { doc: '单位', default: '元' }, ...placeholder('请输入金额') },
  editor: [{ key: 'minimum', label: '最小值', kind: 'number' }, { key: 'maximum', label: '最大值', kind: 'number' }],
});
