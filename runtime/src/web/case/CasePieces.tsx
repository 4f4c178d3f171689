/** Small shared views of a case: status tag, linked items, history, promised materials. */
import { Alert, Grid, List, Table, Tag, Timeline } from 'antd';
import type { CaseItem, TimelineEntry, UploadEntry } from '../api/index';
import { t, tOr } from '../i18n';
import {
  caseStatusColor, caseStatusLabel, departmentLabel, formatTime, itemStatusColor, itemStatusLabel, timelineLabel,
} from './labels';
import { ItemResult } from './ItemResult';
import './case.css';

export function CaseStatusTag({ status }: { status: string }) {
  return <Tag color={caseStatusColor(status)} data-status={status}>{caseStatusLabel(status)}</Tag>;
}

export function ItemStatusTag({ status }: { status: string }) {
  return <Tag color={itemStatusColor(status)} data-status={status}>{itemStatusLabel(status)}</Tag>;
}

/** The linked items of a case with their department and status. */
export function ItemsTable({ items }: { items: CaseItem[] }) {
  // on a phone the 办理结果 stands under the item's name (its own column would be off-screen)
  const narrow = !Grid.useBreakpoint().md;
  const results = items.some((i) => i.resultFields?.length);
  // Scrolls sideways on a narrow screen: focusable so it scrolls by keyboard too.
  return (
    <div className="lb-items-scroll" tabIndex={0} role="region" aria-label={t('case.items')}>
    <Table<CaseItem>
      className="lb-items"
      size="small"
      rowKey="key"
      pagination={false}
      dataSource={items}
      onRow={(item) => ({ 'data-item': item.key } as React.HTMLAttributes<HTMLElement>)}
      columns={[
        {
          title: t('case.item'), dataIndex: 'title', render: (title: string, item: CaseItem) => (
            <>{title}{narrow && item.resultFields?.length ? <div className="lb-item-result-inline"><ItemResult item={item} /></div> : null}</>
          ),
        },
        { title: t('case.department'), dataIndex: 'department', render: (d: string) => departmentLabel(d), responsive: ['sm'] },
        { title: t('case.itemStatus'), dataIndex: 'status', render: (s: string) => <ItemStatusTag status={s} /> },
        // the declared results (办理结果) once recorded: shown only when some item has one
        // each item's own 办理时限, when the matter declares one (docs/deadlines.md)
        ...(items.some((i) => i.deadline) ? [{ title: '办理时限', key: 'deadline', render: (_: unknown, item: CaseItem) => (item.deadline ? <span data-testid="item-deadline">{item.deadline.workdays} 个工作日 · {formatTime(item.deadline.dueAt)} 前</span> : null) }] : []),
        ...(results && !narrow ? [{ title: t('case.itemResult'), key: 'result', render: (_: unknown, item: CaseItem) => <ItemResult item={item} /> }] : []),
      ]}
    />
    </div>
  );
}

/** The detail of a history entry in words: outcomes and departments get their Chinese labels. */
function detailText(e: TimelineEntry): string {
  const d = e.detail;
  if (d === undefined || d === null) return '';
  if (typeof d !== 'string') return JSON.stringify(d);
  if (e.action === 'pushed') return departmentLabel(d);
  if (e.action === 'task.completed' || e.action === 'task.held') {
    // a held completion's outcome is the one intended, pending the added signer (拟办结, not 办结)
    const intended = e.action === 'task.held' ? t('timeline.intended') : '';
    return d.split(' · ').map((part) => { const label = tOr(`outcome.${part}`, ''); return label ? `${intended}${label}` : part; }).join(' · ');
  }
  return d;
}

/** The case history, newest first. */
export function CaseTimeline({ entries, people = {} }: { entries: TimelineEntry[]; people?: Record<string, string> }) {
  // newest first; entries of one moment newest first too (the later recorded above)
  const sorted = entries.map((e, i) => [e, i] as const).sort(([a, i], [b, j]) => +new Date(b.at) - +new Date(a.at) || j - i).map(([e]) => e);
  // Scrolls when long: focusable so it scrolls by keyboard too.
  return (
    <div className="lb-timeline-scroll" tabIndex={0} role="region" aria-label={t('case.timeline')}>
    <Timeline
      className="lb-timeline"
      items={sorted.map((e) => ({
        color: e.action.startsWith('case.completed') ? 'green' : e.action === 'incident' ? 'red' : 'blue',
        children: (
          <div>
            <div><strong>{timelineLabel(e.action)}</strong> {detailText(e)}</div>
            <div className="lb-muted">{formatTime(e.at)} · {e.actor === 'system' ? '系统' : people[e.actor] ?? e.actor}</div>
          </div>
        ),
      }))}
    />
    </div>
  );
}

/** Materials promised under 容缺受理, with the reminder to hand them in. */
export function PromisedMaterials({ entries }: { entries: UploadEntry[] }) {
  if (!entries.length) return null;
  return (
    <Alert
      type="warning"
      showIcon
      className="lb-promised"
      message={t('case.promised')}
      description={(
        <>
          <List size="small" dataSource={entries} renderItem={(e) => <List.Item>{e.name}</List.Item>} />
          <div>{t('case.promisedNote')}</div>
        </>
      )}
    />
  );
}
