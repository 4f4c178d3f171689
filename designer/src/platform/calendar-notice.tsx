/**
 * The missing-year warning of the province's calendar: 「2027 年节假日安排未录入：工作日按周一至
 * 周五计算」 from 1 November of the year before (when the State Council usually publishes), on
 * the operator's 节假日安排 page and, for city administrators, above their pages
 * (`<CalendarNotice />`, `GET /calendar/:year` for this year and the next).
 */
import { useEffect, useState } from 'react';
import { Alert } from 'antd';
import { calendarYearMissing, chinaYear } from '@lianban/runtime';
import type { CalendarYearView } from '@lianban/runtime/contract';
import { api } from '../api/client';

/** The warning for `view` at `now`, or null: only a missing year, only from 1 November of the year before (China time). */
export function calendarMissingText(view: Pick<CalendarYearView, 'year' | 'coverage'>, now: Date): string | null {
  return calendarYearMissing(view, now) ? `${view.year} 年节假日安排未录入：工作日按周一至周五计算` : null;
}

/** For a city's administrator: the warning when this year's or next year's calendar is missing (nothing otherwise, nothing on failure). */
export function CalendarNotice() {
  const [text, setText] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const now = new Date();
    const y = chinaYear(now);
    void Promise.all([y, y + 1].map((year) => api.get<CalendarYearView>(`/calendar/${year}`, { quiet401: true }).catch(() => null)))
      .then((views) => {
        const first = views.map((v) => (v ? calendarMissingText(v, now) : null)).find(Boolean) ?? null;
        if (live) setText(first);
      });
    return () => { live = false; };
  }, []);
  if (!text) return null;
  return <Alert type="error" showIcon banner data-testid="calendar-missing" message={text}
    description="请联系省级平台运营人员录入国务院公布的放假安排；在此之前元旦、春节等假日按工作日计入承诺时限。" style={{ marginBottom: 12 }} />;
}
