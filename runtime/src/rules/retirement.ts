/**
 * Statutory retirement age under the 2024 gradual-raising decision, minimum contribution
 * months, the flexible retirement window, and the category a person falls into.
 */
import { DEFAULT_RETIREMENT_CONFIG, type RetirementCategory, type RetirementConfig } from './config';
import type { Gender } from './resident-id';
import { monthIndex, yearMonth } from './year-month';

export interface StatutoryRetirement {
  /** The new statutory age: `years` years and `months` months. */
  years: number;
  months: number;
  /** Retirement year-month, 'YYYY-MM'. */
  retireAt: string;
}

/**
 * The new statutory retirement age and month for a birth month and category.
 * `statutoryRetirement({birth: '1965-01', category: 'male'})` → `{years: 60, months: 1, retireAt: '2025-02'}`.
 */
export function statutoryRetirement(
  input: { birth: string; category: RetirementCategory },
  config: RetirementConfig = DEFAULT_RETIREMENT_CONFIG,
): StatutoryRetirement {
  const ageMonths = statutoryAgeMonths(input, config);
  return { years: Math.floor(ageMonths / 12), months: ageMonths % 12, retireAt: yearMonth(monthIndex(input.birth) + ageMonths) };
}

/** The statutory age in months (e.g. 721 for 60岁1个月). */
export function statutoryAgeMonths(input: { birth: string; category: RetirementCategory }, config: RetirementConfig = DEFAULT_RETIREMENT_CONFIG): number {
  const s = config.schedules[input.category];
  if (!s) throw new RangeError(`unknown retirement category: ${String(input.category)}`);
  const d = monthIndex(input.birth) - monthIndex(s.firstAffected);
  const delay = d < 0 ? 0 : Math.min(Math.floor(d / s.step) + 1, s.maxDelay);
  return 12 * s.base + delay;
}

/**
 * Minimum contribution in months for a retirement year: 180 up to 2029, then +6 a year, 240 from 2039.
 */
export function minContributionMonths(retireYear: number): number {
  return retireYear <= 2029 ? 180 : Math.min(240, 180 + 6 * (retireYear - 2029));
}

export interface CategoryInput {
  gender: Gender;
  /** 本人身份: 干部 or 工人. */
  identity?: string;
  /** 岗位性质: 管理技术岗位 or 非管理技术岗位. */
  postNature?: string;
  /** 灵活就业人员. */
  flexibleEmployment?: boolean;
}

/**
 * The category from the *original* statutory age: men `male`; women `f55` when 干部 or on a
 * 管理技术岗位, `f50` otherwise; women in flexible employment per province (f55 by default).
 */
export function retirementCategory(input: CategoryInput, config: RetirementConfig = DEFAULT_RETIREMENT_CONFIG): RetirementCategory {
  if (input.gender === 'male') return 'male';
  if (input.flexibleEmployment) return config.flexibleEmploymentFemale;
  return input.identity === '干部' || input.postNature === '管理技术岗位' ? 'f55' : 'f50';
}

export interface FlexibleWindow {
  /** Earliest flexible retirement month: up to N months early, never below the original age. */
  earliest: string;
  statutory: string;
  /** Latest month by agreement. */
  latest: string;
}

/** The flexible retirement window around the statutory month (DOMAIN.md: ≤3 years early, ≤3 late). */
export function flexibleRetirementWindow(input: { birth: string; category: RetirementCategory }, config: RetirementConfig = DEFAULT_RETIREMENT_CONFIG): FlexibleWindow {
  const birth = monthIndex(input.birth);
  const age = statutoryAgeMonths(input, config);
  const floor = 12 * config.schedules[input.category].base;
  return {
    earliest: yearMonth(birth + Math.max(floor, age - config.flexibleEarlyMonths)),
    statutory: yearMonth(birth + age),
    latest: yearMonth(birth + age + config.flexibleLateMonths),
  };
}

export type RetirementDateProblem = 'before-window' | 'after-window' | 'min-contribution';

/**
 * Checks a chosen retirement month against the flexible window; retiring before the statutory
 * month also needs the minimum contribution of that year.
 */
export function checkRetirementDate(
  input: { birth: string; category: RetirementCategory; retireAt: string; contributionMonths?: number },
  config: RetirementConfig = DEFAULT_RETIREMENT_CONFIG,
): { ok: boolean; problem?: RetirementDateProblem; window: FlexibleWindow } {
  const window = flexibleRetirementWindow(input, config);
  const at = monthIndex(input.retireAt);
  if (at < monthIndex(window.earliest)) return { ok: false, problem: 'before-window', window };
  if (at > monthIndex(window.latest)) return { ok: false, problem: 'after-window', window };
  if (at < monthIndex(window.statutory) && input.contributionMonths !== undefined
    && input.contributionMonths < minContributionMonths(Number(input.retireAt.slice(0, 4)))) {
    return { ok: false, problem: 'min-contribution', window };
  }
  return { ok: true, window };
}
