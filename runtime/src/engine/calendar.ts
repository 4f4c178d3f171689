/**
 * The working-day calendar of the whole platform: the official holidays and 调休 of the
 * `chinese-days` package (it knows the years the State Council had published when it was
 * released), with the province's OVERRIDES layered on top — the dates its operator entered for a
 * year (a holiday, or a 调休 working day on a weekend), each with a name. Every count of working
 * days (flow timers in engine/time.ts, a matter's 承诺时限 in matters/deadlines.ts, the web's
 * deadline labels) goes through here, so one `setCalendarOverrides` changes them all at once.
 * Pure and synchronous; the server loads the stored years (GET /platform/calendar), the web the
 * ones it shows (GET /calendar/:year).
 *
 *   isWorkday('2027-01-01')                         // true until a year with 元旦 is entered
 *   setCalendarOverrides([{ year: 2027, days: [{ date: '2027-01-01', kind: 'holiday', name: '元旦' }] }])
 *   findWorkday(3, '2026-12-30')                    // the 3rd working day after (0: that day or the next working one)
 *   workdaysInRange('2026-12-28', '2027-01-08')     // the working days, both ends included
 *   calendarCoverage(2027)                          // 'package' | 'entered' | 'none' (weekends only)
 *   calendarProblems(2027, days, now)               // why a year's entries are refused (Chinese)
 */
// Default import: the package's CommonJS build (what Node loads) has no static named exports.
import chineseDays from 'chinese-days';

export type CalendarDayKind = 'holiday' | 'workday';

/** One declared date: a holiday (休), or a 调休 working day (班). */
export interface CalendarDay {
  /** YYYY-MM-DD (China date). */
  date: string;
  kind: CalendarDayKind;
  /** What it is for, e.g. 元旦, 春节, 春节调休. */
  name: string;
}

/** A year's entered dates. */
export interface CalendarYear {
  year: number;
  days: CalendarDay[];
}

/** Where a year's holidays come from: the package, the operator's entries, or nowhere (Monday–Friday). */
export type CalendarCoverage = 'package' | 'entered' | 'none';

/** At most this many dates may be declared for one year. */
export const MAX_CALENDAR_DAYS = 60;
/** The longest name of a declared date. */
export const MAX_CALENDAR_NAME = 20;
/** No count walks further than this many days (about 40 years): every loop here is bounded. */
const MAX_WALK_DAYS = 15_000;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3600_000;

let overrides = new Map<string, CalendarDay>();
let enteredYears = new Set<number>();
const packageYears = new Map<number, boolean>();

/** The China year of `now`. */
export function chinaYear(now: Date = new Date()): number {
  return new Date(now.getTime() + CHINA_OFFSET_MS).getUTCFullYear();
}

/** The years that may be entered at `now`: the current one's previous through two after. */
export function calendarYears(now: Date = new Date()): number[] {
  const y = chinaYear(now);
  return [y - 1, y, y + 1, y + 2];
}

/** Whether `text` is a real date YYYY-MM-DD. */
export function isCalendarDate(text: unknown): text is string {
  if (typeof text !== 'string') return false;
  const m = DATE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === text;
}

const toDay = (date: string) => Date.parse(`${date}T00:00:00Z`);
const fromDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** Saturday or Sunday (by the date alone, whatever the process's time zone). */
export const isWeekend = (date: string) => {
  const wd = new Date(toDay(date)).getUTCDay();
  return wd === 0 || wd === 6;
};

/**
 * Why the entered dates of `year` are refused (empty: accepted): the year within
 * `calendarYears(now)`, each date a real one in that year, of a known kind, with a name, no date
 * twice, at most MAX_CALENDAR_DAYS. Paths as the 422 answer's `errors` (`days.3.date`).
 */
export function calendarProblems(year: number, days: readonly CalendarDay[], now: Date = new Date()): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const allowed = calendarYears(now);
  if (!Number.isInteger(year) || !allowed.includes(year)) {
    problems.push({ path: 'year', message: `只能录入 ${allowed[0]}–${allowed[allowed.length - 1]} 年的节假日安排` });
    return problems;
  }
  if (!Array.isArray(days)) return [{ path: 'days', message: '日期列表格式不正确' }];
  if (days.length > MAX_CALENDAR_DAYS) {
    return [{ path: 'days', message: `一年最多录入 ${MAX_CALENDAR_DAYS} 个日期（现有 ${days.length} 个）` }];
  }
  const seen = new Set<string>();
  days.forEach((d, i) => {
    if (!isCalendarDate(d?.date)) {
      problems.push({ path: `days.${i}.date`, message: `第 ${i + 1} 项的日期「${String(d?.date)}」不是有效日期（YYYY-MM-DD）` });
      return;
    }
    if (!d.date.startsWith(`${year}-`)) problems.push({ path: `days.${i}.date`, message: `${d.date} 不在 ${year} 年内` });
    if (seen.has(d.date)) problems.push({ path: `days.${i}.date`, message: `${d.date} 录入了不止一次` });
    seen.add(d.date);
    if (d.kind !== 'holiday' && d.kind !== 'workday') problems.push({ path: `days.${i}.kind`, message: `${d.date} 须为「放假」或「调休上班」` });
    const name = typeof d.name === 'string' ? d.name.trim() : '';
    if (!name || name.length > MAX_CALENDAR_NAME) problems.push({ path: `days.${i}.name`, message: `${d.date} 须填写名称（1–${MAX_CALENDAR_NAME} 个字）` });
  });
  return problems;
}

