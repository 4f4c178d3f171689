/**
 * Days as the offices count them: the calendar day in China time (whatever the server's zone),
 * and official working days (`chinese-days`: weekends, public holidays and 调休 make-up days).
 *
 *   chinaDay(new Date('2026-12-04T16:30:00Z'))   // '2026-12-05' (00:30 in Beijing)
 *   workdaysLater(now, 10)                        // 17:00 Beijing time of the 10th working day after today
 */
import chineseDays from 'chinese-days';

/** `YYYY-MM-DD` of `d` in China time (UTC+8, no daylight saving). */
export const chinaDay = (d: Date): string => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

/** The close of office hours (17:00 Beijing time) on the `days`-th official working day after the China day of `now`. */
export function workdaysLater(now: Date, days: number): Date {
  return new Date(`${chineseDays.findWorkday(days, chinaDay(now))}T17:00:00+08:00`);
}
