/**
 * The chain of office moves on a case's tasks (docs/office-moves.md): who a task was delegated
 * to and what they proposed, the signers added to it (加签) and how each decided. Shown only when
 * the case has any.
 */
import { Card, Tag, Timeline } from 'antd';
import type { CaseTask } from '../api/index';
import { countersignModeLabel, formatTime, outcomeLabel, taskStateLabel } from './labels';

const SIGN_LABEL: Record<string, string> = { approved: '同意', rejected: '不同意' };

export function TaskChain({ tasks, people = {} }: { tasks: CaseTask[]; people?: Record<string, string> }) {
  const who = (u: string | null | undefined) => (u ? people[u] ?? u : '');
  const subs = (id: string) => tasks.filter((t) => t.parentId === id);
  const roots = tasks.filter((t) => !t.parentId && (t.owner || t.countersign || t.held || subs(t.id).length));
  if (!roots.length) return null;
  return (
    <Card title="转办、委派与加签" className="lb-section-card" data-testid="task-chain">
      {roots.map((t) => (
        <div key={t.id} className="lb-chain" style={{ marginBottom: 12 }}>
          <div><strong>{t.name}</strong> <Tag>{taskStateLabel(t.state)}</Tag>{t.claimedBy ? <span className="lb-muted">经办人：{who(t.claimedBy)}</span> : null}</div>
          <Timeline style={{ marginTop: 8 }} items={[
            ...(t.owner ? [{
              color: 'blue',
              children: <>委派：{who(t.owner)} → {who(t.delegateResult?.by ?? t.assignee)}
                {t.delegation === 'pending' ? <Tag color="processing" style={{ marginLeft: 8 }}>办理中</Tag> : null}
                {t.delegateResult ? <div className="lb-muted">意见：{[t.delegateResult.outcome && outcomeLabel(t.delegateResult.outcome), t.delegateResult.comment].filter(Boolean).join('，') || '无'} · {formatTime(t.delegateResult.at)}</div> : null}</>,
            }] : []),
            ...(t.countersign ? [{ color: 'orange', children: <>{countersignModeLabel(t.countersign.mode)}：{t.countersign.signers.map(who).join('、')}（{who(t.countersign.by)} 发起）</> }] : []),
            ...(t.held ? [{ color: 'orange', children: <>经办人 {who(t.held.by)} 已办理（{t.held.outcome ? outcomeLabel(t.held.outcome) : '—'}），等待加签人审批</> }] : []),
            ...subs(t.id).map((s) => ({
              color: s.outcome === 'rejected' ? 'red' : s.state === 'done' ? 'green' : 'gray',
              children: <>加签人 {who(s.assignee)}：{s.state === 'done' ? SIGN_LABEL[s.outcome ?? ''] ?? s.outcome : s.state === 'cancelled' ? taskStateLabel(s.state) : '待审批'}</>,
            })),
          ]} />
        </div>
      ))}
    </Card>
  );
}
