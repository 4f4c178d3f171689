/**
 * Domain rules (DOMAIN.md): pure functions the forms compute and the server re-checks.
 *
 *   parseResidentId('341502196501150039')            // {valid, birthDate: '1965-01-15', gender: 'male'}
 *   statutoryRetirement({birth: '1965-01', category: 'male'})   // {years: 60, months: 1, retireAt: '2025-02'}
 *   retirementCategory({gender: 'female', identity: '工人'})     // 'f50'
 *
 * Province differences go in a `RetirementConfig` (defaults: DEFAULT_RETIREMENT_CONFIG).
 */
export { parseResidentId, residentIdCheckChar, makeResidentId, isRealDate, type Gender, type ResidentIdInfo, type ResidentIdReason } from './resident-id';
export { isValidCreditCode, creditCodeCheckChar } from './credit-code';
export { DEFAULT_CASE_NO_PATTERN, MAX_CASE_NO_PATTERN, MAX_CASE_NO_LENGTH, parseCaseNoPattern, caseNoStem, renderCaseNo, type CaseNoToken, type CaseNoParts } from './case-no-pattern';
export { normalizeMobile, isValidMobile, isValidPostcode } from './contact';
export { monthIndex, yearMonth, isYearMonth, monthsBetween, formatAge } from './year-month';
export {
  DEFAULT_RETIREMENT_CONFIG, SPECIAL_WORK_TYPES, withRetirementConfig,
  type RetirementCategory, type RetirementConfig, type RaiseSchedule, type SpecialWorkType,
} from './config';
export {
  statutoryRetirement, statutoryAgeMonths, minContributionMonths, retirementCategory,
  flexibleRetirementWindow, checkRetirementDate,
  type StatutoryRetirement, type CategoryInput, type FlexibleWindow, type RetirementDateProblem,
} from './retirement';
export {
  earlyRetirementEligibility,
  type EarlyRetirementInput, type EarlyRetirementKind, type EarlyRetirementProblem, type EarlyRetirementResult,
} from './early-retirement';
