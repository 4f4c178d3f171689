/** The one reader of `x-linked-item` (runtime/src/forms/linked-item.ts), used by checker, server, portal and designer. */
import { describe, expect, it } from 'vitest';
import { checkFormSchema, linkedItemKey, parseLinkedItem } from '@lianban/runtime';

describe('parseLinkedItem', () => {
  it('should read a string key, as the shipped templates write it', () => {
    expect(parseLinkedItem('housing-fund-withdrawal')).toEqual({ id: 'housing-fund-withdrawal', inline: false });
    expect(linkedItemKey('housing-fund-withdrawal')).toBe('housing-fund-withdrawal');
  });

  it('should read an inline {id, name, department}', () => {
    expect(parseLinkedItem({ id: 'x-item', name: '甲事项', department: 'hrss' })).toEqual({ id: 'x-item', name: '甲事项', department: 'hrss', inline: true });
    expect(parseLinkedItem({ id: 'x-item' })).toEqual({ id: 'x-item', inline: true });
  });

  it('should name no item for absent or malformed marks', () => {
    for (const mark of [undefined, null, '', 42, true, [], ['a'], {}, { id: '' }, { id: 7 }, { name: '甲' }]) {
      expect(linkedItemKey(mark), JSON.stringify(mark)).toBeUndefined();
    }
  });

  it('should let the schema checker refuse what it cannot read or what lacks name and department', () => {
    const schema = (mark: unknown) => ({ type: 'object', properties: { a: { type: 'boolean', 'x-field-type': 'yesNo', 'x-linked-item': mark } } });
    const codes = (mark: unknown) => checkFormSchema(schema(mark) as never).map((p) => p.code);
    expect(codes('housing-fund')).toEqual([]);
    expect(codes({ id: 'housing-fund', name: '公积金', department: 'housing-fund' })).toEqual([]);
    expect(codes({ id: 'housing-fund' })).toEqual(['linked-item-bad-shape']);
    expect(codes('1bad')).toEqual(['linked-item-bad-shape']);
    expect(codes('')).toEqual(['linked-item-bad-shape']);
  });
});
