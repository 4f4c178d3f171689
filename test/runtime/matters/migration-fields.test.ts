/** missingRequiredFields: what a new application form requires that a running case's data lacks. */
import { describe, expect, it } from 'vitest';
import { missingRequiredFields, type FieldSchema } from '@lianban/runtime';

const schema = {
  type: 'object',
  properties: {
    base: {
      type: 'void', 'x-field-type': 'section', title: '基本信息',
      properties: {
        name: { type: 'string', title: '姓名', 'x-field-type': 'text', required: true },
        reason: { type: 'string', title: '退休原因', 'x-field-type': 'text', required: true },
        note: { type: 'string', title: '备注', 'x-field-type': 'text' },
        hasCert: { type: 'boolean', title: '是否持证', 'x-field-type': 'yesNo', required: true },
        certNo: { type: 'string', title: '证书编号', 'x-field-type': 'text', required: true, 'x-visible-when': { field: 'hasCert', eq: true } },
      },
    },
  },
} as unknown as FieldSchema;

describe('missingRequiredFields', () => {
  it('should list the required fields the data lacks, only where they are shown', () => {
    expect(missingRequiredFields(schema, { name: '张三', hasCert: false })).toEqual([{ path: 'reason', title: '退休原因' }]);
    expect(missingRequiredFields(schema, { name: '张三', reason: '', hasCert: true })).toEqual([{ path: 'reason', title: '退休原因' }, { path: 'certNo', title: '证书编号' }]);
    expect(missingRequiredFields(schema, { name: '张三', reason: '到龄', hasCert: true, certNo: 'A1' })).toEqual([]);
  });
});
