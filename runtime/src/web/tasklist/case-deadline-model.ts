/**
 * The tasklist's view of each task's case deadline (承诺时限, docs/deadlines.md): the tag's kind
 * for an open task, a filter (超期 / 即将超期 / 暂停计时 / 无时限) and a sort by the case due date.
 * Pure; the counts of the dashboard are in dashboard-deadlines.ts.
 */
import type { Task } from '../api/index';
import { deadlineTagOf } from '../case/DeadlineTag';

export type CaseDueFilter = 'all' | 'overdue' | 'soon' | 'paused' | 'none';
export type CaseDueKind = 'overdue' | 'soon' | 'ok' | 'paused' | 'none';

const isOpen = (t: Task) => t.state === 'open' || t.state === 'claimed';

/** Where the task's case stands against its deadline (`none`: no limit, or the task is finished). */
export function caseDueKind(task: Task, now = new Date()): CaseDueKind {
  if (!task.caseDueAt || !isOpen(task)) return 'none';
  const kind = deadlineTagOf({ dueAt: task.caseDueAt, paused: task.caseClockPaused, now }).kind;
  return kind === 'overdue' || kind === 'soon' || kind === 'paused' ? kind : 'ok';
}

/** The tasks whose case matches the deadline filter. */
export function filterByCaseDue(tasks: Task[], filter: CaseDueFilter, now = new Date()): Task[] {
  if (filter === 'all') return tasks;
  return tasks.filter((t) => caseDueKind(t, now) === filter);
}

/** Sorted by the case due date (cases without one last), keeping the given order among equals. */
export function sortByCaseDue(tasks: Task[], order: 'asc' | 'desc'): Task[] {
  const due = (t: Task) => (t.caseDueAt ? +new Date(t.caseDueAt) : Infinity);
  const sign = order === 'asc' ? 1 : -1;
  return tasks.map((t, i) => ({ t, i })).sort((a, b) => {
    const da = due(a.t);
    const db = due(b.t);
    if (da === db) return a.i - b.i;
    if (da === Infinity) return 1;
    if (db === Infinity) return -1;
    return sign * (da - db);
  }).map((x) => x.t);
}
