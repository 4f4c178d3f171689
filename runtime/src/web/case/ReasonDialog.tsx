/**
 * The dialog of an office move that needs a reason (撤回申请, 挂起, 终止): a required reason and,
 * for 挂起, an optional date-time at which the case resumes by itself.
 */
import { useState } from 'react';
import { Alert, Form, Input, Modal } from 'antd';

export interface ReasonResult { reason: string; until?: string }

export function ReasonDialog({ open, title, intro, okText, danger, withUntil, onOk, onCancel }: {
  open: boolean; title: string; intro?: string; okText: string; danger?: boolean; withUntil?: boolean;
  onOk(result: ReasonResult): Promise<void>; onCancel(): void;
}) {
  const [reason, setReason] = useState('');
  const [until, setUntil] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const submit = async () => {
    if (!reason.trim()) { setError('请填写原因'); return; }
    setBusy(true);
    setError(undefined);
    try {
      await onOk({ reason: reason.trim(), ...(withUntil && until ? { until: new Date(until).toISOString() } : {}) });
      setReason('');
      setUntil('');
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally { setBusy(false); }
  };
  return (
    <Modal open={open} title={title} okText={okText} cancelText="取消" confirmLoading={busy} okButtonProps={{ danger }}
      onOk={() => void submit()} onCancel={onCancel} destroyOnClose>
      {intro ? <p>{intro}</p> : null}
      <Form layout="vertical">
        <Form.Item label="原因" required validateStatus={error && !reason.trim() ? 'error' : undefined}>
          <Input.TextArea aria-label="原因" rows={3} maxLength={500} showCount value={reason} onChange={(e) => setReason(e.target.value)} />
        </Form.Item>
        {withUntil ? (
          <Form.Item label="自动恢复时间（可不填）">
            <Input type="datetime-local" aria-label="自动恢复时间" value={until} onChange={(e) => setUntil(e.target.value)} />
          </Form.Item>
        ) : null}
      </Form>
      {error ? <Alert type="error" showIcon message={error} /> : null}
    </Modal>
  );
}
