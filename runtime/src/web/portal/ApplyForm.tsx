/**
 * /apply/:matter/:form[/:caseId] — fill the application: the rendered form, the linked-item
 * checklist, uploads (a draft is created on the first upload), save draft, submit.
 *
 * Forgiving: what is typed is saved to the draft automatically (debounced), kept in the tab's
 * sessionStorage until saved (a reload or a session timeout loses nothing), and "稍后继续" saves
 * and leaves. In care mode the form shows one top-level group per step (see forms/steps.ts).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { Alert, App as AntApp, Button, Card, Checkbox } from 'antd';
import type { Form } from '@formily/core';
import { toJS } from '@formily/reactive';
import { FormRenderer, checkForm, showErrors } from '../forms/index';
import { api, ApiError, mayRetry, newIdempotencyKey } from '../api/index';
import { formatTime } from '../case/labels';
import { t, tf } from '../i18n';
import { hasPromises, loadApply, scrollToFirstError, type ApplyModel } from './apply-model';
import { Checklist } from './Checklist';
import { useFormSteps } from './form-steps';
import { LoadState } from './Loading';
import { useSession } from './session';
import { Shell } from './Shell';
import { dropUnsent, keepUnsent, readUnsent } from './unsent';
import { useLoad } from './use-load';

/** Quiet time after the last change before the draft is saved. */
export const AUTOSAVE_MS = 2500;

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

type SaveState = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved'; at: Date } | { kind: 'failed'; message: string };

