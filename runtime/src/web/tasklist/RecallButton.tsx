/** 「撤回」 in the staff's finished tasks: undoes the completion while the next step is untouched. */
import { useState } from 'react';
import { App as AntApp, Button, Popconfirm } from 'antd';
import { api, ApiError, type Task } from '../api/index';

export function RecallButton({ task, onDone }: { task: Task; onDone(): void }) {
  const { message } = AntApp.useApp();
  const [busy, setBusy] = useState(false);
  if (task.state !== 'done' || !task.recallable || task.caseStatus === 'suspended') return null;
  const recall = async () => {
    setBusy(true);
    try {
      await api.recall(task.id);
      void message.success('已撤回，该待办已回到您的名下');
      onDone();
    } catch (e) {
      void message.error(e instanceof ApiError ? e.message : String(e));
      onDone();
    } finally { setBusy(false); }
  };
  return (
    <Popconfirm title="撤回本次办理？" description="后续环节尚未认领时可撤回，撤回后该待办重新由您办理。" okText="撤回" cancelText="取消" onConfirm={() => void recall()}>
      <Button size="small" loading={busy} data-testid="recall">撤回</Button>
    </Popconfirm>
  );
}
