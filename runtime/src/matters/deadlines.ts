/**
 * Deadlines of a whole matter (承诺时限) and of its linked items, in official working days
 * (the platform's calendar, engine/calendar.ts: chinese-days with 调休 and the province's
 * entered years): the declared limits' publish checks, and the one computation of a
 * due date from the 受理 moment, the limit and the working days the case clock stood still.
 * Pure; the server stores the results on the case, the tasklist and case views show them.
 *
 *   timeLimitProblems(matter)                                  // PublishProblem[]
 *   deadlineDue(submittedAt, 20, pausedWorkdays)               // Date: 17:00 China time of the 20th working day after
 *   pausedWorkdays(pausedAt, resumedAt)                        // working days a pause cost
 *   deadlineStatus(dueAt, now)                                 // { overdue, workdaysLeft, daysOverdue }
 *   deadlineCounts(cases, now)                                 // per matter: 即将超期, 超期 (dashboard, GET /admin/stats)
 */
import { findWorkday, isWorkday, workdaysInRange } from '../engine/calendar';
import type { MatterShape, PublishProblem } from './types';

/** The longest limit a matter or item may declare (working days): about a year and a half. */
export const MAX_TIME_LIMIT_WORKDAYS = 365;
/** Warning before expiry when the matter sets none (working days). */
export const DEFAULT_WARN_WORKDAYS = 2;
/** Due dates fall at the close of the office day, China time. */
const CLOSE_OF_DAY = 'T17:00:00+08:00';
const CHINA_OFFSET_MS = 8 * 3600_000;