function ApplyEditor({ model }: { model: ApplyModel }) {
  const navigate = useNavigate();
  const { message } = AntApp.useApp();
  const { me } = useSession();
  const user = me?.user.username ?? '';
  // Values typed but never saved (reload, timeout) win over the stored draft.
  const [restored] = useState(() => readUnsent(user, model.matter.key, model.formKey, model.draft?.id));
  const [initial] = useState(() => restored?.values ?? model.draft?.data);
  const [values, setValues] = useState<Record<string, unknown>>(initial ?? {});
  const [promise, setPromise] = useState(false);
  const [busy, setBusy] = useState<'save' | 'submit' | 'later'>();
  const [error, setError] = useState<string>();
  const [saveState, setSaveState] = useState<SaveState>({ kind: 'idle' });
  const formRef = useRef<Form>();
  const idRef = useRef<string | undefined>(model.draft?.id);
  /** The Idempotency-Key of a direct submission, reused by retries until one succeeds. */
  const submitKey = useRef<string | undefined>(undefined);
  const onForm = useCallback((f: Form) => { formRef.current = f; }, []);
  const current = () => (formRef.current ? toJS(formRef.current.values) as Record<string, unknown> : values);

  // Saves run one after another, so an autosave and a click never create two drafts.
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const savedJson = useRef<string | undefined>(restored ? undefined : JSON.stringify(initial ?? {}));
  const touched = useRef(!!restored);
  const timer = useRef<ReturnType<typeof setTimeout>>();

  /** Creates the draft on first need, or saves the values into it. */
  const saveDraft = (): Promise<string> => {
    const run = async () => {
      const data = current();
      const json = JSON.stringify(data);
      if (idRef.current) {
        if (json !== savedJson.current) await api.updateDraft(idRef.current, data);
      } else {
        const created = await api.createCase({ matter: model.matter.key, form: model.formKey, data, draft: true });
        idRef.current = created.id;
        window.history.replaceState(window.history.state, '', `/apply/${model.matter.key}/${model.formKey}/${created.id}`);
      }
      savedJson.current = json;
      const now = current();
      if (JSON.stringify(now) === json) dropUnsent(user, model.matter.key, model.formKey);
      else keepUnsent(user, model.matter.key, model.formKey, { caseId: idRef.current, values: now, at: Date.now() });
      return idRef.current;
    };
    const next = queue.current.then(run, run);
    queue.current = next.catch(() => undefined);
    return next;
  };

  const autosave = async () => {
    setSaveState({ kind: 'saving' });
    try {
      await saveDraft();
      setSaveState({ kind: 'saved', at: new Date() });
    } catch (e) {
      setSaveState({ kind: 'failed', message: e instanceof ApiError ? e.message : String((e as Error).message) });
    }
  };

  const onValues = useCallback((next: Record<string, unknown>) => {
    setValues(next);
    const json = JSON.stringify(next);
    // Values the form sets itself on opening (computed fields) are not the applicant's changes.
    if (!touched.current) { savedJson.current = json; return; }
    if (json === savedJson.current) return;
    keepUnsent(user, model.matter.key, model.formKey, { caseId: idRef.current, values: next, at: Date.now() });
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void autosave(), AUTOSAVE_MS);
  }, [user, model]);
  useEffect(() => () => clearTimeout(timer.current), []);
  const touch = () => { touched.current = true; };

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

  // One group per step in care mode.
  const steps = useFormSteps(model.schema, model.checker, formRef);

  const fail = (e: unknown) => {
    if (e instanceof ApiError) {
      if (e.errors.length && formRef.current) {
        showErrors(formRef.current, e.errors);
        steps.showStepOf(e.errors);
        scrollToFirstError();
      }
      setError(e.errors.length ? `${e.message}：${tf('form.fix', { n: e.errors.length })}` : e.message);
    } else setError((e as Error).message);
  };

  const onNext = () => {
    setError(undefined);
    const n = steps.next();
    if (n) setError(tf('form.fixStep', { n }));
    else if (touched.current) void autosave();
  };

  const onSave = async () => {
    setBusy('save');
    setError(undefined);
    try {
      await saveDraft();
      setSaveState({ kind: 'saved', at: new Date() });
      void message.success(t('form.saved'));
    } catch (e) { fail(e); } finally { setBusy(undefined); }
  };

  const onLater = async () => {
    setBusy('later');
    setError(undefined);
    try {
      clearTimeout(timer.current);
      if (touched.current || idRef.current) await saveDraft();
      void message.success(t('form.savedLater'));
      navigate('/apply');
    } catch (e) { fail(e); setBusy(undefined); }
  };

  const onSubmit = async () => {
    const form = formRef.current;
    if (!form) return;
    setError(undefined);
    const checked = checkForm(form, model.checker);
    if (checked.errors.length) {
      steps.showStepOf(checked.errors);
      setError(tf('form.fix', { n: checked.errors.length }));
      scrollToFirstError();
      return;
    }
    if (hasPromises(model.schema, current()) && !promise) {
      setError(t('form.promiseNeeded'));
      return;
    }
    setBusy('submit');
    clearTimeout(timer.current);
    try {
      // An autosave in flight may be creating the draft: wait for it, then submit that draft.
      await queue.current;
      let id: string;
      if (idRef.current) {
        id = idRef.current;
        try {
          id = await saveDraft();
          await api.submit(id);
        } catch (e) {
          // A submission whose answer was lost (network, proxy) may have gone through: a retry then
          // finds the draft already submitted (409). Either way the case itself tells.
          if (!(mayRetry(e) || (e instanceof ApiError && e.status === 409))) throw e;
          const now = await api.case(id).catch(() => null);
          if (!now || now.status === 'draft' || !now.no) throw e;
        }
      } else {
        // One key per submission, kept across the applicant's retries until it succeeds.
        submitKey.current ??= newIdempotencyKey();
        id = (await api.createCase({ matter: model.matter.key, form: model.formKey, data: current() }, submitKey.current)).id;
      }
      submitKey.current = undefined;
      dropUnsent(user, model.matter.key, model.formKey);
      navigate(`/my/cases/${id}/submitted`, { replace: true });
    } catch (e) { fail(e); } finally { setBusy(undefined); }
  };

  const promising = hasPromises(model.schema, values);
  const status = saveState.kind === 'saving' ? t('form.autosaving')
    : saveState.kind === 'saved' ? tf('form.autosaved', { at: formatTime(saveState.at).slice(11) })
      : saveState.kind === 'failed' ? `${t('form.autosaveFailed')}（${saveState.message}）` : '';
  return (
    <div className="lb-form-layout">
      <aside className="lb-form-side" aria-label={t('form.checklist')}>
        <Checklist items={model.matter.linkedItems} schema={model.schema} values={values} />
      </aside>
      <div className="lb-form-main" onInputCapture={touch} onChangeCapture={touch} onClickCapture={touch} onKeyDownCapture={(e) => { if (e.key === 'Enter' || e.key === ' ') touch(); }}>
        {restored ? <Alert type="info" showIcon className="lb-section-card" role="status" message={t('form.restored')} data-testid="restored" /> : null}
        {steps.progress}
        <FormRenderer schema={model.schema} value={initial} onChange={onValues} onForm={onForm} uploader={uploader} shown={steps.shown} />
      </div>
      <div className="lb-submit-bar">
        <Card size="small">
          {error ? <Alert type="error" showIcon message={error} role="alert" style={{ marginBottom: 12 }} data-testid="form-error" /> : null}
          {promising && steps.last ? (
            <Checkbox checked={promise} onChange={(e) => setPromise(e.target.checked)} style={{ marginBottom: 12 }} data-testid="promise">
              {t('form.promise')}
            </Checkbox>
          ) : null}
          {steps.step >= 0 ? (
            <div className="lb-step-nav" style={{ marginBottom: 12 }}>
              <Button size="large" onClick={() => { setError(undefined); steps.prev(); }} disabled={steps.step === 0 || !!busy}>{t('form.prev')}</Button>
              {steps.last
                ? <Button size="large" type="primary" onClick={() => void onSubmit()} loading={busy === 'submit'} disabled={!!busy}>{t('form.submit')}</Button>
                : <Button size="large" type="primary" onClick={onNext} disabled={!!busy}>{t('form.next')}</Button>}
            </div>
          ) : null}
          <div className="lb-submit-row">
            <Button onClick={() => void onSave()} loading={busy === 'save'} disabled={!!busy}>{t('form.saveDraft')}</Button>
            <Button onClick={() => void onLater()} loading={busy === 'later'} disabled={!!busy} data-testid="continue-later">{t('form.later')}</Button>
            {steps.step < 0 ? <Button type="primary" onClick={() => void onSubmit()} loading={busy === 'submit'} disabled={!!busy}>{t('form.submit')}</Button> : null}
            <span className="lb-autosave" role="status" data-testid="autosave" data-state={saveState.kind}>{status}</span>
          </div>
        </Card>
      </div>
    </div>
  );
}
