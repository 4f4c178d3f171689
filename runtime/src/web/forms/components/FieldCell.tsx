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
  children?: ReactNode;
}

export const FieldCell = observer(({ span = 1, description, children }: FieldCellProps) => {
  const field = useField<Field>();
  const errors = field.selfErrors;
  const id = `lb-${field.path.toString()}`;
  return (
    <div className={`lb-cell lb-span-${span}${errors.length ? ' lb-has-error' : ''}`} data-path={field.path.toString()}>
      <label className="lb-label" htmlFor={id}>
        {field.required && field.pattern === 'editable' ? <span className="lb-required" aria-hidden>*</span> : null}
        {field.title}
      </label>
      <div className="lb-control" id={id}>
        {children}
        {errors.length ? <div className="lb-error" role="alert">{errors[0]}</div> : null}
        {description && field.pattern === 'editable' ? <div className="lb-help">{description}</div> : null}
      </div>
    </div>
  );
});

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
