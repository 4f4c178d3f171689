/** Contact fields: mainland mobile numbers (stored as the 11 digits) and postcodes. */

const MOBILE = /^(?:(?:\+|00)86)?(1[3-9]\d{9})$/;
const PLAIN_MOBILE = /^1[3-9]\d{9}$/;
const POSTCODE = /^\d{6}$/;

/**
 * The 11-digit mobile number, or null when `input` is not a mainland mobile number.
 * Spaces and dashes are ignored; a +86 / 0086 prefix is dropped: `'+86 139-0000-0000'` → `'13900000000'`.
 */
export function normalizeMobile(input: string): string | null {
  if (typeof input !== 'string') return null;
  if (PLAIN_MOBILE.test(input)) return input; // the common, already normalised case
  const m = MOBILE.exec(input.replace(/[\s-]/g, ''));
  return m ? m[1]! : null;
}

/** True for an already normalised 11-digit mobile number (what we store). */
export function isValidMobile(value: string): boolean {
  return typeof value === 'string' && value.length === 11 && normalizeMobile(value) === value;
}

/** True for a 6-digit postcode (六安 237000, 常州 213000). */
export function isValidPostcode(value: string): boolean {
  return typeof value === 'string' && POSTCODE.test(value);
}
