/**
 * /counter/cases — 「我受理的」: the cases the window staff member filed for citizens;
 * /cc — 「抄送我的」: the cases copied to the staff member or their department (read-only).
 * Both from `GET /cases?mine=filed|cc`, newest first; each opens the case view.
 */
import { Link } from 'react-router-dom';
import { Card, Space } from 'antd';
import { api, type CaseSummary } from '../api/index';
import { LoadState, Shell, useLoad } from '../shell/index';
import { CaseTable } from './CaseTable';
import './tasklist.css';

const TEXT = {
  filed: { title: '我受理的', hint: '您在窗口为申请人收件的办件（含尚未提交的草稿），可随时查看进度、打印受理回执。' },
  cc: { title: '抄送我的', hint: '抄送给您或您所在部门的办件（只读，个人信息已脱敏）。' },
} as const;

export function FollowedCases({ mine }: { mine: 'filed' | 'cc' }) {
  const state = useLoad(() => api.cases({ mine, limit: 200 }), [mine]);
  const text = TEXT[mine];
  return (
    <Shell title={text.title} wide>
      <p className="lb-muted">{text.hint}</p>
      <LoadState state={state} />
      <Card size="small" className="lb-section-card">
        <CaseTable
          cases={state.data ?? []}
          testId={`followed-${mine}`}
          timeTitle={mine === 'filed' ? '收件时间' : '提交时间'}
          extra={mine === 'filed' ? [{
            title: '操作', key: 'actions', render: (_v: unknown, c: CaseSummary) => (
              <Space size="small">{c.no ? <Link to={`/counter/${c.id}/receipt`}>受理回执</Link> : null}</Space>
            ),
          }] : []}
        />
      </Card>
    </Shell>
  );
}

export function FiledCasesPage() { return <FollowedCases mine="filed" />; }
export function CcCasesPage() { return <FollowedCases mine="cc" />; }
