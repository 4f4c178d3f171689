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
      {task.dueAt ? formatTime(task.dueAt) : t('staff.noDue')}
      {sla === 'overdue' ? <Tag color="red" style={{ marginLeft: 6 }}>{t('staff.overdue')}</Tag> : null}
      {sla === 'soon' ? <Tag color="orange" style={{ marginLeft: 6 }}>{t('staff.dueSoon')}</Tag> : null}
    </span>
  );
}
