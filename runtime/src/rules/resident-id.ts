/**
 * Resident ID numbers (GB 11643-1999): 6-digit region, birth date YYYYMMDD, 3-digit
 * sequence (odd = male, even = female) and an ISO 7064 MOD 11-2 check character.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_MAP = '10X98765432';
const SHAPE = /^\d{17}[\dXx]$/;

export type Gender = 'male' | 'female';

/** Why an ID number was rejected; machine codes, the UI maps them to Chinese text. */
export type ResidentIdReason = 'length' | 'format' | 'birth-date' | 'check-digit';

export interface ResidentIdInfo {
  valid: boolean;
  reason?: ResidentIdReason;
  /** 'YYYY-MM-DD' when valid, '' otherwise. */
  birthDate: string;
  gender: Gender;
  /** The normalised ID (upper-case X), '' when invalid. */
  id?: string;
  /** First 6 digits: the region code of first registration. */
  region?: string;
}

/** The check character for the first 17 digits of an ID number. */
export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i]!;
  return CHECK_MAP[sum % 11]!;
}

/** True when year-month-day is a real calendar date (leap years included). */
export function isRealDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= days[m - 1]!;
}

/**
 * Parses and checks an 18-character resident ID number; derives birth date and gender so the
 * form never asks twice for what the ID already says.
 * `parseResidentId('341502196501150039')` → `{valid: true, birthDate: '1965-01-15', gender: 'male', …}`.
 */
export function parseResidentId(input: string): ResidentIdInfo {
  const raw = typeof input === 'string' ? input.trim() : '';
  const invalid = (reason: ResidentIdReason): ResidentIdInfo => ({ valid: false, reason, birthDate: '', gender: 'male' });
  if (raw.length !== 18) return invalid('length');
  if (!SHAPE.test(raw)) return invalid('format');
  const id = raw.toUpperCase();
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  if (y < 1900 || !isRealDate(y, m, d)) return invalid('birth-date');
  if (residentIdCheckChar(id) !== id[17]) return invalid('check-digit');
  const gender: Gender = Number(id[16]) % 2 === 1 ? 'male' : 'female';
  return { valid: true, birthDate: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`, gender, id, region: id.slice(0, 6) };
}

/** Builds a valid (fictitious) ID number; for tests and demo data only. */
export function makeResidentId(region: string, birthDate: string, sequence: number): string {
  const first17 = region + birthDate.replaceAll('-', '') + String(sequence).padStart(3, '0');
  return first17 + residentIdCheckChar(first17);
}
