/** Identity and contact fields: resident ID number, credit code, mobile, postcode. */
import { isValidCreditCode, isValidPostcode, normalizeMobile } from '../../rules/index';
import { residentIdInfo } from '../id-cache';
import { defineField } from './define';

/**
 * `341502196501150039` → `341502************`: only the region stays (with the name, enough for
 * staff to recognise the person). The birth date and sequence stay hidden: with the birth month,
 * gender and age other fields show, some 15,000 ID numbers remain possible (test/server/masking.test.ts);
 * showing the last 4 as well left about 3 (the check digit pins the rest).
 */
export function maskIdNumber(value: unknown): unknown {
  if (typeof value !== 'string' || value.length < 10) return value;
  return `${value.slice(0, 6)}${'*'.repeat(value.length - 6)}`;
}

const upperTrim = (v: unknown) => (typeof v === 'string' ? v.trim().toUpperCase() : v);

defineField({
  type: 'idNumber', label: '身份证号码', group: 'identity', keyed: true, dataType: 'string', component: 'IdNumberInput',
  emptyValue: '', span: 2,
  create: (o) => ({ type: 'string', title: '公民身份号码', 'x-field-type': 'idNumber', ...o }),
  jsonSchema: () => ({ type: 'string', format: 'id-number' }),
  sanitize: upperTrim,
  check: (v) => {
    if (typeof v !== 'string') return { code: 'type' };
    const info = residentIdInfo(v);
    return info.valid ? null : { code: `id-number.${info.reason}` };
  },
  sensitive: true,
  mask: maskIdNumber,
});

defineField({
  type: 'creditCode', label: '统一社会信用代码', group: 'identity', keyed: true, dataType: 'string', component: 'Input',
  emptyValue: '', span: 2,
  create: (o) => ({ type: 'string', title: '统一社会信用代码', 'x-field-type': 'creditCode', ...o }),
  jsonSchema: () => ({ type: 'string', format: 'credit-code' }),
  sanitize: upperTrim,
  check: (v) => (typeof v === 'string' && isValidCreditCode(v) ? null : { code: 'credit-code' }),
});

defineField({
  type: 'mobile', label: '手机号码', group: 'identity', keyed: true, dataType: 'string', component: 'MobileInput',
  emptyValue: '', span: 1,
  create: (o) => ({ type: 'string', title: '手机号码', 'x-field-type': 'mobile', ...o }),
  jsonSchema: () => ({ type: 'string', format: 'mobile' }),
  // Store the 11 digits whatever prefix or separators were typed.
  sanitize: (v) => (typeof v === 'string' ? normalizeMobile(v) ?? v.trim() : v),
  check: (v) => (typeof v === 'string' && normalizeMobile(v) === v ? null : { code: 'mobile' }),
});

defineField({
  type: 'postcode', label: '邮政编码', group: 'identity', keyed: true, dataType: 'string', component: 'Input',
  emptyValue: '', span: 1,
  create: (o) => ({ type: 'string', title: '邮政编码', 'x-field-type': 'postcode', ...o }),
  jsonSchema: () => ({ type: 'string', format: 'postcode' }),
  sanitize: (v) => (typeof v === 'string' ? v.trim() : v),
  check: (v) => (typeof v === 'string' && isValidPostcode(v) ? null : { code: 'postcode' }),
});
