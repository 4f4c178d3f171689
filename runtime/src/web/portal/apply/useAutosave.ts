/**
 * `useAutosave(model, user, formRef)`: the application's draft for React — the values the form
 * opens with (unsent values of this tab win over the stored draft), an autosave
 * {@link AUTOSAVE_MS} after the last change, and the save state shown beside the buttons.
 */
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import type { Form } from '@formily/core';
import { toJS } from '@formily/reactive';
import { api, ApiError } from '../../api/index';
import type { ApplyModel } from '../apply-model';
import { DraftSaver } from './draft-saver';
import { readUnsent, type Unsent } from './unsent';

/** Quiet time after the last change before the draft is saved. */
export const AUTOSAVE_MS = 2500;

export type SaveState = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved'; at: Date } | { kind: 'failed'; message: string };

export interface Autosave {
  draft: DraftSaver;
  /** Unsent values of an earlier visit the form opened with, if any. */
  restored: Unsent | undefined;
  /** The values the form opens with. */
  initial: Record<string, unknown> | undefined;
  /** The values as last reported by the form (for the checklist). */
  values: Record<string, unknown>;
  saveState: SaveState;
  /** For `<FormRenderer onChange>`. */
  onValues(next: Record<string, unknown>): void;
  /** Saves now, showing the state; never throws. */
  autosave(): Promise<void>;
  /** Records a save made by hand. */
  saved(): void;
  /** Drops a pending autosave (before leaving or submitting). */
  cancel(): void;
}

export function useAutosave(model: ApplyModel, user: string, formRef: RefObject<Form | undefined>): Autosave {
  const [restored] = useState(() => readUnsent(user, model.matter.key, model.formKey, model.draft?.id));
  const [initial] = useState(() => restored?.values ?? model.draft?.data);
  const [values, setValues] = useState<Record<string, unknown>>(initial ?? {});
  const [saveState, setSaveState] = useState<SaveState>({ kind: 'idle' });
  const [draft] = useState(() => new DraftSaver({
    api, user, matter: model.matter.key, form: model.formKey, draftId: model.draft?.id, initial, restored: !!restored,
    read: () => (formRef.current ? toJS(formRef.current.values) as Record<string, unknown> : undefined),
    onCreated: (id) => window.history.replaceState(window.history.state, '', `/apply/${model.matter.key}/${model.formKey}/${id}`),
  }));
  const timer = useRef<ReturnType<typeof setTimeout>>();

  const autosave = useCallback(async () => {
    setSaveState({ kind: 'saving' });
    try {
      await draft.save();
      setSaveState({ kind: 'saved', at: new Date() });
    } catch (e) {
      setSaveState({ kind: 'failed', message: e instanceof ApiError ? e.message : String((e as Error).message) });
    }
  }, [draft]);

  const onValues = useCallback((next: Record<string, unknown>) => {
    setValues(next);
    if (!draft.changed(next)) return;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void autosave(), AUTOSAVE_MS);
  }, [draft, autosave]);
  useEffect(() => () => clearTimeout(timer.current), []);

  return {
    draft, restored, initial, values, saveState, onValues, autosave,
    saved: () => setSaveState({ kind: 'saved', at: new Date() }),
    cancel: () => clearTimeout(timer.current),
  };
}
