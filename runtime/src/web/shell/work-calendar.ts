/**
 * The province's entered holidays in the browser: the deadline labels (DeadlineTag, the
 * tasklist's 承诺时限 filter) count working days with `@lianban/runtime`'s calendar, so the years
 * the operator entered (`GET /calendar/:year`: this year and the two after) are loaded into it
 * when a city's user's session is read, before the first page shows (at most 3 s). Without them
 * (a failure) it counts as the package does.
 */
import { calendarYearMissing, chinaYear, setCalendarOverrides, type CalendarYear } from '@lianban/runtime';
import type { CalendarYearView } from '@lianban/runtime/contract';
import { get } from '../api/client';

let loading: Promise<void> | null = null;
let missing: number | null = null;
/** How long the first page waits for the calendar. */
const MAX_WAIT_MS = 3000;

/** Loads the entered years into the runtime's calendar (once per page; `force` again). */
export function loadWorkCalendar(force = false): Promise<void> {
  if (loading && !force) return loading;
  const y = chinaYear();
  const loaded = Promise.all([y, y + 1, y + 2].map((year) => get<CalendarYearView>(`/calendar/${year}`, { noRedirect: true }).catch(() => null)))
    .then((views) => {
      const years: CalendarYear[] = views.filter((v): v is CalendarYearView => !!v && v.coverage === 'entered').map((v) => ({ year: v.year, days: v.days }));
      setCalendarOverrides(years);
      // this year or the next not entered (and not known to the package): the dashboard warns
      const now = new Date();
      missing = views.slice(0, 2).find((v): v is CalendarYearView => !!v && calendarYearMissing(v, now))?.year ?? null;
    })
    .catch(() => undefined);
  // the first page waits for it, but never long: a slow answer is applied when it comes
  loading = Promise.race([loaded, new Promise<void>((resolve) => setTimeout(resolve, MAX_WAIT_MS))]);
  return loading;
}

/** The first of this year and the next that is missing from the calendar once loaded (see `calendarYearMissing`), or null. */
export async function missingCalendarYear(): Promise<number | null> {
  await loadWorkCalendar();
  return missing;
}
