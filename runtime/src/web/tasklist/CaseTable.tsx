/**
 * A table of case summaries (`GET /cases`): number (opening the case view), applicant, matter,
 * status and a time; the lists 「我受理的」, 「抄送我的」 and 办件查询 share it.
 */
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { Table, type TableColumnsType } from 'antd';
import type { CaseSummary } from '../api/index';
import { CaseStatusTag } from '../case/index';
import { formatTime } from '../case/labels';

export function CaseTable({ cases, testId, timeTitle, extra = [], empty }: {
  cases: CaseSummary[];
  testId: string;
  timeTitle: string;
  /** Columns after the standard ones. */
  extra?: TableColumnsType<CaseSummary>;
  empty?: ReactNode;
}) {
  return (
    <Table<CaseSummary>
      className="lb-followed-table"
      data-testid={testId}
      rowKey="id"
      size="middle"
      dataSource={cases}
      scroll={{ x: 'max-content' }}
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      locale={empty ? { emptyText: empty } : undefined}
      onRow={(c) => ({ 'data-case': c.no ?? c.id } as React.HTMLAttributes<HTMLElement>)}
      columns={[
        { title: '办件编号', dataIndex: 'no', render: (no: string | null, c) => <Link to={`/cases/${c.id}`}>{no ?? '草稿'}</Link> },
        { title: '申请人', dataIndex: 'applicantName' },
        { title: '事项', dataIndex: 'matterTitle', ellipsis: true, responsive: ['lg'] },
        { title: '状态', dataIndex: 'status', render: (s: string) => <CaseStatusTag status={s} /> },
        { title: timeTitle, key: 'at', render: (_v, c) => formatTime(c.submittedAt ?? c.createdAt) },
        ...extra,
      ]}
    />
  );
}
