/**
 * The province's entered holidays in the browser: the deadline labels (DeadlineTag, the
 * tasklist's 承诺时限 filter) count working days with `@lianban/runtime`'s calendar, so the years
 * the operator entered (`GET /calendar/:year`: this year and the two after) are loaded into it
 * once a city's user is signed in. Without them (a failure) it counts as the package does.
 */
import { chinaYear, setCalendarOverrides, type CalendarYear } from '@lianban/runtime';
import type { CalendarYearView } from '@lianban/runtime/contract';
import { get } from '../api/client';

let loading: Promise<void> | null = null;

/** Loads the entered years into the runtime's calendar (once per page; `force` again). */
export function loadWorkCalendar(force = false): Promise<void> {
  if (loading && !force) return loading;
  const y = chinaYear();
  loading = Promise.all([y, y + 1, y + 2].map((year) => get<CalendarYearView>(`/calendar/${year}`, { noRedirect: true }).catch(() => null)))
    .then((views) => {
      const years: CalendarYear[] = views.filter((v): v is CalendarYearView => !!v && v.coverage === 'entered').map((v) => ({ year: v.year, days: v.days }));
      setCalendarOverrides(years);
    });
  return loading;
}
