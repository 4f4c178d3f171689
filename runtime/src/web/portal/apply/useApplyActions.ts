/**
 * `useApplyActions(...)`: what the buttons under the application form do — 下一步 (care mode),
 * 保存草稿, 稍后继续, 提交 — with the busy button and the error shown above them. Server
 * errors are put on their fields and the step of the first one is shown.
 */
import { useCallback, useState, type RefObject } from 'react';
import { useNavigate } from 'react-router-dom';
import { App as AntApp } from 'antd';
import type { Form } from '@formily/core';
import { checkForm, showErrors } from '../../forms/index';
import { api, ApiError } from '../../api/index';
import { t, tf } from '../../i18n';
import { hasPromises, scrollToFirstError, type ApplyModel } from '../apply-model';
import type { FormStepper } from '../form-steps';
import { ApplicationSubmitter } from './submit-with-retry';
import type { Autosave } from './useAutosave';

export type Busy = 'save' | 'submit' | 'later' | undefined;

export interface ApplyActions {
  busy: Busy;
  error: string | undefined;
  /** Back one step (care mode). */
  prev(): void;
  /** On one step after checking this one (care mode); autosaves when the form was touched. */
  next(): void;
  save(): Promise<void>;
  /** Saves and leaves for the applicant's home. */
  later(): Promise<void>;
  /** Checks the whole form and the 容缺 promise, then submits. */
  submit(): Promise<void>;
  /** For `<FormRenderer uploader>`: stores a file in the draft (created on the first upload). */
  upload(file: File): Promise<{ fileId: string }>;
}

export function useApplyActions(
  model: ApplyModel, formRef: RefObject<Form | undefined>, autosave: Autosave, steps: FormStepper, promised: boolean,
): ApplyActions {
  const navigate = useNavigate();
  const { message } = AntApp.useApp();
  const [busy, setBusy] = useState<Busy>();
  const [error, setError] = useState<string>();
  const [submitter] = useState(() => new ApplicationSubmitter(autosave.draft, api));
  const { draft } = autosave;

  // Stable, like the draft it writes to, so the form is not rebuilt on every render.
  const upload = useCallback(async (file: File, material?: string) => {
    try {
      const id = await draft.save();
      const stored = await api.upload(id, file, material);
      return { fileId: stored.fileId };
    } catch (e) {
      void message.error(e instanceof ApiError ? e.message : '上传失败');
      throw e;
    }
  }, [draft, message]);

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

  return {
    busy,
    error,
    upload,
    prev: () => { setError(undefined); steps.prev(); },
    next: () => {
      setError(undefined);
      const n = steps.next();
      if (n) setError(tf('form.fixStep', { n }));
      else if (draft.touched) void autosave.autosave();
    },
    save: async () => {
      setBusy('save');
      setError(undefined);
      try {
        await draft.save();
        autosave.saved();
        void message.success(t('form.saved'));
      } catch (e) { fail(e); } finally { setBusy(undefined); }
    },
    later: async () => {
      setBusy('later');
      setError(undefined);
      try {
        autosave.cancel();
        if (draft.touched || draft.id) await draft.save();
        void message.success(t('form.savedLater'));
        navigate('/apply');
      } catch (e) { fail(e); setBusy(undefined); }
    },
    submit: async () => {
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
      if (hasPromises(model.schema, draft.current()) && !promised) {
        setError(t('form.promiseNeeded'));
        return;
      }
      setBusy('submit');
      autosave.cancel();
      try {
        const id = await submitter.submit(model.matter.key, model.formKey);
        navigate(`/my/cases/${id}/submitted`, { replace: true });
      } catch (e) { fail(e); } finally { setBusy(undefined); }
    },
  };
}
