/** Exports the filtered tasks to an .xlsx file with exceljs (loaded only when asked). */
import type { Task } from '../api/index';
import { departmentLabel, formatTime, taskStateLabel } from '../case/labels';
import { deadlineTagOf } from '../case/DeadlineTag';
import { slaOf } from './queue-model';

const SLA_TEXT = { overdue: '已超期', soon: '24小时内到期', ok: '', none: '' } as const;

/** The case's 承诺时限 as the tasklist's tag says it (open tasks only), e.g. 「剩 3 个工作日」「暂停计时」. */
function caseDueText(t: Task): string {
  if (!t.caseDueAt || (t.state !== 'open' && t.state !== 'claimed')) return '';
  return deadlineTagOf({ dueAt: t.caseDueAt, paused: t.caseClockPaused }).text;
}

/** Builds the workbook and hands it to the browser as a download. */
export async function exportTasks(tasks: Task[], fileName = `待办清单-${new Date().toISOString().slice(0, 10)}.xlsx`): Promise<void> {
  const { default: ExcelJS } = await import('exceljs');
  const book = new ExcelJS.Workbook();
  book.creator = '联办';
  const sheet = book.addWorksheet('待办');
  sheet.columns = [
    { header: '办件编号', key: 'caseNo', width: 18 },
    { header: '事项', key: 'matter', width: 28 },
    { header: '环节', key: 'name', width: 30 },
    { header: '部门', key: 'department', width: 14 },
    { header: '申请人', key: 'applicant', width: 12 },
    { header: '状态', key: 'state', width: 10 },
    { header: '认领人', key: 'claimedBy', width: 16 },
    { header: '办理时限', key: 'dueAt', width: 18 },
    { header: '时限提醒', key: 'sla', width: 14 },
    { header: '承诺时限', key: 'caseDueAt', width: 18 },
    { header: '承诺时限状态', key: 'caseDue', width: 18 },
    { header: '创建时间', key: 'createdAt', width: 18 },
    { header: '办理结果', key: 'result', width: 48 },
  ];
  sheet.getRow(1).font = { bold: true };
  for (const t of tasks) {
    sheet.addRow({
      caseNo: t.caseNo, matter: t.matterTitle ?? t.matter, name: t.name, department: departmentLabel(t.department),
      applicant: t.applicantName ?? '', state: taskStateLabel(t.state), claimedBy: t.claimedByName ?? t.claimedBy ?? '',
      dueAt: formatTime(t.dueAt), sla: SLA_TEXT[slaOf(t)], caseDueAt: formatTime(t.caseDueAt), caseDue: caseDueText(t), createdAt: formatTime(t.createdAt), result: t.itemResult ?? '',
    });
  }
  const buffer = await book.xlsx.writeBuffer();
  const url = URL.createObjectURL(new Blob([buffer], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
