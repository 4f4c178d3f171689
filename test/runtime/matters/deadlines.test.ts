/** Working-day deadlines (runtime/src/matters/deadlines.ts): due dates over holidays and 调休, pauses, labels, publish checks. */
import { describe, expect, it } from 'vitest';
import { deadlineDue, deadlineLabel, deadlineStatus, pausedWorkdays, timeLimitProblems, workdaysBefore } from '@lianban/runtime';

const at = (s: string) => new Date(s);

describe('working-day deadlines', () => {
  it('should count working days from the day after 受理, skipping the National Day holiday', () => {
    // 受理 on Wed 2026-09-30: the 1st working day after is Thu 2026-10-08 (holiday 10-01…10-07)
    expect(deadlineDue(at('2026-09-30T10:00:00+08:00'), 1).toISOString()).toBe(at('2026-10-08T17:00:00+08:00').toISOString());
    // 调休: Saturday 2026-10-10 is a working day
    expect(deadlineDue(at('2026-10-08T10:00:00+08:00'), 2).toISOString()).toBe(at('2026-10-10T17:00:00+08:00').toISOString());
    // a paused working day moves it by one more
    expect(deadlineDue(at('2026-10-08T10:00:00+08:00'), 2, 1).toISOString()).toBe(at('2026-10-12T17:00:00+08:00').toISOString());
    // the China date counts, not the UTC one: 2026-12-04 01:00 China time is still 12-03 in UTC
    expect(deadlineDue(at('2026-12-04T01:00:00+08:00'), 1).toISOString()).toBe(at('2026-12-07T17:00:00+08:00').toISOString());
    expect(workdaysBefore(at('2026-12-07T17:00:00+08:00'), 2).toISOString()).toBe(at('2026-12-03T17:00:00+08:00').toISOString());
  });

  it('should charge a pause the working days after the day it began, up to the day it ended', () => {
    expect(pausedWorkdays(at('2026-12-07T09:00:00+08:00'), at('2026-12-07T16:00:00+08:00'))).toBe(0);
    expect(pausedWorkdays(at('2026-12-04T16:00:00+08:00'), at('2026-12-07T09:00:00+08:00'))).toBe(1); // Fri → Mon
    expect(pausedWorkdays(at('2026-12-05T10:00:00+08:00'), at('2026-12-08T10:00:00+08:00'))).toBe(2); // Sat → Tue
    expect(pausedWorkdays(at('2026-12-08T10:00:00+08:00'), at('2026-12-07T10:00:00+08:00'))).toBe(0);
  });

  it('should say how many working days are left, or how long it is overdue', () => {
    const due = at('2026-12-07T17:00:00+08:00'); // Monday
    expect(deadlineLabel(deadlineStatus(due, at('2026-12-03T09:00:00+08:00')))).toBe('剩余 2 个工作日'); // Thu: Fri, Mon
    expect(deadlineLabel(deadlineStatus(due, at('2026-12-05T09:00:00+08:00')))).toBe('剩余 1 个工作日'); // Sat: Mon
    expect(deadlineLabel(deadlineStatus(due, at('2026-12-07T09:00:00+08:00')))).toBe('今日到期');
    expect(deadlineStatus(due, at('2026-12-07T18:00:00+08:00'))).toEqual({ overdue: true, workdaysLeft: 0, daysOverdue: 1 });
    expect(deadlineLabel(deadlineStatus(due, at('2026-12-10T18:00:00+08:00')))).toBe('已超期 3 天');
  });

  it('should check the declared limits before a publish', () => {
    const items = [{ key: 'a', title: '甲', department: 'hrss', timeLimit: { workdays: 3 } }];
    expect(timeLimitProblems({ timeLimit: { workdays: 5 }, linkedItems: items })).toEqual([]);
    expect(timeLimitProblems({ linkedItems: items })).toEqual([]);
    expect(timeLimitProblems({ timeLimit: { workdays: 2 }, linkedItems: items }).map((p) => p.field)).toEqual(['linkedItems.a.timeLimit']);
    expect(timeLimitProblems({ timeLimit: { workdays: 0 }, linkedItems: [] }).map((p) => p.field)).toEqual(['timeLimit.workdays']);
    expect(timeLimitProblems({ timeLimit: { workdays: 5, warnWorkdays: 5 }, linkedItems: [] }).map((p) => p.field)).toEqual(['timeLimit.warnWorkdays']);
    expect(timeLimitProblems({ linkedItems: [{ ...items[0]!, timeLimit: { workdays: 1.5 } }] }).map((p) => p.field)).toEqual(['linkedItems.a.timeLimit']);
  });
});

describe('deadline counts per matter', () => {
  it('should count the open cases 即将超期 and 超期, leaving out ended, paused and unlimited ones', async () => {
    const { deadlineCounts } = await import('@lianban/runtime');
    const now = at('2026-12-03T09:00:00+08:00'); // Thursday
    const counts = deadlineCounts([
      { matter: '退休', status: 'in-progress', deadline: { dueAt: '2026-12-02T09:00:00Z' } }, // overdue
      { matter: '退休', status: 'in-progress', deadline: { dueAt: '2026-12-07T09:00:00Z' } }, // Mon: 2 working days left → soon
      { matter: '退休', status: 'needs-applicant', deadline: { dueAt: '2026-12-08T09:00:00Z' } }, // 3 left → fine
      { matter: '退休', status: 'in-progress', deadline: { dueAt: '2026-12-08T09:00:00Z', warnWorkdays: 3 } }, // its own warning → soon
      { matter: '退休', status: 'suspended', deadline: { dueAt: '2026-12-01T09:00:00Z' } }, // paused
      { matter: '退休', status: 'completed', deadline: { dueAt: '2026-12-01T09:00:00Z' } }, // ended
      { matter: '退休', status: 'in-progress' }, // no limit
      { matter: '医保', status: 'in-progress', deadline: { dueAt: '2026-12-01T09:00:00Z' }, paused: true },
    ], now);
    expect(counts).toEqual([
      { matter: '医保', withDeadline: 1, soon: 0, overdue: 0, paused: 1 },
      { matter: '退休', withDeadline: 5, soon: 2, overdue: 1, paused: 1 },
    ]);
  });
});
