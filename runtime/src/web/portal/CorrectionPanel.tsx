/**
 * 补正 on the applicant's case page (docs/office-moves.md): the notice with every problem in one
 * list (一次性告知), the application form with only the listed fields editable (highlighted, with
 * the department's note under each) and everything else locked, then 「重新提交」.
 */
import { useCallback, useRef, useState } from 'react';
import { Alert, App as AntApp, Button, Card, List, Typography } from 'antd';
import type { Form } from '@formily/core';
import { toJS } from '@formily/reactive';
import type { FormSchema } from '@lianban/runtime';
import { FormRenderer, showErrors } from '../forms/index';
import { api, ApiError, type CaseView, type CorrectionNotice } from '../api/index';
import { departmentLabel, formatTime } from '../case/labels';

interface Props { view: CaseView; notice: CorrectionNotice; schema: FormSchema; onDone(): void }

const valueAt = (data: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), data);

/** Only the listed fields, over the stored data for their enclosing objects: what the server compares and merges. */
export function correctedData(stored: Record<string, unknown>, values: Record<string, unknown>, paths: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const path of paths) {
    const keys = path.split('.');
    let into = out;
    let from: unknown = stored;
    keys.slice(0, -1).forEach((k) => {
      from = from && typeof from === 'object' ? (from as Record<string, unknown>)[k] : undefined;
      if (!into[k] || typeof into[k] !== 'object') into[k] = { ...(from && typeof from === 'object' ? from as Record<string, unknown> : {}) };
      into = into[k] as Record<string, unknown>;
    });
    into[keys.at(-1)!] = valueAt(values, path) ?? null;
  }
  return out;
}

export function CorrectionPanel({ view, notice, schema, onDone }: Props) {
  const { message } = AntApp.useApp();
  const formRef = useRef<Form>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const onForm = useCallback((form: Form) => {
    formRef.current = form;
    // Everything locked, then the listed fields editable and highlighted (patterns also apply to fields mounted later).
    form.setFieldState('*', (s) => { s.pattern = 'disabled'; });
    for (const f of notice.fields) {
      form.setFieldState(f.path, (s) => {
        s.pattern = 'editable';
        const own = (s.decoratorProps as { description?: string } | undefined)?.description;
        s.decoratorProps = { ...(s.decoratorProps as object), description: [own, f.message ? `补正说明：${f.message}` : '需补正'].filter(Boolean).join('；') };
      });
    }
  }, [notice]);
  const uploader = useCallback(async (file: File, material?: string) => ({ fileId: (await api.upload(view.id, file, material)).fileId }), [view.id]);

  const submit = async () => {
    const form = formRef.current;
    if (!form) return;
    setBusy(true);
    setError(undefined);
    try {
      const values = toJS(form.values) as Record<string, unknown>;
      await api.resubmit(view.id, correctedData(view.data, values, notice.fields.map((f) => f.path)));
      void message.success('补正已提交，办件继续办理');
      onDone();
    } catch (e) {
      if (e instanceof ApiError && e.errors.length) showErrors(form, e.errors);
      setError(e instanceof ApiError && e.errors.length ? `${e.message}：${e.errors.map((x) => x.message).join('；')}` : (e as Error).message);
    } finally { setBusy(false); }
  };

  return (
    <Card className="lb-section-card lb-correction" title="补正告知（一次性告知）" data-testid="correction-panel">
      <Alert type="warning" showIcon message={`「${notice.step}」（${departmentLabel(notice.department)}）于 ${formatTime(notice.at)} 退回，请补正后重新提交`}
        description={<>退回理由：{notice.reason}</>} style={{ marginBottom: 12 }} />
      <Typography.Paragraph strong>需要补正的内容（共 {notice.fields.length} 项）：</Typography.Paragraph>
      <List size="small" bordered dataSource={notice.fields} style={{ marginBottom: 16 }} data-testid="correction-list"
        renderItem={(f, i) => <List.Item>{i + 1}. {f.title}{f.message ? `：${f.message}` : ''}</List.Item>} />
      <Typography.Paragraph type="secondary">只能修改以下高亮的字段，其余内容已锁定。</Typography.Paragraph>
      {/* The fields to correct stand out among the locked ones (paths are form data keys: identifiers and dots). */}
      <style>{notice.fields.map((f) => `.lb-correction .lb-cell[data-path="${CSS.escape(f.path)}"]`).join(',\n')}{' { background: #fffbe6; outline: 2px solid #faad14; outline-offset: 4px; border-radius: 4px; }'}</style>
      <FormRenderer schema={schema} value={view.data} onForm={onForm} uploader={uploader} />
      <div className="lb-actions">
        {error ? <Alert type="error" showIcon message={error} role="alert" style={{ width: '100%' }} data-testid="form-error" /> : null}
        <Button type="primary" size="large" loading={busy} onClick={() => void submit()} data-testid="resubmit">重新提交</Button>
      </div>
    </Card>
  );
}
