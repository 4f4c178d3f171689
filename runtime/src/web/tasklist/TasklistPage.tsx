/**
 * /tasks — the staff tasklist: one queue per department with counts, search by case number or
 * applicant, filters (matter, state, due, the case's 承诺时限), sort by due date or by the case
 * deadline, claim / release, Excel export.
 */
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { App as AntApp, Button, Card, Input, Select, Space, Spin, Table, Tabs, Tag } from 'antd';
import { api, ApiError, type Task } from '../api/index';
import { departmentLabel, taskStateLabel } from '../case/labels';
import { DeadlineTag } from '../case/DeadlineTag';
import { t, tf } from '../i18n';
import { LoadState, Shell, useLoad, useSession } from '../shell/index';
import { filterTasks, mattersOf, openCounts, type QueueFilter } from './queue-model';
import { SlaBadge } from './SlaBadge';
import { filterByCaseDue, sortByCaseDue, type CaseDueFilter } from './case-deadline-model';
import { RecallButton } from './RecallButton';
import { BatchBar } from './TaskMoves';
import './tasklist.css';

/** The selected tasks still in the list (批量处理). */
const shownOf = (tasks: Task[], ids: React.Key[]) => tasks.filter((task) => ids.includes(task.id));

export function TasklistPage() {
  const { me } = useSession();
  const { message } = AntApp.useApp();
  const departments = me?.user.departments ?? [];
  const [filter, setFilter] = useState<QueueFilter>({ department: departments[0], state: 'unfinished', due: 'all', sort: 'asc' });
  // finished tasks are loaded only when the state filter shows them (the open queue alone is the cheap, whole list)
  const history = filter.state === 'done' || filter.state === 'all';
  // a long queue shows its first pages while the rest loads
  const state = useLoad<Task[]>((partial) => api.tasks({ state: history ? 'all' : 'open' }, partial), [history]);
  const tasks = state.data ?? [];
  const [busy, setBusy] = useState<string>();
  const [selectedIds, setSelectedIds] = useState<React.Key[]>([]);
  const selected = useMemo(() => shownOf(tasks, selectedIds), [tasks, selectedIds]);
  // the case's 承诺时限: a filter, and a sort that takes over from the due-date sort when chosen
  const [caseDue, setCaseDue] = useState<{ filter: CaseDueFilter; sort: 'asc' | 'desc' | null }>({ filter: 'all', sort: null });
  const shown = useMemo(() => {
    const list = filterByCaseDue(filterTasks(tasks, filter), caseDue.filter);
    return caseDue.sort ? sortByCaseDue(list, caseDue.sort) : list;
  }, [tasks, filter, caseDue]);
  const counts = openCounts(tasks);
  const set = (patch: Partial<QueueFilter>) => setFilter((f) => ({ ...f, ...patch }));
  const act = async (task: Task, claim: boolean) => {
    setBusy(task.id);
    try {
      const done = await (claim ? api.claim(task.id) : api.unclaim(task.id));
      // the row changes in place: a long queue is not read again for one claim
      const name = me?.user.displayName ?? done.claimedBy ?? undefined;
      state.patch((list) => list.map((x) => (x.id === done.id ? { ...x, state: done.state, claimedBy: done.claimedBy, claimedByName: done.claimedBy ? name : undefined } : x)));
    } catch (e) {
      void message.error(e instanceof ApiError ? e.message : String(e));
      state.reload(); // e.g. a colleague claimed it first: show the queue as it is now
    } finally { setBusy(undefined); }
  };
  const exportNow = async () => {
    const { exportTasks } = await import('./export-excel');
    await exportTasks(shown);
  };
  return (
    <Shell title={t('staff.title')} wide>
      <LoadState state={state} />
      <Tabs
        activeKey={filter.department ?? '*'}
        onChange={(k) => set({ department: k === '*' ? undefined : k })}
        items={[
          ...departments.map((d) => ({ key: d, label: <span data-queue={d}>{departmentLabel(d)} <Tag>{counts[d] ?? 0}</Tag></span> })),
          ...(departments.length > 1 ? [{ key: '*', label: t('staff.all') }] : []),
        ]}
      />
      <Card size="small" className="lb-section-card">
        <Space wrap className="lb-filters">
          <Input.Search allowClear placeholder={t('staff.search')} aria-label={t('staff.search')} onSearch={(q) => set({ q })} onChange={(e) => set({ q: e.target.value })} style={{ width: 240 }} />
          <Select aria-label={t('staff.matter')} style={{ width: 220 }} value={filter.matter ?? ''} onChange={(matter: string) => set({ matter: matter || undefined })}
            options={[{ value: '', label: `${t('staff.matter')}：${t('staff.stateAll')}` }, ...mattersOf(tasks).map((m) => ({ value: m.key, label: m.title }))]} />
          <Select aria-label={t('staff.state')} style={{ width: 130 }} value={filter.state} onChange={(s: QueueFilter['state']) => set({ state: s })}
            options={[
              { value: 'unfinished', label: t('staff.stateOpen') }, { value: 'open', label: t('task.open') },
              { value: 'claimed', label: t('task.claimed') }, { value: 'done', label: t('task.done') }, { value: 'all', label: t('staff.stateAll') },
            ]} />
          <Select aria-label={t('staff.due')} style={{ width: 150 }} value={filter.due} onChange={(d: QueueFilter['due']) => set({ due: d })}
            options={[
              { value: 'all', label: t('staff.dueAll') }, { value: 'overdue', label: t('staff.overdue') },
              { value: 'soon', label: t('staff.dueSoon') }, { value: 'none', label: t('staff.noDue') },
            ]} />
          <Select aria-label="按承诺时限筛选" style={{ width: 150 }} value={caseDue.filter} onChange={(f: CaseDueFilter) => setCaseDue((c) => ({ ...c, filter: f }))}
            options={[
              { value: 'all', label: '承诺时限：全部' }, { value: 'overdue', label: '办件已超期' }, { value: 'soon', label: '办件即将超期' },
              { value: 'paused', label: '暂停计时' }, { value: 'none', label: '无承诺时限' },
            ]} />
          <Button onClick={() => void exportNow()} disabled={!shown.length}>{t('staff.export')}</Button>
          <span className="lb-muted" data-testid="task-count">{tf('staff.count', { n: shown.length })}</span>
          {history && <span className="lb-muted"><span data-testid="history-scope">{t('staff.historyScope')}</span>{t('common.comma')}<Link to="/cases">{t('staff.historyOlder')}</Link></span>}
          {/* the first pages of a long queue, or (reloading) the last whole list while the new one loads */}
          {state.loading && state.data && <span className="lb-muted" data-testid="tasks-loading"><Spin size="small" /> {state.partial ? tf('staff.loadingMore', { n: tasks.length }) : t('staff.refreshing')}</span>}
        </Space>
      </Card>
      <BatchBar selected={selected} onDone={() => { setSelectedIds([]); state.reload(); }} />
      <Table<Task>
        className="lb-task-table"
        rowKey="id"
        rowSelection={{ hideSelectAll: true, selectedRowKeys: selectedIds, onChange: setSelectedIds, getCheckboxProps: (task) => ({ disabled: task.state === 'done' || task.state === 'cancelled', 'aria-label': `选择 ${task.caseNo} ${task.name}` }) }}
        size="middle"
        dataSource={shown}
        scroll={{ x: 'max-content' }}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        onChange={(_p, _f, sorter) => {
          if (Array.isArray(sorter)) return;
          if (sorter.field === 'dueAt') { setCaseDue((c) => ({ ...c, sort: null })); set({ sort: sorter.order === 'descend' ? 'desc' : 'asc' }); }
          if (sorter.field === 'caseDueAt') setCaseDue((c) => ({ ...c, sort: sorter.order === 'descend' ? 'desc' : sorter.order === 'ascend' ? 'asc' : null }));
        }}
        onRow={(task) => ({ 'data-case': task.caseNo, 'data-task': task.name } as React.HTMLAttributes<HTMLElement>)}
        columns={[
          { title: t('case.no'), dataIndex: 'caseNo', render: (no: string, task) => <Link to={`/tasks/${task.id}`}>{no}</Link> },
          { title: t('staff.task'), dataIndex: 'name', render: (name: string, task) => (task.kind === 'countersign' ? <>{name} <Tag color="orange">加签</Tag></> : task.delegation === 'pending' ? <>{name} <Tag color="blue">委派</Tag></> : name) },
          { title: t('case.applicant'), dataIndex: 'applicantName', responsive: ['md'] },
          { title: t('case.matter'), dataIndex: 'matterTitle', ellipsis: true, responsive: ['lg'] },
          { title: t('staff.state'), dataIndex: 'state', render: (s: string) => taskStateLabel(s), responsive: ['sm'] },
          { title: t('staff.due'), dataIndex: 'dueAt', sorter: true, sortOrder: caseDue.sort ? null : filter.sort === 'asc' ? 'ascend' : 'descend', render: (_d, task) => <SlaBadge task={task} /> },
          {
            title: '承诺时限', dataIndex: 'caseDueAt', sorter: true, responsive: ['md'], sortOrder: caseDue.sort === 'asc' ? 'ascend' : caseDue.sort === 'desc' ? 'descend' : null,
            render: (_d, task) => (task.caseDueAt && (task.state === 'open' || task.state === 'claimed') ? <DeadlineTag dueAt={task.caseDueAt} paused={task.caseClockPaused} /> : <span className="lb-muted">—</span>),
          },
          { title: t('staff.claimedBy'), dataIndex: 'claimedBy', responsive: ['md'], render: (_u: string | null, task) => task.claimedByName ?? task.claimedBy },
          {
            // pinned to the right edge: on a narrow screen the row scrolls under it
            title: t('staff.actions'), key: 'actions', fixed: 'right', render: (_v, task) => (
              <Space size="small">
                <Link to={`/tasks/${task.id}`}>{t('staff.handle')}</Link>
                {/* a suspended case's tasks wait for 恢复 (the server refuses a claim) */}
                {task.state === 'open' && task.caseStatus === 'suspended' ? <Tag color="warning">已挂起</Tag> : null}
                {task.state === 'open' && task.caseStatus !== 'suspended' ? <Button size="small" loading={busy === task.id} onClick={() => void act(task, true)}>{t('staff.claim')}</Button> : null}
                {task.state === 'claimed' && task.claimedBy === me?.user.username && !task.assignee
                  ? <Button size="small" loading={busy === task.id} onClick={() => void act(task, false)}>{t('staff.unclaim')}</Button> : null}
                <RecallButton task={task} onDone={state.reload} />
              </Space>
            ),
          },
        ]}
      />
    </Shell>
  );
}
