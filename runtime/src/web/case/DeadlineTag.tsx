/**
 * A case's (or item's) deadline as people read it: 剩余 N 个工作日 (blue; orange within the
 * warning), 今日到期, 已超期 N 天 (red), 暂停计时 while 补正/挂起 stop the clock, and for an
 * ended case whether it ended in time. Working days on the official calendar (runtime
 * matters/deadlines.ts), the same count the server's warnings use.
 */
import { Tag, Tooltip } from 'antd';
import { DEFAULT_WARN_WORKDAYS, deadlineLabel, deadlineStatus } from '@lianban/runtime';
import type { CaseView } from '../api/index';
import type { CaseHeadRow } from './CaseProgress';
import { formatTime } from './labels';

export interface DeadlineTagProps {
  dueAt: string | Date;
  /** The case clock stands still (补正, 挂起). */
  paused?: boolean;
  /** The case ended then (its deadline is history). */
  endedAt?: string | Date | null;
  warnWorkdays?: number;
  now?: Date;
}

/** The tag's words and colour (also for sorting and tests). */
export function deadlineTagOf({ dueAt, paused, endedAt, warnWorkdays = DEFAULT_WARN_WORKDAYS, now = new Date() }: DeadlineTagProps): { text: string; color: string; kind: 'ended-in-time' | 'ended-late' | 'paused' | 'overdue' | 'soon' | 'ok' } {
  const due = new Date(dueAt);
  if (endedAt) {
    return new Date(endedAt) <= due ? { text: '按时办结', color: 'green', kind: 'ended-in-time' } : { text: '超期办结', color: 'volcano', kind: 'ended-late' };
  }
  if (paused) return { text: '暂停计时', color: 'default', kind: 'paused' };
  const s = deadlineStatus(due, now);
  if (s.overdue) return { text: deadlineLabel(s), color: 'red', kind: 'overdue' };
  return { text: deadlineLabel(s), color: s.workdaysLeft <= warnWorkdays ? 'orange' : 'blue', kind: s.workdaysLeft <= warnWorkdays ? 'soon' : 'ok' };
}

export function DeadlineTag(props: DeadlineTagProps & { showDate?: boolean }) {
  const tag = deadlineTagOf(props);
  const date = formatTime(props.dueAt);
  return (
    <span className="lb-deadline" data-deadline={tag.kind}>
      {props.showDate ? <span style={{ marginRight: 6 }}>{date}</span> : null}
      <Tooltip title={`承诺办结时间：${date}${props.paused ? '（补正、挂起期间不计时，恢复后顺延）' : ''}`}>
        <Tag color={tag.color} data-testid="deadline-tag">{tag.text}</Tag>
      </Tooltip>
    </span>
  );
}

/** The case head's 承诺时限 line (none when the matter sets no limit). */
export function deadlineRows(view: Pick<CaseView, 'deadline' | 'endedAt'>): CaseHeadRow[] {
  const d = view.deadline;
  if (!d) return [];
  return [{
    label: '承诺时限', testId: 'case-deadline',
    value: (
      <span>
        {d.workdays} 个工作日，{formatTime(d.dueAt)} 前办结{d.pausedWorkdays ? `（补正、挂起已顺延 ${d.pausedWorkdays} 个工作日）` : ''}{' '}
        <DeadlineTag dueAt={d.dueAt} paused={d.paused} endedAt={view.endedAt ?? null} />
      </span>
    ),
  }];
}
