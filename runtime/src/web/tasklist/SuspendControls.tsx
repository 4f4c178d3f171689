/**
 * 挂起 / 恢复 on the staff case view: the suspended state with its reason, and the buttons for
 * staff with an open task in the case (the server checks again).
 */
import { useState } from 'react';
import { Alert, App as AntApp, Button, Space } from 'antd';
import { api, ApiError, type CaseView } from '../api/index';
import { formatTime, ReasonDialog } from '../case/index';

export function SuspendControls({ view, canAct, onChange }: { view: CaseView; canAct: boolean; onChange(): void }) {
  const { message } = AntApp.useApp();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const suspended = view.status === 'suspended';
  const running = view.status === 'in-progress' || view.status === 'needs-applicant' || view.status === 'submitted';
  const resume = async () => {
    setBusy(true);
    try {
      await api.resume(view.id);
      void message.success('已恢复办理，办理时限已顺延');
      onChange();
    } catch (e) {
      void message.error(e instanceof ApiError ? e.message : String(e));
    } finally { setBusy(false); }
  };
  const s = view.suspension;
  return (
    <>
      {suspended ? (
        <Alert type="warning" showIcon className="lb-section-card" data-testid="suspended"
          message={`办件已挂起：${s?.reason ?? ''}`}
          description={s ? `${view.people?.[s.by] ?? s.by} 于 ${formatTime(s.at)} 挂起${s.until ? `，将于 ${formatTime(s.until)} 自动恢复` : ''}；挂起期间不能办理，办理时限暂停计算。` : undefined}
          action={canAct ? <Button size="small" type="primary" loading={busy} onClick={() => void resume()}>恢复</Button> : undefined} />
      ) : null}
      {!suspended && running && canAct ? (
        <Space className="lb-section-card">
          <Button onClick={() => setOpen(true)} data-testid="suspend">挂起</Button>
          <span className="lb-muted">如需等待外部结果（如劳动能力鉴定），可挂起办件，办理时限暂停计算。</span>
        </Space>
      ) : null}
      <ReasonDialog open={open} title="挂起办件" okText="挂起" withUntil
        intro="挂起期间任何人不能认领或办理该办件的待办，恢复后办理时限按挂起时长顺延。"
        onCancel={() => setOpen(false)}
        onOk={async (r) => {
          await api.suspend(view.id, r); // a refusal (ApiError, Chinese) is shown in the dialog
          setOpen(false);
          void message.success('办件已挂起');
          onChange();
        }} />
    </>
  );
}
