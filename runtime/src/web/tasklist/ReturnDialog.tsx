/**
 * 「退回」 on the staff task page (docs/office-moves.md): to the applicant for 补正 — the fields
 * to correct picked from the case's form, a reason and a note per field, sent as one notice — or
 * back to an earlier step (`GET /tasks/:id/return-targets`).
 */
import { useMemo, useState } from 'react';
import { Alert, App as AntApp, Button, Form, Input, Modal, Radio, Select, Space } from 'antd';
import { walkSchema, type FieldSchema, type FormSchema } from '@lianban/runtime';
import { api, ApiError, type ReturnTarget, type Task } from '../api/index';

interface Props { task: Task; formSchema?: FormSchema; onDone(): void }

/** The application form's fields an applicant may be asked to correct (as the server accepts them). */
export function correctableFields(schema: FormSchema | undefined): { path: string; title: string }[] {
  if (!schema) return [];
  return walkSchema(schema as FieldSchema)
    .filter((n) => n.keyed && !n.path.includes('*') && n.config?.keyed !== false && typeof n.schema.title === 'string')
    .map((n) => ({ path: n.path, title: n.schema.title as string }));
}

export function ReturnDialog({ task, formSchema, onDone }: Props) {
  const { message } = AntApp.useApp();
  const [open, setOpen] = useState(false);
  const [to, setTo] = useState<'applicant' | 'step'>('applicant');
  const [fields, setFields] = useState<string[]>([]);
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [reason, setReason] = useState('');
  /** 补正期限 (optional, `YYYY-MM-DD`): printed on the 补正告知书. */
  const [deadline, setDeadline] = useState('');
  const [targets, setTargets] = useState<ReturnTarget[]>();
  const [target, setTarget] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const options = useMemo(() => correctableFields(formSchema), [formSchema]);
  const titleOf = (p: string) => options.find((o) => o.path === p)?.title ?? p;

  const show = () => {
    setOpen(true);
    setError(undefined);
    api.returnTargets(task.id).then(setTargets, (e: unknown) => setError((e as Error).message));
  };
  const submit = async () => {
    if (!reason.trim()) return setError('请填写退回理由');
    if (to === 'applicant' && !fields.length) return setError('请选择需要申请人补正的内容');
    if (to === 'step' && !target) return setError('请选择退回到的环节');
    setBusy(true);
    setError(undefined);
    try {
      const picked = Object.fromEntries(Object.entries(notes).filter(([p, v]) => fields.includes(p) && v.trim()));
      await api.returnTask(task.id, to === 'applicant' ? { to: 'applicant', reason: reason.trim(), fields, notes: picked, ...(deadline ? { deadline } : {}) } : { to: target!, reason: reason.trim() });
      void message.success(to === 'applicant' ? '已退回申请人补正' : '已退回');
      setOpen(false);
      onDone();
    } catch (e) {
      setError(e instanceof ApiError && e.errors.length ? `${e.message}：${e.errors.map((x) => x.message).join('；')}` : (e as Error).message);
    } finally { setBusy(false); }
  };

  return (
    <>
      <Button danger onClick={show} data-testid="return-open">退回</Button>
      <Modal open={open} title={`退回：${task.name}`} okText="确认退回" cancelText="取消" onOk={() => void submit()} confirmLoading={busy} onCancel={() => setOpen(false)} width={640} destroyOnClose>
        {error ? <Alert type="error" showIcon message={error} role="alert" style={{ marginBottom: 12 }} /> : null}
        <Form layout="vertical">
          <Form.Item label="退回到">
            <Radio.Group value={to} onChange={(e) => setTo(e.target.value as 'applicant' | 'step')}>
              <Space direction="vertical">
                <Radio value="applicant" data-testid="return-to-applicant">退回申请人补正</Radio>
                <Radio value="step" disabled={targets !== undefined && !targets.length} data-testid="return-to-step">
                  退回到此前环节{targets !== undefined && !targets.length ? '（没有可退回的环节）' : ''}
                </Radio>
              </Space>
            </Radio.Group>
          </Form.Item>
          {to === 'applicant' ? (
            <>
              <Form.Item label="需补正的内容（一次性告知）" required htmlFor="lb-return-fields">
                <Select id="lb-return-fields" mode="multiple" showSearch value={fields} onChange={setFields} placeholder="选择申请表中需要修改的字段"
                  options={options.map((o) => ({ value: o.path, label: o.title }))} optionFilterProp="label" data-testid="return-fields" />
              </Form.Item>
              {fields.map((p) => (
                <Form.Item key={p} label={`「${titleOf(p)}」的说明`} htmlFor={`lb-note-${p}`}>
                  <Input id={`lb-note-${p}`} value={notes[p] ?? ''} maxLength={500} placeholder="例如：请按身份证填写"
                    onChange={(e) => setNotes((n) => ({ ...n, [p]: e.target.value }))} />
                </Form.Item>
              ))}
              <Form.Item label="补正期限（可选，印在补正告知书上）" htmlFor="lb-return-deadline">
                <Input id="lb-return-deadline" type="date" value={deadline} style={{ width: 200 }}
                  min={new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())}
                  onChange={(e) => setDeadline(e.target.value)} data-testid="return-deadline" />
              </Form.Item>
            </>
          ) : (
            <Form.Item label="退回到的环节" required htmlFor="lb-return-target">
              <Select id="lb-return-target" value={target} onChange={setTarget} placeholder="选择此前办理过的环节"
                options={(targets ?? []).map((x) => ({ value: x.elementId, label: x.name }))} data-testid="return-target" />
            </Form.Item>
          )}
          <Form.Item label="退回理由" required htmlFor="lb-return-reason">
            <Input.TextArea id="lb-return-reason" rows={3} maxLength={2000} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="return-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
