/**
 * Province-configurable retirement parameters with the national defaults (DOMAIN.md).
 * Pass a partial override to the rules: `statutoryRetirement(x, withRetirementConfig({...}))`.
 */

export type RetirementCategory = 'male' | 'f55' | 'f50';
export type SpecialWorkType = 'underground' | 'highAltitude' | 'highTemperature' | 'heavyLabour' | 'harmful';

export interface RaiseSchedule {
  /** Original statutory age in years. */
  base: number;
  /** First birth month whose age is raised ('YYYY-MM'). */
  firstAffected: string;
  /** One more month of age every `step` birth months. */
  step: number;
  /** Cap on the raise, in months. */
  maxDelay: number;
}

export interface RetirementConfig {
  schedules: Record<RetirementCategory, RaiseSchedule>;
  /** Category of women in flexible employment (灵活就业); f55 nationally. */
  flexibleEmploymentFemale: 'f55' | 'f50';
  /** Flexible retirement: at most this many months before / after the statutory age. */
  flexibleEarlyMonths: number;
  flexibleLateMonths: number;
  /** 特殊工种 early retirement: minimum ages and cumulative years in the special job. */
  specialWork: { maleAge: number; femaleAge: number; minYears: Record<SpecialWorkType, number> };
  /** 因病或非因工致残 early retirement minimum ages. */
  illness: { maleAge: number; femaleAge: number };
}

export const DEFAULT_RETIREMENT_CONFIG: RetirementConfig = Object.freeze({
  schedules: {
    male: { base: 60, firstAffected: '1965-01', step: 4, maxDelay: 36 },
    f55: { base: 55, firstAffected: '1970-01', step: 4, maxDelay: 36 },
    f50: { base: 50, firstAffected: '1975-01', step: 2, maxDelay: 60 },
  },
  flexibleEmploymentFemale: 'f55',
  flexibleEarlyMonths: 36,
  flexibleLateMonths: 36,
  specialWork: {
    maleAge: 55,
    femaleAge: 45,
    minYears: { highAltitude: 10, heavyLabour: 10, underground: 9, highTemperature: 9, harmful: 8 },
  },
  illness: { maleAge: 50, femaleAge: 45 },
}) as RetirementConfig;

/** Chinese names of the special-work types, as the forms show them. */
export const SPECIAL_WORK_TYPES: Record<SpecialWorkType, string> = {
  underground: '井下',
  highAltitude: '高空',
  highTemperature: '高温',
  heavyLabour: '特别繁重体力',
  harmful: '其他有害身体健康',
};

/** The defaults with a province's overrides applied (nested objects merged one level deep). */
export function withRetirementConfig(overrides: Partial<RetirementConfig> = {}): RetirementConfig {
  const d = DEFAULT_RETIREMENT_CONFIG;
  return {
    ...d,
    ...overrides,
    schedules: { ...d.schedules, ...overrides.schedules },
    specialWork: {
      ...d.specialWork,
      ...overrides.specialWork,
      minYears: { ...d.specialWork.minYears, ...overrides.specialWork?.minYears },
    },
    illness: { ...d.illness, ...overrides.illness },
  };
}
