/** Chinese labels and colours for case, item and task states, outcomes and departments. */
import { tOr } from '../i18n';

export const caseStatusLabel = (s: string) => tOr(`status.${s}`, s);
export const itemStatusLabel = (s: string) => tOr(`item.${s}`, s);
export const taskStateLabel = (s: string) => tOr(`task.${s}`, s);
export const outcomeLabel = (o: string) => tOr(`outcome.${o}`, o);
export const departmentLabel = (d: string) => tOr(`dept.${d}`, d);
export const timelineLabel = (action: string) => MOVE_TIMELINE[action] ?? tOr(`timeline.${action}`, action);

/** The office moves' timeline actions (docs/office-moves.md). */
const MOVE_TIMELINE: Record<string, string> = {
  'task.transferred': '转办', 'task.delegated': '委派', 'task.delegate-resolved': '被委派人办理完毕，交回委派人',
  'task.signers-added': '加签', 'task.held': '已办理，等待加签人审批', 'countersign.approved': '加签人同意',
  'countersign.rejected': '加签人不同意，退回经办人', 'case.cc': '抄送', 'task.reminded': '催办',
};

/** 加签 modes. */
export const countersignModeLabel = (m: string) => ({ before: '前加签', after: '后加签', parallel: '并行加签' } as Record<string, string>)[m] ?? m;

const CASE_COLORS: Record<string, string> = {
  draft: 'default', submitted: 'blue', 'in-progress': 'processing', 'needs-applicant': 'warning',
  completed: 'success', rejected: 'error', withdrawn: 'default',
};
const ITEM_COLORS: Record<string, string> = {
  requested: 'blue', 'in-progress': 'processing', done: 'success', standalone: 'purple', 'not-applicable': 'default',
};

export const caseStatusColor = (s: string) => CASE_COLORS[s] ?? 'default';
export const itemStatusColor = (s: string) => ITEM_COLORS[s] ?? 'default';

/** `2026-11-21 09:30` in local time. */
export function formatTime(at: string | Date | null | undefined): string {
  if (!at) return '';
  const d = new Date(at);
  if (Number.isNaN(+d)) return '';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}
