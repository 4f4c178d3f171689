import { describe, expect, it } from 'vitest';
import { compilePattern, type FormSchema } from '@lianban/runtime';
import { compileValidator, createFormAjv } from '@lianban/runtime/validate';

// Issue 17, finding 2: each of these stalls a backtracking engine on a few dozen characters.
const EVIL = ['^(a|a)+$', '^(\\d|\\w)+$', '^(a+){12}$'];
const LONG = 'a'.repeat(10_000);

const form = (pattern: string): FormSchema => ({
  type: 'object',
  properties: { code: { type: 'string', title: '编码', 'x-field-type': 'text', pattern } },
});

describe('administrator patterns run in linear time (RE2)', () => {
  it.each(EVIL)('should validate 10,000 characters against %s on the server path well under a second', (pattern) => {
    const validator = compileValidator(form(pattern), { key: `evil-${pattern}` });
    const started = performance.now();
    const bad = validator.validate({ code: `${LONG}!` });
    const good = validator.validate({ code: LONG });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(bad.valid).toBe(false);
    expect(bad.errors.map((e) => `${e.path} ${e.code}`)).toContain('code pattern');
    expect(good).toMatchObject({ valid: true, errors: [] });
  });

  it.each(EVIL)('should run ajv\'s own pattern keyword on RE2 too (%s)', (pattern) => {
    const validate = createFormAjv().compile({ type: 'string', pattern });
    const started = performance.now();
    expect(validate(`${LONG}!`)).toBe(false);
    expect(validate(LONG)).toBe(true);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('should search like RegExp#test and keep ordinary patterns working', () => {
    const phone = compilePattern('^0\\d{2,3}-?\\d{7,8}$');
    expect(phone.test('0551-1234567')).toBe(true);
    expect(phone.test('0551-12345')).toBe(false);
    expect(compilePattern('\\d').test('ab1')).toBe(true);
    expect(compilePattern('^\\p{Han}{2,4}$').test('张三')).toBe(true);
  });

  it('should refuse a back-reference with a Chinese message', () => {
    expect(() => compilePattern('(a)\\1')).toThrow(/反向引用/);
  });
});
