/** Chinese labels and colours for case, item and task states, outcomes and departments. */
import { currentLang, tOr } from '../i18n';

/** The signed-in city's departments by the names its administrator gave them (`GET /me`). */
const cityDepartments = new Map<string, string>();

/** Takes the city's department names (the session does, at sign-in). */
export function setCityDepartments(departments: readonly { key: string; name: string }[] = []): void {
  cityDepartments.clear();
  for (const d of departments) cityDepartments.set(d.key, d.name);
}

/** Office moves (docs/office-moves.md): their statuses and timeline actions. */
const MOVE_LABELS: Record<string, string> = {
  'status.needs-correction': '待补正',
  'timeline.task.returned': '退回',
  'timeline.case.correction-requested': '退回申请人补正',
  'timeline.case.resubmitted': '提交补正',
  'timeline.task.reopened': '重新办理',
  'timeline.case.moved': '管理员调整流程',
  'status.suspended': '已挂起', 'status.cancelled': '已终止',
  'timeline.task.recalled': '撤回办理', 'timeline.case.withdrawn': '撤回申请', 'timeline.case.cancelled': '终止办件',
  'timeline.document.issued': '出具文书',
  'timeline.case.suspended': '挂起', 'timeline.case.resumed': '恢复办理', 'timeline.incident.retried': '重试异常环节',
};
const moveLabel = (key: string, fallback: string) => tOr(key, MOVE_LABELS[key] ?? fallback);

export const caseStatusLabel = (s: string) => moveLabel(`status.${s}`, s);
export const itemStatusLabel = (s: string) => tOr(`item.${s}`, s);
export const taskStateLabel = (s: string) => tOr(`task.${s}`, s);
export const outcomeLabel = (o: string) => tOr(`outcome.${o}`, o);
/** A department's name: the city's own (in Chinese), else the built-in label, else its key. */
export const departmentLabel = (d: string) => {
  const city = cityDepartments.get(d);
  return city && currentLang() === 'zh' ? city : tOr(`dept.${d}`, city ?? d);
};
export const timelineLabel = (action: string) => MOVE_TIMELINE[action] ?? moveLabel(`timeline.${action}`, action);

/** The office moves' timeline actions (docs/office-moves.md). */
const MOVE_TIMELINE: Record<string, string> = {
  'task.transferred': '转办', 'task.delegated': '委派', 'task.delegate-resolved': '被委派人办理完毕，交回委派人',
  'task.signers-added': '加签', 'task.held': '已办理，等待加签人审批', 'countersign.approved': '加签人同意',
  'countersign.rejected': '加签人不同意，退回经办人', 'case.cc': '抄送', 'task.reminded': '催办',
};

/** 加签 modes. */
export const countersignModeLabel = (m: string) => ({ before: '前加签', after: '后加签', parallel: '并行加签' } as Record<string, string>)[m] ?? m;

const CASE_COLORS: Record<string, string> = {
  draft: 'default', submitted: 'blue', 'in-progress': 'processing', 'needs-applicant': 'warning', 'needs-correction': 'warning',
  completed: 'success', rejected: 'error', withdrawn: 'default', suspended: 'warning', cancelled: 'default',
};
const ITEM_COLORS: Record<string, string> = {
  requested: 'blue', 'in-progress': 'processing', done: 'success', standalone: 'purple', 'not-applicable': 'default', rejected: 'error', withdrawn: 'default', cancelled: 'default',
};

export const caseStatusColor = (s: string) => CASE_COLORS[s] ?? 'default';
export const itemStatusColor = (s: string) => ITEM_COLORS[s] ?? 'default';

/**
 * `2026-11-21 09:30`, in China time whatever the browser's zone: the platform's dates (deadlines,
 * working days, the documents it issues) are China's, so the screen shows the times the printed
 * receipt shows. One format for the portal, the tasklist and the designer.
 */
export function formatTime(at: string | Date | null | undefined): string {
  if (!at) return '';
  const ms = +new Date(at);
  if (Number.isNaN(ms)) return '';
  // China has kept UTC+8 all year since 1992
  const d = new Date(ms + 8 * 3_600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}
