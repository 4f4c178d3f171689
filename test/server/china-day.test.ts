/**
 * Days as the offices count them (runtime/src/matters/deadlines.ts): the China calendar day
 * whatever the server's zone, and due dates in official working days — including just after
 * midnight in Beijing, when the UTC date is still the day before (the 容缺 due date was one
 * working day early then).
 */
import { describe, expect, it } from 'vitest';
import { chinaDate as chinaDay, deadlineDue as workdaysLater } from '@lianban/runtime';
import { promiseTask } from '@lianban/server';

describe('China days and working days', () => {
  it('should take the calendar day in Beijing', () => {
    expect(chinaDay(new Date('2026-12-06T15:59:00Z'))).toBe('2026-12-06'); // 23:59 Sunday
    expect(chinaDay(new Date('2026-12-06T16:30:00Z'))).toBe('2026-12-07'); // 00:30 Monday
  });

  it('should count official working days from the Beijing day, 调休 included', () => {
    // Monday 2026-12-07 00:30 Beijing: the 10th working day after it is Monday 2026-12-21
    expect(workdaysLater(new Date('2026-12-06T16:30:00Z'), 10).toISOString()).toBe('2026-12-21T09:00:00.000Z');
    // the same instant counted from the UTC date (Sunday) would have given Friday 2026-12-18
    expect(workdaysLater(new Date('2026-12-06T15:59:00Z'), 10).toISOString()).toBe('2026-12-18T09:00:00.000Z');
    // over 国庆 2026 (1–7 October off, Saturday 10 October a make-up working day): from Wednesday
    // 30 September the working days are 8, 9 and 10 October
    expect(workdaysLater(new Date('2026-09-30T02:00:00Z'), 3).toISOString()).toBe('2026-10-10T09:00:00.000Z');
  });

  it('should make a 容缺 task due on the 10th working day after the Beijing day of the submission', () => {
    const task = promiseTask([{ path: 'x', index: 0, name: '材料', spec: { promiseAllowed: true } } as never], new Date('2026-12-06T16:30:00Z'));
    expect(new Date(task.dueAt!).toISOString()).toBe('2026-12-21T09:00:00.000Z');
  });
});
