/** Pure queue logic of the staff tasklist: filters, search, SLA, sort and counts. */
import type { Task } from '../api/index';

export type StateFilter = 'open' | 'claimed' | 'done' | 'unfinished' | 'all';
export type DueFilter = 'all' | 'overdue' | 'soon' | 'none';
export type Sla = 'overdue' | 'soon' | 'ok' | 'none';

export interface QueueFilter {
  department?: string;
  q?: string;
  matter?: string;
  state: StateFilter;
  due: DueFilter;
  sort: 'asc' | 'desc';
}

const DAY = 24 * 3600 * 1000;
const isOpen = (t: Task) => t.state === 'open' || t.state === 'claimed';

/** The SLA of a task at `now`: overdue, due within 24 h, fine, or no due date (done tasks: none). */
export function slaOf(task: Task, now = Date.now()): Sla {
  if (!task.dueAt || !isOpen(task)) return 'none';
  const left = +new Date(task.dueAt) - now;
  return left < 0 ? 'overdue' : left <= DAY ? 'soon' : 'ok';
}

function matchesState(t: Task, s: StateFilter): boolean {
  if (s === 'all') return true;
  if (s === 'unfinished') return isOpen(t);
  return t.state === s;
}

function matchesDue(t: Task, d: DueFilter, now: number): boolean {
  if (d === 'all') return true;
  const sla = slaOf(t, now);
  return d === 'none' ? !t.dueAt : sla === d;
}

/** Tasks that pass the filter, sorted by due date (no due date last). */
export function filterTasks(tasks: Task[], f: QueueFilter, now = Date.now()): Task[] {
  const q = f.q?.trim().toLowerCase();
  const out = tasks.filter((t) => (!f.department || t.department === f.department)
    && (!f.matter || t.matter === f.matter)
    && matchesState(t, f.state)
    && matchesDue(t, f.due, now)
    && (!q || t.caseNo?.toLowerCase().includes(q) || (t.applicantName ?? '').toLowerCase().includes(q)));
  const due = (t: Task) => (t.dueAt ? +new Date(t.dueAt) : f.sort === 'asc' ? Infinity : -Infinity);
  return out.sort((a, b) => (f.sort === 'asc' ? due(a) - due(b) : due(b) - due(a)) || +new Date(a.createdAt) - +new Date(b.createdAt));
}

/** Open tasks per department (the queue tabs' counts). */
export function openCounts(tasks: Task[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of tasks) if (isOpen(t)) out[t.department] = (out[t.department] ?? 0) + 1;
  return out;
}

/** Distinct matters in the list, for the matter filter. */
export function mattersOf(tasks: Task[]): { key: string; title: string }[] {
  const seen = new Map<string, string>();
  for (const t of tasks) if (!seen.has(t.matter)) seen.set(t.matter, t.matterTitle ?? t.matter);
  return [...seen].map(([key, title]) => ({ key, title }));
}
