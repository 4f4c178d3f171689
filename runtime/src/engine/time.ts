/**
 * Due dates and timers. ISO 8601 durations (`P5D`, `PT2H`, `P1M`) are added in China time
 * (UTC+8, no DST); with the `workdays` calendar the whole days of a duration count official
 * working days including 调休 (the platform's calendar, ./calendar: chinese-days with the
 * province's entered years), and the time of day is kept.
 */
import { findWorkday } from './calendar';

const ISO_DURATION = /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;
const CHINA_OFFSET_MS = 8 * 3600_000;

export interface Duration {
  years: number;
  months: number;
  days: number;
  ms: number;
}

/** Parses an ISO 8601 duration; undefined when it is not one. */
export function parseDuration(text: string): Duration | undefined {
  const m = ISO_DURATION.exec(text.trim());
  if (!m) return undefined;
  const n = (i: number) => Number(m[i] ?? 0);
  return { years: n(1), months: n(2), days: n(3) * 7 + n(4), ms: ((n(5) * 60 + n(6)) * 60 + n(7)) * 1000 };
}

/** `now` plus `duration`, as an ISO string (UTC). Working days are counted on the official calendar. */
export function addDuration(now: string, duration: Duration, calendar?: 'workdays'): string {
  // Work on the China wall clock: shift to UTC+8 and use the UTC accessors.
  const local = new Date(Date.parse(now) + CHINA_OFFSET_MS);
  if (duration.years || duration.months) {
    local.setUTCFullYear(local.getUTCFullYear() + duration.years, local.getUTCMonth() + duration.months);
  }
  if (duration.days) {
    if (calendar === 'workdays') {
      const day = local.toISOString().slice(0, 10);
      const target = findWorkday(duration.days, day);
      const [y, mo, d] = target.split('-').map(Number) as [number, number, number];
      local.setUTCFullYear(y, mo - 1, d);
    } else {
      local.setUTCDate(local.getUTCDate() + duration.days);
    }
  }
  return new Date(local.getTime() + duration.ms - CHINA_OFFSET_MS).toISOString();
}

/** Validates an ISO date-time string. */
export function isDateTime(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T/.test(text) && !Number.isNaN(Date.parse(text));
}
