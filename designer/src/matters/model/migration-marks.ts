/**
 * The migration preview (issue #21, docs/migration.md) as marks on the two diagrams: for one case
 * or for all, which elements of the old version the cases stand on now (`before`), which elements
 * of the new version they would stand on after (`after`), how many cases each, the tasks there
 * (name · department by name · due date) and the problems. Pure: the diagram component
 * (MigrationDiagram.tsx) draws what this returns.
 *
 *   const marks = migrationMarks(preview, { caseId, departments, onBefore: (id) => …, onAfter: (id) => … });
 *   marks.before['Task_approval']   // { cases: 2, details: ['企业职工退休审批 · 人社局'], problems: [], problemCases: 0 }
 */
import type { MigrationPreview, MigrationPreviewCase, MigrationStand } from '@lianban/runtime/contract';

export interface ElementMark {
  /** Cases standing on the element. */
  cases: number;
  /** Distinct lines for the tooltip: the task's name and department, a timer's due date. */
  details: string[];
  /** Distinct problem messages of the element. */
  problems: string[];
  /** Cases with a problem on the element. */
  problemCases: number;
}

export interface MigrationMarks {
  /** Old version's element id → mark (where the cases stand now). */
  before: Record<string, ElementMark>;
  /** New version's element id → mark (where they would stand after, and the problems). */
  after: Record<string, ElementMark>;
  /** Problems on no element of either diagram (a form field, a suspended case), distinct. */
  general: string[];
  /** Cases shown. */
  cases: number;
}

export interface MarkOptions {
  /** One case (its id), or every case of the preview. */
  caseId?: string | null;
  /** Department key → the city's department name. */
  departments: Record<string, string>;
  /** Whether the old / new diagram has an element of this id. */
  onBefore: (id: string) => boolean;
  onAfter: (id: string) => boolean;
}

/** At most this many distinct lines per element, and general problems, are kept. */
export const MAX_MARK_LINES = 8;

/** A department key as people read it: the city's name for it (申请人 for the applicant's own tasks). */
export function departmentName(key: string | undefined, departments: Record<string, string>): string | undefined {
  if (!key) return undefined;
  if (key === 'applicant') return '申请人';
  return departments[key] ?? key;
}

function addLine(lines: string[], line: string): void {
  if (lines.length < MAX_MARK_LINES && !lines.includes(line)) lines.push(line);
}

function markOf(marks: Record<string, ElementMark>, id: string): ElementMark {
  return (marks[id] ??= { cases: 0, details: [], problems: [], problemCases: 0 });
}

/** One case's stand onto `marks`: each element it stands on counted once, with its tasks and timers. */
function addStand(marks: Record<string, ElementMark>, stand: MigrationStand, has: (id: string) => boolean, departments: Record<string, string>, withDates: boolean): void {
  const here = new Set<string>();
  for (const id of stand.elements) if (has(id)) here.add(id);
  for (const t of stand.tasks) {
    if (!has(t.element)) continue;
    here.add(t.element);
    const dept = departmentName(t.groups?.[0] ?? t.department, departments);
    const due = withDates && t.dueAt ? `限 ${t.dueAt.slice(0, 10)}` : undefined;
    addLine(markOf(marks, t.element).details, [t.name ?? t.element, dept, due].filter(Boolean).join(' · '));
  }
  for (const t of stand.timers) {
    const on = t.attachedTo && has(t.attachedTo) ? t.attachedTo : has(t.element) ? t.element : undefined;
    if (!on) continue;
    addLine(markOf(marks, on).details, withDates && t.dueAt ? `定时 ${t.dueAt.slice(0, 10)}` : '定时');
  }
  for (const id of here) markOf(marks, id).cases++;
}

/** The preview's cases (one or all) as per-element marks on the old and the new diagram. */
export function migrationMarks(preview: Pick<MigrationPreview, 'cases'>, options: MarkOptions): MigrationMarks {
  const shown: MigrationPreviewCase[] = options.caseId ? preview.cases.filter((c) => c.id === options.caseId) : preview.cases;
  const single = shown.length === 1;
  const out: MigrationMarks = { before: {}, after: {}, general: [], cases: shown.length };
  for (const c of shown) {
    addStand(out.before, c.before, options.onBefore, options.departments, single);
    addStand(out.after, c.after, options.onAfter, options.departments, single);
    const hit = { before: new Set<string>(), after: new Set<string>() };
    for (const p of c.problems) {
      const el = p.element;
      // no-counterpart names the old element; the rest the new one (a field path is on neither)
      const side = !el ? undefined
        : p.code === 'no-counterpart' && options.onBefore(el) ? 'before'
          : options.onAfter(el) ? 'after' : options.onBefore(el) ? 'before' : undefined;
      if (!side || !el) {
        addLine(out.general, single ? p.message : `${c.no ?? c.id}：${p.message}`);
        continue;
      }
      addLine(markOf(out[side], el).problems, p.message);
      hit[side].add(el);
    }
    for (const side of ['before', 'after'] as const) for (const el of hit[side]) out[side][el]!.problemCases++;
  }
  return out;
}

/** The badge on an element: 「现在」/「迁移后」 for one case, 「3 件」 for all. */
export function badgeText(mark: ElementMark, side: 'before' | 'after', single: boolean): string | undefined {
  if (!mark.cases) return undefined;
  return single ? (side === 'before' ? '现在' : '迁移后') : `${mark.cases} 件`;
}

/** The tooltip of an element: its tasks and its problems, one per line. */
export function tooltipText(name: string | undefined, mark: ElementMark, side: 'before' | 'after', single: boolean): string {
  const head = `${name ?? ''}${mark.cases ? `：${single ? (side === 'before' ? '办件现在在此' : '迁移后在此') : `${mark.cases} 件${side === 'before' ? '现在在此' : '迁移后在此'}`}` : ''}`;
  const problems = mark.problems.map((p) => `问题：${p}`);
  return [head, ...mark.details, ...(mark.problemCases && !single ? [`${mark.problemCases} 件有问题`] : []), ...problems].filter(Boolean).join('\n');
}
