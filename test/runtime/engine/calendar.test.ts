/**
 * The platform's working-day calendar (runtime/src/engine/calendar.ts): without entries it is
 * chinese-days; entered holidays and 调休 days win; the bounds; and the counts that use it
 * (flow timers, 承诺时限) follow an entered year at once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import chineseDays from 'chinese-days';
import {
  calendarCoverage, calendarYearMissing, calendarProblems, calendarWarnings, deadlineDue, deadlineStatus, pausedWorkdays, findWorkday, isWorkday, setCalendarOverrides, start,
  workdaysInRange, type CalendarDay,
} from '@lianban/runtime';
import { load, waitAt } from './helpers';

const NOW = new Date('2026-12-05T10:00:00+08:00');
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const FROM = Date.UTC(2020, 0, 1);
const TO = Date.UTC(2026, 11, 31);
const dateIn = (from = FROM, to = TO) => fc.integer({ min: 0, max: Math.floor((to - from) / 86_400_000) }).map((i) => day(from + i * 86_400_000));

afterEach(() => { setCalendarOverrides([], NOW); });

describe('working-day calendar', () => {
  it('should equal chinese-days on any date 2020–2026 when nothing is entered', () => {
    setCalendarOverrides([], NOW);
    fc.assert(fc.property(dateIn(), (d) => isWorkday(d) === chineseDays.isWorkday(d)), { numRuns: 500 });
    fc.assert(fc.property(dateIn(), fc.integer({ min: -40, max: 40 }), (d, n) => findWorkday(n, d) === chineseDays.findWorkday(n, d)), { numRuns: 300 });
    fc.assert(fc.property(dateIn(), fc.integer({ min: 0, max: 60 }), (d, len) => {
      const to = day(Date.parse(`${d}T00:00:00Z`) + len * 86_400_000);
      expect(workdaysInRange(d, to)).toEqual(chineseDays.getWorkdaysInRange(d, to, true));
    }), { numRuns: 200 });
  });

  it('should never count a declared holiday, and always a declared 调休 day', () => {
    const in2027 = dateIn(Date.UTC(2027, 0, 1), Date.UTC(2027, 11, 31));
    fc.assert(fc.property(fc.uniqueArray(in2027, { minLength: 1, maxLength: 60 }), fc.array(fc.boolean(), { minLength: 60, maxLength: 60 }), (dates, kinds) => {
      const days: CalendarDay[] = dates.map((date, i) => ({ date, kind: kinds[i] ? 'holiday' : 'workday', name: '测试' }));
      expect(setCalendarOverrides([{ year: 2027, days }], NOW)).toEqual([]);
      for (const d of days) expect(isWorkday(d.date)).toBe(d.kind === 'workday');
      const all = workdaysInRange('2027-01-01', '2027-12-31');
      for (const d of days) expect(all.includes(d.date)).toBe(d.kind === 'workday');
      // a count from before the year never lands on a declared holiday
      const n = 1 + (dates.length % 40);
      const landed = findWorkday(n, '2026-12-31');
      expect(days.find((d) => d.date === landed)?.kind).not.toBe('holiday');
    }), { numRuns: 100 });
  });

  it('should count a 调休 Saturday in a pause and in the days left, as the due date does', () => {
    // 2026-10-10 (Sat) is a 调休 working day: a pause Fri 10-09 → Mon 10-12 costs Sat and Mon
    expect(pausedWorkdays(new Date('2026-10-09T16:00:00+08:00'), new Date('2026-10-12T09:00:00+08:00'))).toBe(2);
    expect(deadlineStatus(new Date('2026-10-12T17:00:00+08:00'), new Date('2026-10-09T09:00:00+08:00')).workdaysLeft).toBe(2);
  });

  it('should say where a year comes from', () => {
    expect(calendarCoverage(2026)).toBe('package');
    expect(calendarCoverage(2027)).toBe('none');
    setCalendarOverrides([{ year: 2027, days: [{ date: '2027-03-03', kind: 'holiday', name: '测试假日' }] }], NOW);
    expect(calendarCoverage(2027)).toBe('entered');
    expect(calendarCoverage(2028)).toBe('none');
  });

  it('should warn of a missing year from 1 November of the year before, China time', () => {
    const at = (iso: string) => new Date(iso);
    expect(calendarYearMissing({ year: 2027, coverage: 'none' }, at('2026-10-31T15:59:59Z'))).toBe(false);
    expect(calendarYearMissing({ year: 2027, coverage: 'none' }, at('2026-10-31T16:00:00Z'))).toBe(true);
    expect(calendarYearMissing({ year: 2027, coverage: 'entered' }, at('2026-12-05T00:00:00Z'))).toBe(false);
    expect(calendarYearMissing({ year: 2026, coverage: 'package' }, at('2026-12-05T00:00:00Z'))).toBe(false);
    expect(calendarYearMissing({ year: 2026, coverage: 'none' }, at('2026-12-05T00:00:00Z'))).toBe(true);
  });

  it('should move a deadline and a flow timer over an entered holiday', async () => {
    // the boundary flow's reminder: P2D working days, started Tue 2027-03-02 10:00 China time
    const def = await load('boundary.bpmn');
    const remindAt = () => waitAt(start(def, {}, { now: '2027-03-02T10:00:00+08:00' }), 'Timer_remind').dueAt;
    expect(remindAt()).toBe('2027-03-04T02:00:00.000Z'); // Wed 03, Thu 04
    // 受理 Mon 2027-03-01 (a fictitious test holiday Wed 03-03 … Fri 03-05, 调休 Sat 03-06)
    const before = deadlineDue(new Date('2027-03-01T10:00:00+08:00'), 5).toISOString();
    expect(before).toBe(new Date('2027-03-08T17:00:00+08:00').toISOString());
    setCalendarOverrides([{ year: 2027, days: [
      { date: '2027-03-03', kind: 'holiday', name: '测试假日' }, { date: '2027-03-04', kind: 'holiday', name: '测试假日' },
      { date: '2027-03-05', kind: 'holiday', name: '测试假日' }, { date: '2027-03-06', kind: 'workday', name: '测试调休' },
    ] }], NOW);
    // Tue 02, Sat 06, Mon 08, Tue 09, Wed 10
    expect(deadlineDue(new Date('2027-03-01T10:00:00+08:00'), 5).toISOString()).toBe(new Date('2027-03-10T17:00:00+08:00').toISOString());
    expect(remindAt()).toBe('2027-03-08T02:00:00.000Z'); // Sat 06 (调休), Mon 08
  });

  it('should refuse years outside the window, foreign dates, duplicates and more than 60 dates', () => {
    expect(calendarProblems(2030, [], NOW)[0]!.message).toContain('2025–2028');
    expect(calendarProblems(2027, [{ date: '2028-01-01', kind: 'holiday', name: '元旦' }], NOW)[0]!.message).toContain('不在 2027 年内');
    expect(calendarProblems(2027, [{ date: '2027-02-30', kind: 'holiday', name: 'x' }], NOW)[0]!.path).toBe('days.0.date');
    const twice = [{ date: '2027-05-03', kind: 'holiday', name: '劳动节' }, { date: '2027-05-03', kind: 'workday', name: '劳动节' }] as CalendarDay[];
    expect(calendarProblems(2027, twice, NOW).map((p) => p.path)).toEqual(['days.1.date']);
    const many = Array.from({ length: 61 }, (_, i) => ({ date: day(Date.UTC(2027, 0, 1 + i)), kind: 'holiday', name: '测试' }) as CalendarDay);
    expect(calendarProblems(2027, many, NOW)[0]!.message).toContain('最多录入 60');
    // a refused year is not applied
    expect(setCalendarOverrides([{ year: 2030, days: [{ date: '2030-01-02', kind: 'holiday', name: 'x' }] }], NOW)).toEqual([2030]);
    expect(isWorkday('2030-01-02')).toBe(true);
  });

  it('should warn of a holiday on a weekend and a 调休 day on a weekday', () => {
    expect(calendarWarnings([
      { date: '2027-01-02', kind: 'holiday', name: '元旦' }, // Saturday
      { date: '2027-01-04', kind: 'workday', name: '调休' }, // Monday
      { date: '2027-01-01', kind: 'holiday', name: '元旦' }, // Friday: fine
    ])).toEqual(['2027-01-02（元旦）是周末，本就不上班', '2027-01-04（调休）是周一至周五，本就是工作日']);
  });
});
