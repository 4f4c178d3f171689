/**
 * The bar under the application form: the error, the 容缺 promise, the step buttons (care
 * mode), 保存草稿 / 稍后继续 / 提交 and the autosave state.
 */
import { Alert, Button, Card, Checkbox } from 'antd';
import { formatTime } from '../../case/labels';
import { t, tf } from '../../i18n';
import type { FormStepper } from '../form-steps';
import type { ApplyActions } from './useApplyActions';
import type { SaveState } from './useAutosave';

/** The autosave state in words ('' before the first save). */
export function saveStatusText(state: SaveState): string {
  if (state.kind === 'saving') return t('form.autosaving');
  if (state.kind === 'saved') return tf('form.autosaved', { at: formatTime(state.at).slice(11) });
  if (state.kind === 'failed') return `${t('form.autosaveFailed')}（${state.message}）`;
  return '';
}

export interface SubmitBarProps {
  actions: ApplyActions;
  steps: FormStepper;
  saveState: SaveState;
  /** Whether the values promise some material (容缺): then the promise must be ticked. */
  promising: boolean;
  promised: boolean;
  onPromised(promised: boolean): void;
}

export function SubmitBar({ actions, steps, saveState, promising, promised, onPromised }: SubmitBarProps) {
  const { busy, error } = actions;
  const submit = <Button size="large" type="primary" onClick={() => void actions.submit()} loading={busy === 'submit'} disabled={!!busy}>{t('form.submit')}</Button>;
  return (
    <div className="lb-submit-bar">
      <Card size="small">
        {error ? <Alert type="error" showIcon message={error} role="alert" style={{ marginBottom: 12 }} data-testid="form-error" /> : null}
        {promising && steps.last ? (
          <Checkbox checked={promised} onChange={(e) => onPromised(e.target.checked)} style={{ marginBottom: 12 }} data-testid="promise">
            {t('form.promise')}
          </Checkbox>
        ) : null}
        {steps.step >= 0 ? (
          <div className="lb-step-nav" style={{ marginBottom: 12 }}>
            <Button size="large" onClick={actions.prev} disabled={steps.step === 0 || !!busy}>{t('form.prev')}</Button>
            {steps.last ? submit : <Button size="large" type="primary" onClick={actions.next} disabled={!!busy}>{t('form.next')}</Button>}
          </div>
        ) : null}
        <div className="lb-submit-row">
          <Button onClick={() => void actions.save()} loading={busy === 'save'} disabled={!!busy}>{t('form.saveDraft')}</Button>
          <Button onClick={() => void actions.later()} loading={busy === 'later'} disabled={!!busy} data-testid="continue-later">{t('form.later')}</Button>
          {steps.step < 0 ? <Button type="primary" onClick={() => void actions.submit()} loading={busy === 'submit'} disabled={!!busy}>{t('form.submit')}</Button> : null}
          <span className="lb-autosave" role="status" data-testid="autosave" data-state={saveState.kind}>{saveStatusText(saveState)}</span>
        </div>
      </Card>
    </div>
  );
}
