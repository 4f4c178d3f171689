/**
 * The light decorator of every field: label, control, help text and first error, laid out as
 * one cell of the CSS grid (no antd Form.Item / FormGrid: those dominate mount time at 500 fields).
 */
import type { ReactNode } from 'react';
import { observer, useField } from '@formily/react';
import type { Field } from '@formily/core';

export interface FieldCellProps {
  span?: 1 | 2 | 3 | 4;
  description?: string;
  /** Kept in the decorator props by the rule reaction (required-when) and the schema. */
  required?: boolean;
  /** The first error, kept in the decorator props (see FormRenderer's effects and showErrors). */
  error?: string;
  children?: ReactNode;
}

/**
 * Not an observer on purpose: what changes (required, error) arrives as decorator props, which
 * Formily's ReactiveField already tracks; one observer less per field is ~12% of mount time.
 */
export function FieldCell({ span = 1, description, required, error, children }: FieldCellProps) {
  const field = useField<Field>();
  const path = field.path.toString();
  const editable = field.pattern === 'editable';
  return (
    <div className={`lb-cell lb-span-${span}${error ? ' lb-has-error' : ''}`} data-path={path}>
      <label className="lb-label" htmlFor={`lb-${path}`}>
        {required && editable ? <span className="lb-required" aria-hidden>*</span> : null}
        {field.title}
      </label>
      <div className="lb-control" id={`lb-${path}`}>
        {children}
        {error ? <div className="lb-error" role="alert">{error}</div> : null}
        {description && editable ? <div className="lb-help">{description}</div> : null}
      </div>
    </div>
  );
}

/** The decorator of a cell inside a rows table: no label (the header has it), just the error. */
export const RowCell = observer(({ children }: { children?: ReactNode }) => {
  const field = useField<Field>();
  const errors = field.selfErrors;
  return (
    <div className={`lb-row-cell${errors.length ? ' lb-has-error' : ''}`} data-path={field.path.toString()}>
      {children}
      {errors.length ? <div className="lb-error" role="alert">{errors[0]}</div> : null}
    </div>
  );
});
