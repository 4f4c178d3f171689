/**
 * The city dashboard's figures, computed in the browser from case summaries and case details
 * (no aggregate route on the server yet): cases per matter and status, overdue open tasks per
 * department, average handling time per department (task opened → completed, from the history).
 */
import type { CaseSummary, CaseView } from '../api/index';

export interface DashboardData {
  total: number;
  byMatter: { matters: string[]; statuses: string[]; counts: number[][] };
  openTasks: number;
  overdue: Record<string, number>;
  avgHours: Record<string, number>;
}

/** Cases per matter (rows) and status (columns). */
export function casesByMatter(cases: CaseSummary[]) {
  const matters = [...new Set(cases.map((c) => c.matterTitle ?? c.matter))];
  const statuses = [...new Set(cases.map((c) => c.status))];
  const counts = matters.map((m) => statuses.map((s) => cases.filter((c) => (c.matterTitle ?? c.matter) === m && c.status === s).length));
  return { matters, statuses, counts };
}

/** Overdue open tasks and average handling hours per department over the case details. */
export function taskFigures(views: CaseView[], now = Date.now()) {
  const overdue: Record<string, number> = {};
  const sums: Record<string, { hours: number; n: number }> = {};
  let openTasks = 0;
  for (const v of views) {
    const deptOf = new Map(v.tasks.map((t) => [t.elementId, t.department]));
    for (const t of v.tasks) {
      overdue[t.department] ??= 0;
      if (t.state !== 'open' && t.state !== 'claimed') continue;
      openTasks++;
      if (t.dueAt && +new Date(t.dueAt) < now) overdue[t.department]! += 1;
    }
    const opened = new Map<string, number>();
    const entries = [...v.timeline].sort((a, b) => +new Date(a.at) - +new Date(b.at));
    for (const e of entries) {
      if (!e.elementId) continue;
      if (e.action === 'task.opened') opened.set(e.elementId, +new Date(e.at));
      if (e.action === 'task.completed' && opened.has(e.elementId)) {
        const dept = deptOf.get(e.elementId);
        if (!dept) continue;
        const s = (sums[dept] ??= { hours: 0, n: 0 });
        s.hours += (+new Date(e.at) - opened.get(e.elementId)!) / 3_600_000;
        s.n++;
        opened.delete(e.elementId);
      }
    }
  }
  const avgHours = Object.fromEntries(Object.entries(sums).map(([d, s]) => [d, Math.round((s.hours / s.n) * 100) / 100]));
  return { overdue, avgHours, openTasks };
}

/** Runs `fn` over `items` with at most `limit` at a time. */
export async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