/** The China calendar date (YYYY-MM-DD) of an instant. */
export function chinaDate(at: Date): string {
  return new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

const isWholeIn = (n: unknown, min: number, max: number): n is number => typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max;

/** Problems of a matter's declared limits: whole working days, items within the matter's, the warning before the end. */
export function timeLimitProblems(matter: Pick<MatterShape, 'timeLimit' | 'linkedItems'>): PublishProblem[] {
  const problems: PublishProblem[] = [];
  const limit = matter.timeLimit;
  if (limit) {
    if (!isWholeIn(limit.workdays, 1, MAX_TIME_LIMIT_WORKDAYS)) {
      problems.push({ field: 'timeLimit.workdays', message: `事项的承诺时限须为 1–${MAX_TIME_LIMIT_WORKDAYS} 个工作日的整数` });
    } else if (limit.warnWorkdays !== undefined && !isWholeIn(limit.warnWorkdays, 0, limit.workdays - 1)) {
      problems.push({ field: 'timeLimit.warnWorkdays', message: `到期预警须为 0–${limit.workdays - 1} 个工作日的整数（小于承诺时限）` });
    }
  }
  for (const item of matter.linkedItems) {
    if (!item.timeLimit) continue;
    const field = `linkedItems.${item.key}.timeLimit`;
    if (!isWholeIn(item.timeLimit.workdays, 1, MAX_TIME_LIMIT_WORKDAYS)) {
      problems.push({ field, message: `关联事项「${item.title}」的办理时限须为 1–${MAX_TIME_LIMIT_WORKDAYS} 个工作日的整数` });
    } else if (limit && isWholeIn(limit.workdays, 1, MAX_TIME_LIMIT_WORKDAYS) && item.timeLimit.workdays > limit.workdays) {
      problems.push({ field, message: `关联事项「${item.title}」的办理时限（${item.timeLimit.workdays} 个工作日）超过了事项的承诺时限（${limit.workdays} 个工作日）` });
    }
  }
  return problems;
}

/**
 * The due moment of a limit of `workdays` working days counted from the day after `start`
 * (受理), extended by `pausedWorkdays` the clock stood still: 17:00 China time of that working day.
 */
export function deadlineDue(start: Date, workdays: number, pausedWorkdays = 0): Date {
  const n = Math.min(Math.max(0, Math.floor(workdays)) + Math.max(0, Math.floor(pausedWorkdays)), 5000);
  const day = n > 0 ? findWorkday(n, chinaDate(start)) : chinaDate(start);
  return new Date(`${day}${CLOSE_OF_DAY}`);
}

/** The moment `workdays` working days before `due` (the warning): 17:00 China time of that working day. */
export function workdaysBefore(due: Date, workdays: number): Date {
  const n = Math.min(Math.max(0, Math.floor(workdays)), 5000);
  const day = n > 0 ? findWorkday(-n, chinaDate(due)) : chinaDate(due);
  return new Date(`${day}${CLOSE_OF_DAY}`);
}

/**
 * Working days a pause cost: every working day after the day it began, up to and including the
 * day it ended (a pause within one day costs none; one from Friday to Monday costs Monday).
 */
export function pausedWorkdays(pausedAt: Date, resumedAt: Date): number {
  const from = chinaDate(pausedAt);
  const to = chinaDate(resumedAt);
  if (to <= from) return 0;
  return countWorkdays(from, to) - (isWorkday(from) ? 1 : 0);
}

/** Working days from `from` to `to` (YYYY-MM-DD), both included; 0 when `to` is before `from`. */
function countWorkdays(from: string, to: string): number {
  if (to < from) return 0;
  return workdaysInRange(from, to).length;
}

export interface DeadlineStatus {
  overdue: boolean;
  /** Working days left after today until the due day (0: due today); 0 once overdue. */
  workdaysLeft: number;
  /** Calendar days since the due day, at least 1 once overdue (0 while not). */
  daysOverdue: number;
}

/** Where a due date stands at `now`. */
export function deadlineStatus(dueAt: Date | string, now: Date): DeadlineStatus {
  const due = new Date(dueAt);
  if (now.getTime() > due.getTime()) {
    // calendar days from the due day to today (China dates); the evening of the due day counts as 1
    const days = Math.max(1, Math.round((Date.parse(chinaDate(now)) - Date.parse(chinaDate(due))) / 86_400_000));
    return { overdue: true, workdaysLeft: 0, daysOverdue: days };
  }
  const today = chinaDate(now);
  const dueDay = chinaDate(due);
  const left = dueDay > today ? countWorkdays(today, dueDay) - (isWorkday(today) ? 1 : 0) : 0;
  return { overdue: false, workdaysLeft: Math.max(0, left), daysOverdue: 0 };
}

/** The Chinese label of a due date: 剩余 N 个工作日 / 今日到期 / 已超期 N 天. */
export function deadlineLabel(s: DeadlineStatus): string {
  if (s.overdue) return `已超期 ${s.daysOverdue} 天`;
  return s.workdaysLeft === 0 ? '今日到期' : `剩余 ${s.workdaysLeft} 个工作日`;
}

/** A case as the deadline counts need it (a stored case, or its `GET /cases/:id` view). */
export interface DeadlineCase {
  /** The matter key or title: the counts are grouped by it. */
  matter: string;
  status: string;
  deadline?: { dueAt: Date | string; warnWorkdays?: number } | null;
  /** The case clock stands still (补正, 挂起): neither 即将超期 nor 超期 until it runs again. */
  paused?: boolean;
}

/** 即将超期 and 超期 open cases of one matter (and how many open cases have a deadline at all). */
export interface MatterDeadlineCounts { matter: string; withDeadline: number; soon: number; overdue: number; paused: number }

const ENDED_STATUSES = new Set(['draft', 'completed', 'rejected', 'withdrawn', 'cancelled']);

/**
 * Per matter, the open cases with a 承诺时限 that are 即将超期 (within their warning, default 2
 * working days, including 今日到期) and 超期 at `now`; paused ones are counted apart. The
 * dashboard and the server's statistics (`GET /admin/stats`) count with this one function.
 */
export function deadlineCounts(cases: Iterable<DeadlineCase>, now: Date): MatterDeadlineCounts[] {
  const byMatter = new Map<string, MatterDeadlineCounts>();
  for (const c of cases) {
    if (!c.deadline || ENDED_STATUSES.has(c.status)) continue;
    const row = byMatter.get(c.matter) ?? { matter: c.matter, withDeadline: 0, soon: 0, overdue: 0, paused: 0 };
    byMatter.set(c.matter, row);
    row.withDeadline++;
    if (c.paused || c.status === 'suspended' || c.status === 'needs-correction') { row.paused++; continue; }
    const s = deadlineStatus(c.deadline.dueAt, now);
    if (s.overdue) row.overdue++;
    else if (s.workdaysLeft <= (c.deadline.warnWorkdays ?? DEFAULT_WARN_WORKDAYS)) row.soon++;
  }
  return [...byMatter.values()].sort((a, b) => (a.matter < b.matter ? -1 : a.matter > b.matter ? 1 : 0));
}
