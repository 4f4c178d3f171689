/** The steps the applicant waits for, each with 「催办」 (once per step per hour; docs/office-moves.md). */
import { useState } from 'react';
import { App as AntApp, Button, Card, List } from 'antd';
import { ApiError, moves, type CaseTask } from '../api/index';
import { departmentLabel, taskStateLabel } from '../case/labels';

export function RemindTasks({ tasks }: { tasks: CaseTask[] }) {
  const { message } = AntApp.useApp();
  const [busy, setBusy] = useState<string>();
  const [sent, setSent] = useState<Set<string>>(new Set());
  const waiting = tasks.filter((t) => t.department !== 'applicant' && t.kind !== 'countersign' && (t.state === 'open' || t.state === 'claimed'));
  if (!waiting.length) return null;
  const remind = async (id: string) => {
    setBusy(id);
    try {
      await moves.remind(id);
      setSent((s) => new Set(s).add(id));
      void message.success('已催办，工作人员将尽快处理');
    } catch (e) {
      void message.warning(e instanceof ApiError ? e.message : String(e));
    } finally { setBusy(undefined); }
  };
  return (
    <Card title="正在办理" className="lb-section-card" data-testid="waiting-tasks">
      <List size="small" dataSource={waiting} renderItem={(t) => (
        <List.Item actions={[
          <Button key="remind" size="small" loading={busy === t.id} disabled={sent.has(t.id)} onClick={() => void remind(t.id)} aria-label={`催办 ${t.name}`}>
            {sent.has(t.id) ? '已催办' : '催办'}
          </Button>,
        ]}>
          {/* claimed or not is the office's business: to the applicant the step is under way */}
          {t.name} · {departmentLabel(t.department)} · {t.state === 'open' || t.state === 'claimed' ? '办理中' : taskStateLabel(t.state)}
        </List.Item>
      )} />
    </Card>
  );
}
