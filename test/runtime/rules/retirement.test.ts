import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  checkRetirementDate, flexibleRetirementWindow, formatAge, minContributionMonths, monthIndex,
  retirementCategory, statutoryAgeMonths, statutoryRetirement, withRetirementConfig, yearMonth,
  type RetirementCategory,
} from '@lianban/runtime';

const categories = fc.constantFrom<RetirementCategory>('male', 'f55', 'f50');
const births = fc.integer({ min: 12 * 1940, max: 12 * 2000 }).map(yearMonth);

describe('statutoryRetirement', () => {
  it.each([
    ['male', '1964-12', 60, 0, '2024-12'],
    ['male', '1965-01', 60, 1, '2025-02'],
    ['male', '1965-05', 60, 2, '2025-07'],
    ['male', '1976-09', 63, 0, '2039-09'],
    ['f55', '1970-01', 55, 1, '2025-02'],
    ['f50', '1975-03', 50, 2, '2025-05'],
    ['f50', '1984-11', 55, 0, '2039-11'],
  ] as const)('should give the published annex row %s born %s: %i years %i months, retires %s', (category, birth, years, months, retireAt) => {
    expect(statutoryRetirement({ birth, category })).toEqual({ years, months, retireAt });
  });

  it('should keep the original age before the first affected month and cap the raise', () => {
    expect(statutoryRetirement({ birth: '1969-12', category: 'f55' })).toMatchObject({ years: 55, months: 0 });
    expect(statutoryRetirement({ birth: '1990-01', category: 'male' })).toMatchObject({ years: 63, months: 0 });
    expect(statutoryRetirement({ birth: '1990-01', category: 'f50' })).toMatchObject({ years: 55, months: 0 });
  });

  it('should reject an unknown category and a malformed birth month', () => {
    expect(() => statutoryRetirement({ birth: '1965-01', category: 'x' as RetirementCategory })).toThrow(/category/);
    expect(() => statutoryRetirement({ birth: '1965-13', category: 'male' })).toThrow(/year-month/);
  });

  it('should be monotone: a later birth month never retires earlier nor at a younger age', () => {
    fc.assert(fc.property(categories, births, fc.integer({ min: 1, max: 48 }), (category, birth, later) => {
      const a = statutoryRetirement({ birth, category });
      const b = statutoryRetirement({ birth: yearMonth(monthIndex(birth) + later), category });
      return monthIndex(b.retireAt) > monthIndex(a.retireAt)
        && statutoryAgeMonths({ birth: yearMonth(monthIndex(birth) + later), category }) >= statutoryAgeMonths({ birth, category });
    }));
  });

  it('should stay within base and base + max delay, and retireAt = birth + age', () => {
    const caps = { male: [720, 756], f55: [660, 696], f50: [600, 660] } as const;
    fc.assert(fc.property(categories, births, (category, birth) => {
      const r = statutoryRetirement({ birth, category });
      const age = 12 * r.years + r.months;
      return age >= caps[category][0] && age <= caps[category][1] && monthIndex(r.retireAt) === monthIndex(birth) + age;
    }));
  });

  it('should honour a province override of a schedule', () => {
    const config = withRetirementConfig({ schedules: { f50: { base: 50, firstAffected: '1976-01', step: 2, maxDelay: 60 } } as never });
    expect(statutoryRetirement({ birth: '1975-03', category: 'f50' }, config)).toMatchObject({ years: 50, months: 0 });
    expect(statutoryRetirement({ birth: '1965-01', category: 'male' }, config)).toMatchObject({ years: 60, months: 1 });
  });
});

describe('minContributionMonths', () => {
  it('should be 15 years up to 2029, +6 months a year, 20 years from 2039', () => {
    expect(minContributionMonths(2025)).toBe(180);
    expect(minContributionMonths(2029)).toBe(180);
    expect(minContributionMonths(2030)).toBe(186);
    expect(minContributionMonths(2038)).toBe(234);
    expect(minContributionMonths(2039)).toBe(240);
    expect(minContributionMonths(2050)).toBe(240);
  });
});

describe('retirementCategory', () => {
  it('should derive male / f55 / f50 from gender, 本人身份 and 岗位性质', () => {
    expect(retirementCategory({ gender: 'male', identity: '工人' })).toBe('male');
    expect(retirementCategory({ gender: 'female', identity: '干部', postNature: '非管理技术岗位' })).toBe('f55');
    expect(retirementCategory({ gender: 'female', identity: '工人', postNature: '管理技术岗位' })).toBe('f55');
    expect(retirementCategory({ gender: 'female', identity: '工人', postNature: '非管理技术岗位' })).toBe('f50');
    expect(retirementCategory({ gender: 'female' })).toBe('f50');
  });

  it('should put women in flexible employment in f55 by default, configurable', () => {
    expect(retirementCategory({ gender: 'female', identity: '工人', flexibleEmployment: true })).toBe('f55');
    expect(retirementCategory({ gender: 'female', flexibleEmployment: true }, withRetirementConfig({ flexibleEmploymentFemale: 'f50' }))).toBe('f50');
  });
});

describe('flexible retirement', () => {
  it('should allow up to 3 years early but never below the original age, and 3 years late', () => {
    // 1976-09 male: statutory 63 → earliest 60 (2036-09), latest 66 (2042-09).
    expect(flexibleRetirementWindow({ birth: '1976-09', category: 'male' })).toEqual({ earliest: '2036-09', statutory: '2039-09', latest: '2042-09' });
    // 1965-01 male: 60岁1个月 → earliest is the original 60 (2025-01), not 57.
    expect(flexibleRetirementWindow({ birth: '1965-01', category: 'male' })).toEqual({ earliest: '2025-01', statutory: '2025-02', latest: '2028-02' });
  });

  it('should check a chosen month against the window and the minimum contribution', () => {
    expect(checkRetirementDate({ birth: '1976-09', category: 'male', retireAt: '2036-08' })).toMatchObject({ ok: false, problem: 'before-window' });
    expect(checkRetirementDate({ birth: '1976-09', category: 'male', retireAt: '2042-10' })).toMatchObject({ ok: false, problem: 'after-window' });
    expect(checkRetirementDate({ birth: '1976-09', category: 'male', retireAt: '2037-01', contributionMonths: 200 })).toMatchObject({ ok: false, problem: 'min-contribution' });
    expect(checkRetirementDate({ birth: '1976-09', category: 'male', retireAt: '2037-01', contributionMonths: 240 })).toMatchObject({ ok: true });
    expect(checkRetirementDate({ birth: '1976-09', category: 'male', retireAt: '2039-09', contributionMonths: 10 })).toMatchObject({ ok: true });
  });

  it('should never give an earliest month after the statutory one', () => {
    fc.assert(fc.property(categories, births, (category, birth) => {
      const w = flexibleRetirementWindow({ birth, category });
      return monthIndex(w.earliest) <= monthIndex(w.statutory) && monthIndex(w.statutory) < monthIndex(w.latest);
    }));
  });
});

describe('formatAge', () => {
  it('should print years and months the way the annex does', () => {
    expect(formatAge(721)).toBe('60岁1个月');
    expect(formatAge(756)).toBe('63岁');
  });
});
