import { describe, expect, it } from 'vitest';
import { earlyRetirementEligibility, withRetirementConfig } from '@lianban/runtime';

describe('earlyRetirementEligibility', () => {
  it('should accept a 55-year-old man with 9 years underground', () => {
    expect(earlyRetirementEligibility({ kind: 'special-work', gender: 'male', birth: '1970-03', at: '2025-03', specialWorkType: 'underground', specialWorkYears: 9 }))
      .toEqual({ eligible: true, problems: [], earliest: '2025-03' });
  });

  it('should require the years of each special-work type', () => {
    const base = { kind: 'special-work', gender: 'male', birth: '1960-01', at: '2025-01' } as const;
    expect(earlyRetirementEligibility({ ...base, specialWorkType: 'highAltitude', specialWorkYears: 9 }).problems).toEqual(['special-work-years']);
    expect(earlyRetirementEligibility({ ...base, specialWorkType: 'heavyLabour', specialWorkYears: 10 }).eligible).toBe(true);
    expect(earlyRetirementEligibility({ ...base, specialWorkType: 'highTemperature', specialWorkYears: 8.9 }).problems).toEqual(['special-work-years']);
    expect(earlyRetirementEligibility({ ...base, specialWorkType: 'harmful', specialWorkYears: 8 }).eligible).toBe(true);
    expect(earlyRetirementEligibility({ ...base }).problems).toEqual(['special-work-type']);
  });

  it('should apply the women\'s age 45 and list every unmet condition', () => {
    expect(earlyRetirementEligibility({ kind: 'special-work', gender: 'female', birth: '1980-06', at: '2025-05', specialWorkType: 'harmful', specialWorkYears: 3 }))
      .toEqual({ eligible: false, problems: ['age', 'special-work-years'], earliest: '2025-06' });
  });

  it('should need the appraisal and the age for 因病 retirement', () => {
    expect(earlyRetirementEligibility({ kind: 'illness', gender: 'male', birth: '1975-01', at: '2025-01', totalDisabilityAppraisal: true }).eligible).toBe(true);
    expect(earlyRetirementEligibility({ kind: 'illness', gender: 'male', birth: '1975-02', at: '2025-01', totalDisabilityAppraisal: false }).problems).toEqual(['appraisal', 'age']);
    expect(earlyRetirementEligibility({ kind: 'illness', gender: 'female', birth: '1980-01', at: '2025-01', totalDisabilityAppraisal: true }).eligible).toBe(true);
  });

  it('should grant 退职 only to those who lost capacity but cannot retire', () => {
    expect(earlyRetirementEligibility({ kind: 'resignation', gender: 'male', birth: '1985-01', at: '2025-01', totalDisabilityAppraisal: true }).eligible).toBe(true);
    expect(earlyRetirementEligibility({ kind: 'resignation', gender: 'male', birth: '1970-01', at: '2025-01', totalDisabilityAppraisal: true }).problems).toEqual(['eligible-for-retirement']);
    expect(earlyRetirementEligibility({ kind: 'resignation', gender: 'male', birth: '1985-01', at: '2025-01' }).problems).toEqual(['appraisal']);
  });

  it('should use the province ages from the config', () => {
    const config = withRetirementConfig({ specialWork: { maleAge: 56, femaleAge: 45, minYears: {} as never } });
    expect(earlyRetirementEligibility({ kind: 'special-work', gender: 'male', birth: '1970-03', at: '2025-03', specialWorkType: 'underground', specialWorkYears: 9 }, config).problems).toEqual(['age']);
  });
});
