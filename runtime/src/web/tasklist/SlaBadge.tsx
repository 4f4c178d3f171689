/** Due date with an SLA badge: overdue (red) or due within 24 h (orange). */
import { Tag } from 'antd';
import type { Task } from '../api/index';
import { formatTime } from '../case/labels';
import { t } from '../i18n';
import { slaOf } from './queue-model';

export function SlaBadge({ task }: { task: Task }) {
  const sla = slaOf(task);
  return (
    <span className="lb-due" data-sla={sla}>
      {/* a step without its own time limit: a dash, as the 承诺时限 column shows none (「无时限」 beside 「剩余 20 个工作日」 read as a contradiction) */}
      {task.dueAt ? formatTime(task.dueAt) : <span className="lb-muted" title={t('staff.noDueTitle')}>—</span>}
      {sla === 'overdue' ? <Tag color="red" style={{ marginLeft: 6 }}>{t('staff.overdue')}</Tag> : null}
      {sla === 'soon' ? <Tag color="orange" style={{ marginLeft: 6 }}>{t('staff.dueSoon')}</Tag> : null}
    </span>
  );
}
