/**
 * /apply/:matter/:form[/:caseId] — fill the application: the rendered form, the linked-item
 * checklist, uploads (a draft is created on the first upload), save draft, submit.
 */
import { useCallback, useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { Alert, App as AntApp, Button, Card, Checkbox } from 'antd';
import type { Form } from '@formily/core';
import { toJS } from '@formily/reactive';
import { FormRenderer, checkForm, showErrors } from '../forms/index';
import { api, ApiError } from '../api/index';
import { t, tf } from '../i18n';
import { hasPromises, loadApply, scrollToFirstError, type ApplyModel } from './apply-model';
import { Checklist } from './Checklist';
import { LoadState } from './Loading';
import { Shell } from './Shell';
import { useLoad } from './use-load';

export function ApplyForm() {
  const { matter = '', form: formKey = '', caseId } = useParams();
  const state = useLoad(() => loadApply(matter, formKey, caseId), [matter, formKey]);
  return (
    <Shell title={state.data?.formTitle} wide>
      <LoadState state={state} />
      {state.data ? <ApplyEditor model={state.data} /> : null}
    </Shell>
  );
}

function ApplyEditor({ model }: { model: ApplyModel }) {
  const navigate = useNavigate();
  const { message } = AntApp.useApp();
  const [values, setValues] = useState<Record<string, unknown>>(model.draft?.data ?? {});
  const [promise, setPromise] = useState(false);
  const [busy, setBusy] = useState<'save' | 'submit'>();
  const [error, setError] = useState<string>();
  const formRef = useRef<Form>();
  const idRef = useRef<string | undefined>(model.draft?.id);
  const onForm = useCallback((f: Form) => { formRef.current = f; }, []);
  const current = () => (formRef.current ? toJS(formRef.current.values) as Record<string, unknown> : values);

  /** Creates the draft on first need, or saves the values into it. */
  const saveDraft = async (): Promise<string> => {
    const data = current();
    if (idRef.current) {
      await api.updateDraft(idRef.current, data);
      return idRef.current;
    }
    const created = await api.createCase({ matter: model.matter.key, form: model.formKey, data, draft: true });
    idRef.current = created.id;
    window.history.replaceState(window.history.state, '', `/apply/${model.matter.key}/${model.formKey}/${created.id}`);
    return created.id;
  };

  const uploader = useCallback(async (file: File) => {
    try {
      const id = await saveDraft();
      const stored = await api.upload(id, file);
      return { fileId: stored.fileId };
    } catch (e) {
      void message.error(e instanceof ApiError ? e.message : '上传失败');
      throw e;
    }
  }, []);

  const fail = (e: unknown) => {
    if (e instanceof ApiError) {
      if (e.errors.length && formRef.current) {
        showErrors(formRef.current, e.errors);
        scrollToFirstError();
      }
      setError(e.errors.length ? `${e.message}：${tf('form.fix', { n: e.errors.length })}` : e.message);
    } else setError((e as Error).message);
  };

  const onSave = async () => {
    setBusy('save');
    setError(undefined);
    try {
      await saveDraft();
      void message.success(t('form.saved'));
    } catch (e) { fail(e); } finally { setBusy(undefined); }
  };

  const onSubmit = async () => {
    const form = formRef.current;
    if (!form) return;
    setError(undefined);
    const checked = checkForm(form, model.checker);
    if (checked.errors.length) {
      setError(tf('form.fix', { n: checked.errors.length }));
      scrollToFirstError();
      return;
    }
    if (hasPromises(model.schema, current()) && !promise) {
      setError(t('form.promiseNeeded'));
      return;
    }
    setBusy('submit');
    try {
      let id: string;
      if (idRef.current) {
        id = await saveDraft();
        await api.submit(id);
      } else {
        id = (await api.createCase({ matter: model.matter.key, form: model.formKey, data: current() })).id;
      }
      navigate(`/my/cases/${id}/submitted`, { replace: true });
    } catch (e) { fail(e); } finally { setBusy(undefined); }
  };

  const promising = hasPromises(model.schema, values);
  return (
    <div className="lb-form-layout">
      <div>
        <FormRenderer schema={model.schema} value={model.draft?.data} onChange={setValues} onForm={onForm} uploader={uploader} />
      </div>
      <aside className="lb-form-side" aria-label={t('form.checklist')}>
        <Checklist items={model.matter.linkedItems} schema={model.schema} values={values} />
      </aside>
      <div className="lb-submit-bar">
        <Card size="small">
          {error ? <Alert type="error" showIcon message={error} role="alert" style={{ marginBottom: 12 }} data-testid="form-error" /> : null}
          {promising ? (
            <Checkbox checked={promise} onChange={(e) => setPromise(e.target.checked)} style={{ marginBottom: 12 }} data-testid="promise">
              {t('form.promise')}
            </Checkbox>
          ) : null}
          <div className="lb-actions" style={{ margin: 0 }}>
            <Button onClick={() => void onSave()} loading={busy === 'save'} disabled={!!busy}>{t('form.saveDraft')}</Button>
            <Button type="primary" onClick={() => void onSubmit()} loading={busy === 'submit'} disabled={!!busy}>{t('form.submit')}</Button>
          </div>
        </Card>
      </div>
    </div>
  );
}
