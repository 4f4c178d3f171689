/**
 * /my/tasks/:id — an applicant task: a supplementary sheet (the task's own form, e.g. 常州 附件5)
 * or a request to correct (补正: no form of its own → the case's form, pre-filled with the case).
 */
import { useCallback, useMemo, useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { Alert, App as AntApp, Button, Card, List, Tag, Upload } from 'antd';
import type { Form } from '@formily/core';
import { toJS } from '@formily/reactive';
import { compileChecker, prefillValues, promisedMaterials, type FormSchema } from '@lianban/runtime';
import { FormRenderer, checkForm, showErrors } from '../forms/index';
import { api, ApiError, type CaseView, type Task } from '../api/index';
import { t, tf } from '../i18n';
import { scrollToFirstError } from './apply-model';
import { useFormSteps } from './form-steps';
import { LoadState, Shell, useLoad } from '../shell/index';

interface TaskModel { task: Task; view: CaseView; schema: FormSchema; initial?: Record<string, unknown>; correction: boolean }

async function loadTask(id: string): Promise<TaskModel> {
  const task = (await api.tasks()).find((x) => x.id === id);
  if (!task) throw new Error('待办不存在或已办结');
  const [view, matter] = await Promise.all([api.case(task.caseId), api.matter(task.matter)]);
  const correction = !task.formKey;
  const form = matter.forms.find((f) => f.key === (task.formKey || view.form));
  if (!form) throw new Error('找不到待办的表单');
  // A sheet of its own (附件5) opens with what the application already says (its x-prefill fields).
  const initial = correction ? view.data : prefillValues(form.schema, view.data);
  return { task, view, schema: form.schema, initial, correction };
}

export function MyTaskPage() {
  const { id = '' } = useParams();
  const state = useLoad(() => loadTask(id), [id]);
  const m = state.data;
  return (
    <Shell title={m ? m.task.name : t('mytask.title')} wide>
      <LoadState state={state} />
      {m ? (m.task.kind === 'promise' ? <PromiseTask model={m} /> : <TaskForm model={m} />) : null}
    </Shell>
  );
}

function TaskForm({ model }: { model: TaskModel }) {
  const navigate = useNavigate();
  const { message } = AntApp.useApp();
  const formRef = useRef<Form>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const onForm = useCallback((f: Form) => { formRef.current = f; }, []);
  const checker = useMemo(() => compileChecker(model.schema), [model.schema]);
  // One group per step in care mode, as on the application form.
  const steps = useFormSteps(model.schema, checker, formRef);
  const next = () => {
    const n = steps.next();
    setError(n ? tf('form.fixStep', { n }) : undefined);
  };
  const submit = async () => {
    const form = formRef.current;
    if (!form) return;
    const checked = checkForm(form, checker);
    if (checked.errors.length) {
      steps.showStepOf(checked.errors);
      setError(tf('form.fix', { n: checked.errors.length }));
      scrollToFirstError();
      return;
    }
    setBusy(true);
    try {
      await api.complete(model.task.id, { data: toJS(form.values) as Record<string, unknown> });
      void message.success(t('mytask.done'));
      navigate(`/my/cases/${model.view.id}`);
    } catch (e) {
      if (e instanceof ApiError && e.errors.length) { showErrors(form, e.errors); steps.showStepOf(e.errors); scrollToFirstError(); }
      setError(e instanceof ApiError ? e.message : (e as Error).message);
    } finally { setBusy(false); }
  };
  const uploader = useCallback(async (file: File, material?: string) => ({ fileId: (await api.upload(model.view.id, file, material)).fileId }), [model.view.id]);
  return (
    <>
      <Card size="small" className="lb-section-card">
        <div>{t('case.no')}：{model.task.caseNo} · {model.task.matterTitle}</div>
        {model.correction ? <Alert type="info" showIcon message={t('mytask.correct')} style={{ marginTop: 8 }} /> : null}
      </Card>
      {steps.progress}
      <FormRenderer schema={model.schema} value={model.initial} onForm={onForm} uploader={uploader} shown={steps.shown} />
      <div className="lb-actions">
        {error ? <Alert type="error" showIcon message={error} role="alert" style={{ width: '100%' }} data-testid="form-error" /> : null}
        {steps.step >= 0 ? <Button size="large" onClick={() => { setError(undefined); steps.prev(); }} disabled={steps.step === 0 || busy}>{t('form.prev')}</Button> : null}
        {steps.last
          ? <Button type="primary" size={steps.step >= 0 ? 'large' : undefined} loading={busy} onClick={() => void submit()} autoInsertSpace={false}>{t('mytask.submit')}</Button>
          : <Button type="primary" size="large" onClick={next} disabled={busy}>{t('form.next')}</Button>}
      </div>
    </>
  );
}

/** 容缺: upload each promised material (sent with its material code), then complete the task. */
function PromiseTask({ model }: { model: TaskModel }) {
  const navigate = useNavigate();
  const { message } = AntApp.useApp();
  const promised = promisedMaterials(model.schema, model.view.data ?? {});
  const [done, setDone] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const upload = async (material: string | undefined, file: File) => {
    try {
      const res = await api.upload(model.view.id, file, material);
      setDone((d) => ({ ...d, [material ?? '']: res.name }));
    } catch (e) {
      setError((e as Error).message);
    }
    return false;
  };
  const submit = async () => {
    setBusy(true);
    try {
      await api.complete(model.task.id, {});
      void message.success(t('mytask.done'));
      navigate(`/my/cases/${model.view.id}`);
    } catch (e) {
      setError((e as Error).message);
    } finally { setBusy(false); }
  };
  return (
    <>
      <Card size="small" className="lb-section-card">
        <div>{t('case.no')}：{model.task.caseNo} · {model.task.matterTitle}</div>
        <Alert type="info" showIcon message={t('mytask.promise')} style={{ marginTop: 8 }} />
      </Card>
      <List bordered dataSource={promised} renderItem={(p) => (
        <List.Item actions={[
          <Upload key="u" accept=".pdf,.png,.jpg,.jpeg" showUploadList={false} beforeUpload={(file) => upload(p.material, file)}>
            <Button aria-label={`${t('mytask.upload')} ${p.name}`}>{t('mytask.upload')}</Button>
          </Upload>,
        ]}>
          <span>{p.name}</span>
          {done[p.material ?? ''] ? <Tag color="green" style={{ marginLeft: 8 }}>{t('mytask.uploaded')}：{done[p.material ?? '']}</Tag> : null}
        </List.Item>
      )} />
      <div className="lb-actions">
        {error ? <Alert type="error" showIcon message={error} role="alert" style={{ width: '100%' }} /> : null}
        <Button type="primary" loading={busy} onClick={() => void submit()} autoInsertSpace={false}>{t('mytask.submit')}</Button>
      </div>
    </>
  );
}
