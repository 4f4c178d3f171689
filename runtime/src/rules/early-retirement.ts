/**
 * Early retirement (提前退休) and 退职 eligibility: 特殊工种 by type and years, 因病或非因工致残
 * with an appraisal of total loss of working capacity, and 退职 for those who lost it but are
 * not eligible to retire. Ages come from the province config.
 */
import { DEFAULT_RETIREMENT_CONFIG, type RetirementConfig, type SpecialWorkType } from './config';
import type { Gender } from './resident-id';
import { monthIndex, yearMonth } from './year-month';

export type EarlyRetirementKind = 'special-work' | 'illness' | 'resignation';

export interface EarlyRetirementInput {
  kind: EarlyRetirementKind;
  gender: Gender;
  /** Birth month 'YYYY-MM'. */
  birth: string;
  /** Month of the requested retirement 'YYYY-MM'. */
  at: string;
  specialWorkType?: SpecialWorkType;
  /** Cumulative years in the special job. */
  specialWorkYears?: number;
  /** Holds an appraisal certificate of total loss of working capacity. */
  totalDisabilityAppraisal?: boolean;
}

/** Machine codes of unmet conditions. */
export type EarlyRetirementProblem =
  | 'age' | 'special-work-type' | 'special-work-years' | 'appraisal' | 'eligible-for-retirement';

export interface EarlyRetirementResult {
  eligible: boolean;
  problems: EarlyRetirementProblem[];
  /** The first month the age condition is met (none for 退职). */
  earliest?: string;
}

/** Whether an early retirement / 退职 request meets the conditions; lists every unmet one. */
export function earlyRetirementEligibility(input: EarlyRetirementInput, config: RetirementConfig = DEFAULT_RETIREMENT_CONFIG): EarlyRetirementResult {
  const problems: EarlyRetirementProblem[] = [];
  const ageAt = monthIndex(input.at) - monthIndex(input.birth);
  if (input.kind === 'special-work') {
    const minAge = input.gender === 'male' ? config.specialWork.maleAge : config.specialWork.femaleAge;
    if (ageAt < 12 * minAge) problems.push('age');
    const minYears = input.specialWorkType ? config.specialWork.minYears[input.specialWorkType] : undefined;
    if (minYears === undefined) problems.push('special-work-type');
    else if (!(typeof input.specialWorkYears === 'number' && input.specialWorkYears >= minYears)) problems.push('special-work-years');
    return { eligible: problems.length === 0, problems, earliest: yearMonth(monthIndex(input.birth) + 12 * minAge) };
  }
  const illnessAge = input.gender === 'male' ? config.illness.maleAge : config.illness.femaleAge;
  if (!input.totalDisabilityAppraisal) problems.push('appraisal');
  if (input.kind === 'illness') {
    if (ageAt < 12 * illnessAge) problems.push('age');
    return { eligible: problems.length === 0, problems, earliest: yearMonth(monthIndex(input.birth) + 12 * illnessAge) };
  }
  // 退职: no age condition, but only for those who cannot retire on illness grounds.
  if (input.totalDisabilityAppraisal && ageAt >= 12 * illnessAge) problems.push('eligible-for-retirement');
  return { eligible: problems.length === 0, problems };
}
