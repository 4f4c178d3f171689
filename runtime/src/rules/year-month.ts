/** 'YYYY-MM' arithmetic on a month index (12*y + m-1), the unit every retirement rule counts in. */

const YM = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Month index of 'YYYY-MM' (or of the month of 'YYYY-MM-DD'); throws on anything else. */
export function monthIndex(ym: string): number {
  const m = YM.exec(typeof ym === 'string' ? ym.slice(0, 7) : '');
  if (!m) throw new RangeError(`not a year-month: ${String(ym)}`);
  return 12 * Number(m[1]) + (Number(m[2]) - 1);
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
