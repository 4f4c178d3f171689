import { describe, expect, it } from 'vitest';
import {
  compilePattern, isFixedShapePattern, monthIndex, sanitizeText, showcaseSchema, showcaseValidPayload, type FormSchema,
} from '@lianban/runtime';
import { compileValidator } from '@lianban/runtime/validate';

// The validator's fast paths (issue: validation throughput) must mean exactly what the slow paths meant.

describe('fixed-shape patterns on the native RegExp', () => {
  it('should recognise only anchored sequences of single characters or classes with exact counts', () => {
    for (const p of ['^\\d{6}$', '^\\d{2}$', '^[0-9A-HJ-NPQRTUWXY]{18}$', '^0551-\\d{7}$', '^[a-z]{2}_\\d$'] ) expect(isFixedShapePattern(p), p).toBe(true);
    for (const p of ['\\d{6}', '^\\d{6}', '^\\d+$', '^\\d{2,3}$', '^(a|a)+$', '^(\\d{6})$', '^.{3}$', '^\\w{3}$', '^[^0-9]{3}$', '^\\p{Han}{2}$', '^a?$', '^\\d{0}$'])
      expect(isFixedShapePattern(p), p).toBe(false);
  });

  it('should match as RE2 does (the same pattern in a group runs on RE2)', () => {
    const inputs = ['', '213000', '21300', '2130000', '２１３０００', '21300a', ' 213000', '213000\n', '0551-1234567', '0551-123456', 'ab_1', 'AB_1', 'ab_12',
      '91320400MA1XXXXXX0', '91320400MA1XXXXXXI', '123'];
    for (const p of ['^\\d{6}$', '^0551-\\d{7}$', '^[a-z]{2}_\\d$', '^[0-9A-HJ-NPQRTUWXY]{18}$', '^\\d{3}$']) {
      const re2 = compilePattern(`^(?:${p.slice(1, -1)})$`);
      expect(isFixedShapePattern(re2.source)).toBe(false);
      for (const s of inputs) expect(compilePattern(p).test(s), `${p} on ${JSON.stringify(s)}`).toBe(re2.test(s));
    }
  });

  it('should still refuse what RE2 refuses, whatever would run it', () => {
    expect(() => compilePattern('(a)\\1')).toThrow(/反向引用/);
  });
});

describe('sanitizeText fast path', () => {
  it('should return plain text as the same string', () => {
    for (const s of ['张三', 'Zhang San', '常州市天宁区示例路1号', '１３９（全角）', '「引号」、。', 'tab\there\nnewline', 'Zoé', 'ʼ']) expect(sanitizeText(s)).toBe(s);
  });

  it('should still clean controls, bidi overrides and decomposed text at the edges of the plain ranges', () => {
    expect(sanitizeText('张\u202E三\u0000')).toBe('张三');
    expect(sanitizeText('a\u007Fb\u0085c\u000Bd\u2066e')).toBe('abcde');
    expect(sanitizeText('Zoe\u0301')).toBe('Zoé'); // U+0301 is just past the plain Latin range
    expect(sanitizeText('\u2F00')).toBe('\u2F00'.normalize('NFC'));
    expect(sanitizeText('\uFFF0x')).toBe('\uFFF0x');
  });
});

describe('monthIndex without a regex', () => {
  const YM = /^(\d{4})-(0[1-9]|1[0-2])$/;
  const byRegex = (ym: string) => {
    const m = YM.exec(ym.slice(0, 7));
    if (!m) throw new RangeError('x');
    return 12 * Number(m[1]) + (Number(m[2]) - 1);
  };

  it('should agree with the pattern on valid, dated and broken values', () => {
    const cases = ['2025-01', '2025-12', '1965-09', '0000-01', '9999-12', '2025-06-30', '2025-10xyz', '2025-00', '2025-13', '2025-1', '2025/01', '２０２５-01',
      '20a5-01', '2025-0a', '-025-01', '2025-20', '2025-19', '', '2025', ' 2025-01', '2025-01 ', '202５-01'];
    for (const c of cases) {
      let expected: number | 'throws';
      try { expected = byRegex(c); } catch { expected = 'throws'; }
      if (expected === 'throws') expect(() => monthIndex(c), c).toThrow(RangeError);
      else expect(monthIndex(c), c).toBe(expected);
    }
    expect(() => monthIndex(undefined as unknown as string)).toThrow(RangeError);
  });
});

describe('the checker between submissions', () => {
  const validator = compileValidator(showcaseSchema);

  it('should carry nothing from one submission to the next (hidden fields, errors, derived values)', () => {
    const bad = validator.validate({ ...showcaseValidPayload, socialManagement: false, communityRegion: ['32'], retireType: '因病退休', mobile: '123' });
    expect(bad.valid).toBe(false);
    expect(bad.hidden).toContain('communityRegion');
    const { gender: _g, statutoryAge: _s, birthMonth: _b, ...rest } = showcaseValidPayload;
    const good = validator.validate({ ...rest, socialManagement: true, communityRegion: ['32', '3204', '320402', '320402001', '320402001001'] });
    expect(good.errors).toEqual([]);
    expect(good.hidden).not.toContain('communityRegion');
    expect(good.value).toMatchObject({ communityRegion: ['32', '3204', '320402', '320402001', '320402001001'], gender: 'male', birthMonth: '1965-01' });
    const again = validator.validate({ ...showcaseValidPayload, retireType: '因病退休' });
    expect(again.errors.map((e) => e.path)).toEqual(['illnessAppraisal']);
  });

  it('should copy only the rows that need cleaning and leave the input untouched', () => {
    const rows = [{ from: '1985-07', to: '1990-01', unitAndPost: '常州示例机械厂 学徒' }, { from: '1990-07', to: '1995-03', unitAndPost: '  车工  ', extra: '' }];
    const input = { ...showcaseValidPayload, workHistory: rows };
    const snapshot = JSON.stringify(input);
    const r = validator.validate(input);
    expect(JSON.stringify(input)).toBe(snapshot);
    expect(r.errors.map((e) => `${e.path} ${e.code}`)).toEqual(['workHistory.1.extra unknown-field']);
    const stored = r.value.workHistory as unknown[];
    expect(stored[0]).toBe(rows[0]);
    expect(stored[1]).toEqual({ from: '1990-07', to: '1995-03', unitAndPost: '车工' });
  });

  it('should compute derived values from the same arguments every time', () => {
    const form: FormSchema = showcaseSchema;
    const v = compileValidator(form, { key: 'fast-paths-derived' });
    const male = v.validate({ ...showcaseValidPayload, gender: undefined, statutoryAge: undefined, birthMonth: undefined });
    const female = v.validate({ ...showcaseValidPayload, idNumber: '32040219700520002X', identity: '干部', gender: undefined, statutoryAge: undefined, birthMonth: undefined });
    expect(male.value).toMatchObject({ gender: 'male', birthMonth: '1965-01' });
    expect(female.value).toMatchObject({ gender: 'female', birthMonth: '1970-05', statutoryAge: '55岁2个月' });
  });
});
