/** Claim / release and complete a task: outcome (Chinese labels), comment, the task's own form. */
import { useCallback, useRef, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Input, Radio, Space } from 'antd';
import type { Form } from '@formily/core';
import { toJS } from '@formily/reactive';
import { formAppliesTo, resultFields, type FormSchema } from '@lianban/runtime';
import { FormRenderer, showErrors } from '../forms/index';
import { api, ApiError, type Task } from '../api/index';
import { outcomeLabel } from '../case/labels';
import { t } from '../i18n';

interface Props { task: Task; username: string; formSchema?: FormSchema; onDone(): void; onClaim(): void }

export function CompletePanel({ task, username, formSchema, onDone, onClaim }: Props) {
  const { message } = AntApp.useApp();
  const [outcome, setOutcome] = useState<string>();
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const formRef = useRef<Form>();
  const onForm = useCallback((f: Form) => { formRef.current = f; }, []);
  const outcomes = task.outcomes ?? [];
  const mine = task.state === 'claimed' && task.claimedBy === username;
  const showForm = !!formSchema && formAppliesTo(formSchema, outcome);
  const declaresResult = !!formSchema && resultFields(formSchema).length > 0;
  const heldByOther = task.state === 'claimed' && !mine;
  const run = async (fn: () => Promise<unknown>, after: () => void) => {
    setBusy(true);
    setError(undefined);
    try { await fn(); after(); } catch (e) {
      if (e instanceof ApiError && e.errors.length && formRef.current) showErrors(formRef.current, e.errors);
      setError(e instanceof ApiError ? e.message : String(e));
    } finally { setBusy(false); }
  };
  const complete = () => {
    if (outcomes.length && !outcome) { setError('请选择办理结论'); return; }
    // a form limited to some outcomes (x-item-result-outcomes) is not sent with the others
    const data = formRef.current && showForm ? toJS(formRef.current.values) as Record<string, unknown> : undefined;
    void run(() => api.complete(task.id, { ...(outcome ? { outcome } : {}), ...(comment.trim() ? { comment: comment.trim() } : {}), ...(data ? { data } : {}) }), () => {
      void message.success(t('staff.completed'));
      onDone();
    });
  };
  if (task.state === 'done' || task.state === 'cancelled') return <Alert type="success" showIcon message={t('staff.taskDone')} className="lb-section-card" />;
  return (
    <Card title={`${t('staff.complete')}：${task.name}`} className="lb-section-card lb-complete" data-testid="complete-panel">
      {error ? <Alert type="error" showIcon message={error} role="alert" style={{ marginBottom: 12 }} /> : null}
      {heldByOther ? <Alert type="warning" showIcon message={`${t('staff.claimedBy')}：${task.claimedByName ?? task.claimedBy}`} style={{ marginBottom: 12 }} /> : null}
      <Space wrap style={{ marginBottom: 12 }}>
        {task.state === 'open' ? <Button onClick={() => void run(() => api.claim(task.id), onClaim)} disabled={busy}>{t('staff.claim')}</Button> : null}
        {mine && !task.assignee ? <Button onClick={() => void run(() => api.unclaim(task.id), onClaim)} disabled={busy}>{t('staff.unclaim')}</Button> : null}
      </Space>
      {outcomes.length ? (
        <fieldset className="lb-fieldset">
          <legend>{t('staff.outcome')}</legend>
          <Radio.Group value={outcome} onChange={(e) => setOutcome(e.target.value as string)}>
            <Space direction="vertical">
              {outcomes.map((o) => <Radio key={o} value={o} data-outcome={o}>{outcomeLabel(o)}</Radio>)}
            </Space>
          </Radio.Group>
        </fieldset>
      ) : null}
      {showForm ? (
        <div data-testid="task-form">
          {declaresResult ? <Alert type="info" showIcon message="本表中标注的办理结果将记入关联事项，告知申请人并推送相关部门" style={{ marginBottom: 12 }} /> : null}
          <FormRenderer schema={formSchema!} onForm={onForm} />
        </div>
      ) : null}
      <label htmlFor="lb-comment" className="lb-label-block">{t('staff.comment')}</label>
      <Input.TextArea id="lb-comment" rows={3} value={comment} onChange={(e) => setComment(e.target.value)} maxLength={500} />
      <div className="lb-actions">
        <Button type="primary" onClick={complete} loading={busy} disabled={heldByOther}>{t('staff.finish')}</Button>
      </div>
    </Card>
  );
}
