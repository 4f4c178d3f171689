/** 「撤回申请」 on the applicant's case page: before any department completed a step (受理). */
import { useState } from 'react';
import { App as AntApp, Button } from 'antd';
import { api, type CaseView } from '../api/index';
import { ReasonDialog } from '../case/index';

/** Whether the applicant may still withdraw (the server decides in the end). */
export function mayWithdraw(view: CaseView): boolean {
  const running = view.status === 'submitted' || view.status === 'in-progress' || view.status === 'needs-applicant' || view.status === 'suspended';
  return running && !view.tasks.some((t) => t.department !== 'applicant' && t.state === 'done');
}

export function WithdrawButton({ view, onDone }: { view: CaseView; onDone(): void }) {
  const { message } = AntApp.useApp();
  const [open, setOpen] = useState(false);
  if (!mayWithdraw(view)) return null;
  return (
    <>
      <Button danger onClick={() => setOpen(true)} data-testid="withdraw">撤回申请</Button>
      <ReasonDialog open={open} title="撤回申请" okText="确认撤回" danger
        intro="撤回后本次申请即告结束，各部门的办理随之取消，不能恢复；如需办理请重新申请。"
        onCancel={() => setOpen(false)}
        onOk={async ({ reason }) => {
          await api.withdraw(view.id, reason); // a refusal (ApiError, Chinese) is shown in the dialog
          setOpen(false);
          void message.success('申请已撤回');
          onDone();
        }} />
    </>
  );
}
