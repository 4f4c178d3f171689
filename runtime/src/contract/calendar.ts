/**
 * The province's working-day calendar (docs/deadlines.md 「Counting」): the years the operator
 * entered (holidays and 调休 working days the chinese-days package does not know yet).
 *
 *   GET /platform/calendar         operator   → CalendarOverview
 *   PUT /platform/calendar/:year   operator   CalendarYearInput → CalendarYearSaved
 *   GET /calendar/:year            signed-in  → CalendarYearView (the web's deadline labels)
 */

/** One declared date: 放假 (`holiday`) or 调休上班 (`workday`), with its name (元旦, 春节调休 …). */
export interface CalendarDayEntry {
  /** YYYY-MM-DD */
  date: string;
  kind: 'holiday' | 'workday';
  name: string;
}

/** One year as the platform counts it. */
export interface CalendarYearView {
  year: number;
  /** `package`: chinese-days knows it; `entered`: the operator's dates (over the package's); `none`: Monday–Friday only. */
  coverage: 'package' | 'entered' | 'none';
  /** The entered dates, in date order (none for `package` and `none`). */
  days: CalendarDayEntry[];
  updatedBy: string | null;
  updatedAt: string | null;
}

/** `GET /platform/calendar`: the years that may be entered (current-1 … current+2). */
export interface CalendarOverview {
  currentYear: number;
  years: CalendarYearView[];
}

/** `PUT /platform/calendar/:year`: the year's whole list (replaces what was entered; empty: back to the package / weekdays). */
export interface CalendarYearInput {
  days: CalendarDayEntry[];
}

/** The saved year, with what is allowed but unusual (a holiday on a weekend, a 调休 day on a weekday). */
export interface CalendarYearSaved extends CalendarYearView {
  warnings: string[];
}
