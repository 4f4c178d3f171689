/** 'YYYY-MM' arithmetic on a month index (12*y + m-1), the unit every retirement rule counts in. */

const YM = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Month index of 'YYYY-MM' (or of the month of 'YYYY-MM-DD'); throws on anything else. */
export function monthIndex(ym: string): number {
  // What YM accepts on the first 7 characters, read digit by digit: this runs for every
  // year-month of every submission (no slice, no match array).
  if (typeof ym === 'string' && ym.length >= 7 && ym.charCodeAt(4) === 45) {
    const y = 1000 * digitAt(ym, 0) + 100 * digitAt(ym, 1) + 10 * digitAt(ym, 2) + digitAt(ym, 3);
    const m0 = digitAt(ym, 5), m = 10 * m0 + digitAt(ym, 6);
    if (y >= 0 && m0 >= 0 && m0 <= 1 && m >= 1 && m <= 12) return 12 * y + (m - 1);
  }
  throw new RangeError(`not a year-month: ${String(ym)}`);
}

/** The ASCII digit at `i`, or a large negative number (any sum with it stays negative). */
function digitAt(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -100_000;
}

/** True for a 'YYYY-MM' string. */
export function isYearMonth(ym: unknown): ym is string {
  return typeof ym === 'string' && YM.test(ym);
}

/** 'YYYY-MM' of a month index. */
export function yearMonth(index: number): string {
  const y = Math.floor(index / 12);
  return `${String(y).padStart(4, '0')}-${String(index - 12 * y + 1).padStart(2, '0')}`;
}

/** Whole months from `from` to `to` ('YYYY-MM'), negative when `to` is earlier. */
export function monthsBetween(from: string, to: string): number {
  return monthIndex(to) - monthIndex(from);
}

/** '60岁1个月' style text for an age in months. */
export function formatAge(months: number): string {
  const y = Math.floor(months / 12);
  const m = months % 12;
  return m ? `${y}岁${m}个月` : `${y}岁`;
}
