/**
 * The province's working-day calendar (docs/deadlines.md 「Counting」): the operator enters a
 * year's holidays and 调休 working days when the State Council publishes them; every process
 * counts working days with them at once. Stored one document per year (models/calendar.ts);
 * loaded into the runtime's calendar (`setCalendarOverrides`) at start, right after a save in
 * the process that saved, and in every other process when the cheap check of the newest
 * `updatedAt` (every 30 s) sees a change. Due dates already stored keep their dates; new
 * deadlines and timers use the new calendar.
 *
 *   await loadCalendar(models);                        // at start
 *   const sync = startCalendarSync(models);            // every 30 s; sync.stop()
 *   await saveCalendarYear(models, actor, 2027, { days });
 */
import {
  calendarCoverage, calendarOverrides, calendarProblems, calendarWarnings, calendarYears, chinaYear, packageKnows,
  setCalendarOverrides, type CalendarYear,
} from '@lianban/runtime';
import type { CalendarDayEntry, CalendarOverview, CalendarYearInput, CalendarYearSaved, CalendarYearView } from '@lianban/runtime/contract';
import { trusted } from 'mongoose';
import type { CalendarYearDoc, Models } from '../models';
import { log } from '../log';
import { audit, type Actor } from './audit';
import { DomainError } from './errors';

/** How often each process checks for a change made by another. */
export const CALENDAR_SYNC_MS = 30_000;

/** What the last load saw: the China year (the window moves with it), the newest change and the number of years. */
let loadedStamp = '';

const stampOf = (year: number, newest: { updatedAt?: Date } | null, count: number) => `${year}|${newest?.updatedAt?.toISOString() ?? ''}|${count}`;

async function currentStamp(models: Models, now: Date): Promise<string> {
  const years = calendarYears(now);
  const filter = { _id: trusted({ $in: years }) };
  const [newest, count] = await Promise.all([
    models.CalendarYear.findOne(filter).sort({ updatedAt: -1 }).select({ updatedAt: 1 }).lean(),
    models.CalendarYear.countDocuments(filter),
  ]);
  return stampOf(chinaYear(now), newest, count);
}

/** Loads the stored years within the window into the runtime's calendar (replacing what it had). */
export async function loadCalendar(models: Models, now: Date = new Date()): Promise<void> {
  const stamp = await currentStamp(models, now);
  const docs = await models.CalendarYear.find({ _id: trusted({ $in: calendarYears(now) }) }).lean();
  const years: CalendarYear[] = docs.map((d) => ({ year: d._id, days: d.days.map(({ date, kind, name }) => ({ date, kind, name })) }));
  const ignored = setCalendarOverrides(years, now);
  if (ignored.length) log.warn({ years: ignored }, 'stored calendar years not applied (outside the window or invalid)');
  loadedStamp = stamp;
}

/** Reloads when another process changed the calendar (or the year turned). */
export async function refreshCalendar(models: Models, now: Date = new Date()): Promise<boolean> {
  if ((await currentStamp(models, now)) === loadedStamp) return false;
  await loadCalendar(models, now);
  return true;
}

export interface CalendarSync { stop(): void }

/** Checks every `intervalMs` (30 s) whether the calendar changed, and reloads it then. */
export function startCalendarSync(models: Models, intervalMs = CALENDAR_SYNC_MS): CalendarSync {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    refreshCalendar(models)
      .catch((err: unknown) => log.warn({ err }, 'calendar refresh failed'))
      .finally(() => { running = false; });
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

function viewOf(year: number, doc: Pick<CalendarYearDoc, 'days' | 'updatedBy' | 'updatedAt'> | null): CalendarYearView {
  const days: CalendarDayEntry[] = (doc?.days ?? []).map(({ date, kind, name }) => ({ date, kind, name }));
  const coverage = days.length ? 'entered' : packageKnows(year) ? 'package' : 'none';
  return { year, coverage, days, updatedBy: doc?.updatedBy ?? null, updatedAt: doc?.updatedAt ? new Date(doc.updatedAt).toISOString() : null };
}

/** A year from the path: four digits, else 422. */
export function parseYear(text: string): number {
  if (!/^\d{4}$/.test(text)) {
    throw new DomainError('invalid', `年份「${text.slice(0, 10)}」不正确`, { errors: [{ path: 'year', message: '年份须为四位数字，如 2027' }] });
  }
  return Number(text);
}

/** `GET /platform/calendar`: the years that may be entered, with where each comes from. */
export async function calendarOverview(models: Models, now: Date = new Date()): Promise<CalendarOverview> {
  const years = calendarYears(now);
  const docs = await models.CalendarYear.find({ _id: trusted({ $in: years }) }).lean();
  const byYear = new Map(docs.map((d) => [d._id, d]));
  return { currentYear: chinaYear(now), years: years.map((y) => viewOf(y, byYear.get(y) ?? null)) };
}

/** `GET /calendar/:year`: one year as counted (entered dates only within the window). */
export async function calendarYearView(models: Models, year: number, now: Date = new Date()): Promise<CalendarYearView> {
  if (!calendarYears(now).includes(year)) return viewOf(year, null);
  return viewOf(year, await models.CalendarYear.findById(year).lean());
}

/**
 * `PUT /platform/calendar/:year`: replaces the year's entered dates (empty: back to the package,
 * or Monday–Friday). Refused (422) outside the window, for dates of another year, a date twice,
 * more than 60; a holiday on a weekend or a 调休 day on a weekday is saved with a warning. Audited.
 */
export async function saveCalendarYear(models: Models, actor: Actor, year: number, input: CalendarYearInput, now: Date = new Date()): Promise<CalendarYearSaved> {
  const days = input.days.map((d) => ({ date: d.date, kind: d.kind, name: d.name.trim() }));
  const problems = calendarProblems(year, days, now);
  if (problems.length) throw new DomainError('invalid', problems[0]!.message, { errors: problems });
  days.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const before = await models.CalendarYear.findById(year).lean();
  const doc = { days, updatedBy: actor.name, updatedAt: now };
  await models.CalendarYear.updateOne({ _id: year }, { $set: doc }, { upsert: true });
  const warnings = calendarWarnings(days);
  await audit(models, actor, 'calendar.update', `calendar:${year}`, {
    before: before?.days.map((d) => `${d.date} ${d.kind} ${d.name}`) ?? [],
    after: days.map((d) => `${d.date} ${d.kind} ${d.name}`),
    warnings,
  });
  // this process counts with it now; the others within CALENDAR_SYNC_MS
  await loadCalendar(models, now);
  return { ...viewOf(year, doc), warnings };
}

/** For tests and logs: what this process counts with for `year`. */
export function loadedCalendar(year: number): CalendarYearView {
  return { year, coverage: calendarCoverage(year), days: calendarOverrides(year), updatedBy: null, updatedAt: null };
}
