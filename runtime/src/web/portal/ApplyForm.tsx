/**
 * /apply/:matter/:form[/:caseId] — fill the application: the rendered form, the linked-item
 * checklist, uploads (a draft is created on the first upload), save draft, submit.
 *
 * Forgiving: what is typed is saved to the draft automatically (debounced), kept in the tab's
 * sessionStorage until saved (a reload or a session timeout loses nothing), and "稍后继续" saves
 * and leaves. In care mode the form shows one top-level group per step (see forms/steps.ts).
 * The logic lives in apply/: the draft (draft-saver.ts, useAutosave.ts), the buttons
 * (useApplyActions.ts, a retry-safe submission in submit-with-retry.ts) and the bar (SubmitBar.tsx).
 */
import { useCallback, useRef, useState, type KeyboardEvent } from 'react';
import { useParams } from 'react-router-dom';
import { Alert } from 'antd';
import type { Form } from '@formily/core';
import { FormRenderer, MaterialReuseContext } from '../forms/index';
import { t } from '../i18n';
import { LoadState, Shell, useLoad, useSession } from '../shell/index';
import { hasPromises, loadApply, type ApplyModel } from './apply-model';
import { SubmitBar } from './apply/SubmitBar';
import { useApplyActions } from './apply/useApplyActions';
import { useAutosave } from './apply/useAutosave';
import { useMaterialReuser } from './apply/useMaterialReuser';
import { Checklist } from './Checklist';
import { useFormSteps } from './form-steps';
import './portal.css';

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
  const { me } = useSession();
  const formRef = useRef<Form>();
  const onForm = useCallback((f: Form) => { formRef.current = f; }, []);
  const autosave = useAutosave(model, me?.user.username ?? '', formRef);
  // One group per step in care mode.
  const steps = useFormSteps(model.schema, model.checker, formRef);
  const [promised, setPromised] = useState(false);
  const actions = useApplyActions(model, formRef, autosave, steps, promised);
  const reuser = useMaterialReuser(autosave.draft); // 免提交: 「使用已有材料」 on each material
  const touch = () => autosave.draft.touch();
  const touchByKey = (e: KeyboardEvent) => { if (e.key === 'Enter' || e.key === ' ') touch(); };
  return (
    <div className="lb-form-layout">
      <aside className="lb-form-side" aria-label={t('form.checklist')}>
        <Checklist items={model.matter.linkedItems} schema={model.schema} values={autosave.values} />
      </aside>
      <div className="lb-form-main" onInputCapture={touch} onChangeCapture={touch} onClickCapture={touch} onKeyDownCapture={touchByKey}>
        {autosave.restored ? <Alert type="info" showIcon className="lb-section-card" role="status" message={t('form.restored')} data-testid="restored" /> : null}
        {steps.progress}
        <MaterialReuseContext.Provider value={reuser}>
          <FormRenderer schema={model.schema} value={autosave.initial} onChange={autosave.onValues} onForm={onForm} uploader={actions.upload} shown={steps.shown} />
        </MaterialReuseContext.Provider>
      </div>
      <SubmitBar actions={actions} steps={steps} saveState={autosave.saveState}
        promising={hasPromises(model.schema, autosave.values)} promised={promised} onPromised={setPromised} />
    </div>
  );
}
