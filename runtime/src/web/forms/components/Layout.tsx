/** Section headings (分组), help notes (说明) and computed read-only values. */
import { useContext, type ReactNode } from 'react';
import { observer, useField } from '@formily/react';
import type { Field, GeneralField } from '@formily/core';
import { FormStepContext, hiddenByStep } from '../steps';

export function Section({ children, description }: { children?: ReactNode; description?: string }) {
  const field = useField<GeneralField>();
  const shown = useContext(FormStepContext);
  const id = `lb-section-${field.address.toString()}`;
  return (
    <section className="lb-section" data-path={field.path.toString()} aria-labelledby={id} hidden={hiddenByStep(shown, field.address) || undefined}>
      <h2 className="lb-section-title" id={id}>{field.title}</h2>
      {description ? <p className="lb-help">{description}</p> : null}
      <div className="lb-grid">{children}</div>
    </section>
  );
}

export function HelpText({ description }: { description?: string }) {
  const field = useField<GeneralField>();
  const shown = useContext(FormStepContext);
  return (
    <div className="lb-note lb-span-4" role="note" data-path={field.path.toString()} hidden={hiddenByStep(shown, field.address) || undefined}>
      {field.title ? <strong>{field.title}：</strong> : null}
      <span className="lb-note-text">{description}</span>
    </div>
  );
}

/** A computed value: shown, never typed. Choice values are shown by their label. */
export const ComputedText = observer(({ value }: { value?: unknown }) => {
  const field = useField<Field>();
  const option = field.dataSource?.find((o) => o.value === value);
  const text = option ? String(option.label) : value === undefined || value === null || value === '' ? '' : String(value);
  return <span className="lb-computed" data-computed>{text || <span className="lb-placeholder">填写身份证号码等后自动计算</span>}</span>;
});
