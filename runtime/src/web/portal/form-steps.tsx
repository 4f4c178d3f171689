/**
 * One question group per step in care mode (关怀模式), for any page that fills a form: the steps
 * (forms/steps.ts), the progress line "第 2 步，共 3 步：联办事项" (focused when the step changes),
 * and 下一步 that checks only the current group's fields first.
 */
import { useMemo, useRef, useState, type RefObject } from 'react';
import type { Form } from '@formily/core';
import { toJS } from '@formily/reactive';
import type { FieldError, FormSchema, SubmissionChecker } from '@lianban/runtime';
import { errorsOfStep, formSteps, showErrors, stepOfPath } from '../forms/index';
import { useCareMode } from '../care-mode';
import { t, tf } from '../i18n';
import { scrollToFirstError } from './apply-model';
import './portal.css';

export interface FormStepper {
  /** Index of the current step; -1 when the whole form shows at once. */
  step: number;
  count: number;
  /** Top-level keys shown now, for `<FormRenderer shown>`. */
  shown: ReadonlySet<string> | null;
  last: boolean;
  prev(): void;
  /** Checks the current group; moves on when it is fine, else shows its errors. Returns the number of errors. */
  next(): number;
  /** Goes to the step of the first error (after a full check or a server answer). */
  showStepOf(errors: FieldError[]): void;
  /** The progress line, or null. */
  progress: JSX.Element | null;
}

export function useFormSteps(schema: FormSchema, checker: SubmissionChecker, formRef: RefObject<Form | undefined>): FormStepper {
  const [care] = useCareMode();
  const steps = useMemo(() => (care ? formSteps(schema) : []), [care, schema]);
  const [index, setIndex] = useState(0);
  const headingRef = useRef<HTMLParagraphElement>(null);
  const step = steps.length ? Math.min(index, steps.length - 1) : -1;
  const shown = useMemo(() => (step >= 0 ? new Set(steps[step]!.members) : null), [steps, step]);
  const goTo = (i: number) => {
    setIndex(i);
    requestAnimationFrame(() => {
      window.scrollTo({ top: 0 });
      headingRef.current?.focus();
    });
  };
  const progress = step >= 0 ? <StepProgress titles={steps.map((s) => s.title)} index={step} headingRef={headingRef} /> : null;
  return {
    step,
    count: steps.length,
    shown,
    last: step < 0 || step === steps.length - 1,
    progress,
    prev: () => goTo(Math.max(0, step - 1)),
    next: () => {
      const form = formRef.current;
      if (!form || step < 0) return 0;
      const errors = errorsOfStep(steps, step, checker.check(toJS(form.values) as Record<string, unknown>).errors);
      showErrors(form, errors);
      if (errors.length) scrollToFirstError();
      else goTo(step + 1);
      return errors.length;
    },
    showStepOf: (errors) => {
      const at = errors.length ? stepOfPath(steps, errors[0]!.path) : -1;
      if (at >= 0 && at !== step) setIndex(at);
    },
  };
}

/** "第 2 步，共 3 步" with a bar and the steps' titles (done ones ticked). */
function StepProgress({ titles, index, headingRef }: { titles: string[]; index: number; headingRef: RefObject<HTMLParagraphElement> }) {
  const label = tf('form.stepOf', { n: index + 1, total: titles.length, title: titles[index]! });
  return (
    <nav className="lb-steps" aria-label={t('form.progress')} data-testid="steps">
      <p className="lb-steps-count" id="lb-steps-count" tabIndex={-1} ref={headingRef}>{label}</p>
      <div className="lb-steps-bar" role="progressbar" aria-labelledby="lb-steps-count" aria-valuemin={1} aria-valuemax={titles.length} aria-valuenow={index + 1}>
        <span style={{ width: `${((index + 1) / titles.length) * 100}%` }} />
      </div>
      <ol>
        {titles.map((title, i) => (
          <li key={i} aria-current={i === index ? 'step' : undefined} className={i < index ? 'lb-step-done' : undefined}>{title}</li>
        ))}
      </ol>
    </nav>
  );
}
