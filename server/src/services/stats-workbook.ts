/**
 * The statistics as an Excel workbook (`GET /admin/stats.xlsx`): one sheet per table of
 * `CaseStats`, Chinese headers, durations in hours (2 decimals), rates as percentages.
 */
import ExcelJS from 'exceljs';
import type { CaseStats, EvaluationFigures } from '@lianban/runtime/contract';

const STATUS: Record<string, string> = {
  submitted: '已提交', 'in-progress': '办理中', 'needs-applicant': '待申请人处理', 'needs-correction': '待补正',
  completed: '已办结', rejected: '不予受理', withdrawn: '已撤回', suspended: '已挂起', cancelled: '已作废', draft: '草稿',
};
const hours = (ms: number) => Math.round((ms / 3_600_000) * 100) / 100;
const statusLabel = (s: string) => STATUS[s] ?? s;

function sheet(wb: ExcelJS.Workbook, name: string, header: string[], rows: (string | number | null)[][]) {
  const ws = wb.addWorksheet(name);
  ws.addRow(header).font = { bold: true };
  for (const r of rows) ws.addRow(r);
  ws.columns.forEach((c, i) => { c.width = Math.max(10, ...[header[i] ?? '', ...rows.map((r) => String(r[i] ?? ''))].map((v) => v.length * 2)); });
  return ws;
}
const evalCells = (e: EvaluationFigures) => [e.count, e.average, ...e.distribution];
const EVAL_HEADER = ['评价数', '平均分', '1分', '2分', '3分', '4分', '5分'];

/** `departments` names department keys (the city's department names). */
export async function statsWorkbook(stats: CaseStats, departments: Record<string, string>, cityName: string): Promise<Buffer> {
  const dept = (k: string) => departments[k] ?? k;
  const wb = new ExcelJS.Workbook();
  wb.creator = '联办';
  wb.created = new Date(stats.generatedAt);
  const statuses = [...new Set([...Object.keys(stats.byStatus), ...stats.byMatter.flatMap((m) => Object.keys(m.byStatus))])].sort();
  sheet(wb, '概览', ['指标', '数值'], [
    ['城市', cityName], ['统计区间起', stats.from], ['统计区间止（不含）', stats.to], ['事项', stats.matter ?? '全部'],
    ['收件数', stats.received], ['网上申请', stats.byChannel.online], ['窗口收件', stats.byChannel.window],
    ...statuses.map((s) => [`状态：${statusLabel(s)}`, stats.byStatus[s] ?? 0]),
    ['补正办件数', stats.corrections.cases], ['补正率', stats.corrections.rate],
    ['在办部门待办', stats.deadlines.open], ['超期', stats.deadlines.overdue], ['即将超期（24小时内）', stats.deadlines.dueSoon],
    ['评价数', stats.evaluations.overall.count], ['平均分', stats.evaluations.overall.average],
    ['生成时间', stats.generatedAt],
  ]).getColumn(2).numFmt = '';
  sheet(wb, '按事项', ['事项编码', '事项', '收件数', ...statuses.map(statusLabel)],
    stats.byMatter.map((m) => [m.key, m.title, m.received, ...statuses.map((s) => m.byStatus[s] ?? 0)]));
  const itemStatuses = [...new Set(stats.items.flatMap((i) => Object.keys(i.byStatus)))].sort();
  sheet(wb, '联办事项', ['事项编码', '联办事项', '部门', '合计', ...itemStatuses],
    stats.items.map((i) => [i.key, i.title, dept(i.department), i.total, ...itemStatuses.map((s) => i.byStatus[s] ?? 0)]));
  sheet(wb, '环节用时', ['环节', '名称', '部门', '办结任务数', '中位数（小时）', 'P90（小时）'],
    stats.steps.map((s) => [s.elementId, s.name, dept(s.department), s.count, hours(s.medianMs), hours(s.p90Ms)]));
  sheet(wb, '部门用时', ['部门', '办结任务数', '中位数（小时）', 'P90（小时）'],
    stats.departments.map((d) => [dept(d.department), d.count, hours(d.medianMs), hours(d.p90Ms)]));
  sheet(wb, '超期', ['部门', '在办', '超期', '即将超期'],
    stats.deadlines.byDepartment.map((d) => [dept(d.department), d.open, d.overdue, d.dueSoon]));
  sheet(wb, '好差评', ['维度', '名称', ...EVAL_HEADER], [
    ['全部', '全部', ...evalCells(stats.evaluations.overall)],
    ...stats.evaluations.byMatter.map((m) => ['事项', m.title, ...evalCells(m)]),
    ...stats.evaluations.byItem.map((m) => ['联办事项', m.title, ...evalCells(m)]),
    ...stats.evaluations.byDepartment.map((m) => ['部门', dept(m.department), ...evalCells(m)]),
  ]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