/**
 * What is allowed but unusual in a year's entries (Chinese): a holiday on a weekend (a rest day
 * anyway) or a 调休 working day on a weekday (a working day anyway).
 */
export function calendarWarnings(days: readonly CalendarDay[]): string[] {
  const out: string[] = [];
  for (const d of days.slice(0, MAX_CALENDAR_DAYS)) {
    if (!isCalendarDate(d.date)) continue;
    if (d.kind === 'holiday' && isWeekend(d.date)) out.push(`${d.date}（${d.name}）是周末，本就不上班`);
    if (d.kind === 'workday' && !isWeekend(d.date)) out.push(`${d.date}（${d.name}）是周一至周五，本就是工作日`);
  }
  return out;
}

/**
 * Replaces the overrides by `years` (the whole set, not a merge). Years outside
 * `calendarYears(now)` or with problems are not applied; they are returned.
 */
export function setCalendarOverrides(years: readonly CalendarYear[], now: Date = new Date()): number[] {
  const next = new Map<string, CalendarDay>();
  const entered = new Set<number>();
  const ignored: number[] = [];
  for (const y of years.slice(0, 10)) {
    if (calendarProblems(y.year, y.days, now).length) {
      ignored.push(y.year);
      continue;
    }
    for (const d of y.days) next.set(d.date, { date: d.date, kind: d.kind, name: d.name.trim() });
    if (y.days.length) entered.add(y.year);
  }
  overrides = next;
  enteredYears = entered;
  return ignored;
}

/** The entered dates of `year`, in date order. */
export function calendarOverrides(year: number): CalendarDay[] {
  return [...overrides.values()].filter((d) => d.date.startsWith(`${year}-`)).sort((a, b) => (a.date < b.date ? -1 : 1));
}

/** Whether the package knows `year`'s holidays: 国庆 (10-01…10-03) always holds a weekday holiday. */
export function packageKnows(year: number): boolean {
  let known = packageYears.get(year);
  if (known === undefined) {
    known = false;
    if (year >= 1000 && year <= 9999) {
      for (const day of ['01', '02', '03']) {
        const date = `${year}-10-${day}`;
        if (!isWeekend(date) && !chineseDays.isWorkday(date)) known = true;
      }
    }
    packageYears.set(year, known);
  }
  return known;
}

/** Where `year`'s holidays come from. Entered dates win over the package's. */
export function calendarCoverage(year: number): CalendarCoverage {
  if (enteredYears.has(year)) return 'entered';
  return packageKnows(year) ? 'package' : 'none';
}

/**
 * Whether a missing year (`coverage` 'none': neither entered nor known to the package) should be
 * warned about at `now`: from 1 November of the year before (China time), when the State Council
 * usually publishes the next year's holidays.
 */
export function calendarYearMissing(view: { year: number; coverage: CalendarCoverage }, now: Date = new Date()): boolean {
  if (view.coverage !== 'none') return false;
  return now.getTime() >= Date.parse(`${view.year - 1}-11-01T00:00:00+08:00`);
}

/** Whether `date` (YYYY-MM-DD) is a working day: an entered date first, then the package (Monday–Friday for years it does not know). */
export function isWorkday(date: string): boolean {
  const o = overrides.get(date);
  if (o) return o.kind === 'workday';
  return chineseDays.isWorkday(date);
}

/**
 * The `n`-th working day after `from` (before it when negative); for 0, `from` itself when it is
 * a working day, else the next one — as chinese-days' findWorkday.
 */
export function findWorkday(n: number, from: string): string {
  let delta = Math.trunc(n);
  if (delta === 0) {
    if (isWorkday(from)) return from;
    delta = 1;
  }
  const step = delta > 0 ? DAY_MS : -DAY_MS;
  let left = Math.abs(delta);
  let at = toDay(from);
  for (let walked = 0; left > 0 && walked < MAX_WALK_DAYS; walked++) {
    at += step;
    if (isWorkday(fromDay(at))) left--;
  }
  return fromDay(at);
}

/** The working days from `from` to `to` (YYYY-MM-DD), both included; none when `to` is before `from`. */
export function workdaysInRange(from: string, to: string): string[] {
  const out: string[] = [];
  const end = toDay(to);
  let at = toDay(from);
  for (let walked = 0; at <= end && walked < MAX_WALK_DAYS; walked++, at += DAY_MS) {
    const day = fromDay(at);
    if (isWorkday(day)) out.push(day);
  }
  return out;
}
