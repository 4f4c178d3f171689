/** The placeholder replacer of official documents: one bounded pass, no re-expansion, lists. */
import { describe, expect, it } from 'vitest';
import { chineseDate, documentLines, fillPlaceholders, MAX_LIST_ENTRIES, MAX_PARAGRAPH_CHARS } from '@lianban/server';

describe('document placeholders', () => {
  it('should replace known placeholders once, leaving a value that looks like a placeholder as typed', () => {
    expect(fillPlaceholders('{{applicantName}}：办件 {{caseNo}}', { applicantName: '{{caseNo}}', caseNo: 'CZ1' })).toBe('{{caseNo}}：办件 CZ1');
    expect(fillPlaceholders('{{unknown}} {{ caseNo }} {{constructor}}', { caseNo: 'x' })).toBe('{{unknown}} {{ caseNo }} {{constructor}}');
    expect(fillPlaceholders('原因：{{reason}}', { reason: undefined })).toBe('原因：');
  });

  it('should bound what it reads and prints', () => {
    expect(fillPlaceholders('a'.repeat(MAX_PARAGRAPH_CHARS + 50), {})).toHaveLength(MAX_PARAGRAPH_CHARS);
    expect(fillPlaceholders('{{x}}', { x: 'b'.repeat(MAX_PARAGRAPH_CHARS * 3) })).toHaveLength(MAX_PARAGRAPH_CHARS);
    const many = Array.from({ length: MAX_LIST_ENTRIES + 10 }, (_, i) => `事项${i}`);
    expect(documentLines({ paragraphs: ['{{items}}'] }, { items: many })).toHaveLength(MAX_LIST_ENTRIES);
    // a pathological template finishes at once (the pattern is linear)
    const started = Date.now();
    fillPlaceholders('{{'.repeat(2000) + 'a'.repeat(1000), { a: 'x' });
    expect(Date.now() - started).toBeLessThan(200);
  });

  it('should print a paragraph that is only a list placeholder as a numbered list, and join a list inline', () => {
    expect(documentLines({ paragraphs: ['您好：', '{{items}}', '共：{{items}}'] }, { items: ['甲', '乙'] })).toEqual([
      { text: '您好：' }, { text: '1. 甲', list: true }, { text: '2. 乙', list: true }, { text: '共：甲；乙' },
    ]);
  });

  it('should write dates in China\'s time zone', () => {
    expect(chineseDate(new Date('2026-12-04T17:00:00Z'))).toBe('2026年12月5日');
    expect(chineseDate(undefined)).toBe('');
  });
});
