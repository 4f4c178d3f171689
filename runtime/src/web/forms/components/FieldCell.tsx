/**
 * The light decorator of every field: label, control, help text and first error, laid out as
 * one cell of the CSS grid (no antd Form.Item / FormGrid: those dominate mount time at 500 fields).
 *
 * Accessibility: the control itself gets the id the label points at (`lb-<path>`), plus
 * `aria-describedby` (help text and error), `aria-invalid` and `aria-required`; controls that are
 * groups (radios, check boxes, yes/no, materials, rows) get a group role named by the label.
 * The error sits in a polite live region, so it is announced when it appears.
 */
import { cloneElement, isValidElement, useContext, useMemo, type ReactElement, type ReactNode } from 'react';
import { observer, useField, useFieldSchema } from '@formily/react';
import type { Field } from '@formily/core';
import { FormStepContext, hiddenByStep } from '../steps';

export interface FieldCellProps {
  span?: 1 | 2 | 3 | 4;
  description?: string;
  /** Kept in the decorator props by the rule reaction (required-when) and the schema. */
  required?: boolean;
  /** The first error, kept in the decorator props (see FormRenderer's effects and showErrors). */
  error?: string;
  children?: ReactNode;
}

/** Components that are a group of controls rather than one labelable input, with their role. */
const GROUP_ROLES: Record<string, 'radiogroup' | 'group'> = {
  'Radio.Group': 'radiogroup', YesNo: 'radiogroup', 'Checkbox.Group': 'group', MaterialsUpload: 'group', RowsTable: 'group',
};

/** Components whose aria attributes also land on a plain wrapper div, where aria-required is not allowed. */
const NO_ARIA_REQUIRED = new Set(['Select', 'RegionPicker']);

/** The id of a field's control (what its label points at). */
export const controlId = (path: string) => `lb-${path}`;

const joinIds = (...ids: (string | false | undefined)[]) => ids.filter(Boolean).join(' ') || undefined;

/**
 * Not an observer on purpose: what changes (required, error) arrives as decorator props, which
 * Formily's ReactiveField already tracks; one observer less per field is ~12% of mount time.
 */
export function FieldCell({ span = 1, description, required, error, children }: FieldCellProps) {
  const field = useField<Field>();
  const schema = useFieldSchema();
  const shown = useContext(FormStepContext);
  const path = field.path.toString();
  const editable = field.pattern === 'editable';
  const id = controlId(path);
  const labelId = `${id}-label`;
  const errorId = `${id}-error`;
  const helpId = description && editable ? `${id}-help` : undefined;
  const component = String(schema['x-component']);
  const role = GROUP_ROLES[component];
  // Memoised: an unchanged child element keeps React's bail-out (a new clone each render would
  // re-render the antd control whenever the cell re-renders; measured ~+1 ms per dependent-field toggle).
  const control = useMemo(() => {
    if (!editable || !isValidElement(children)) return children;
    const aria: Record<string, unknown> = {
      'aria-describedby': joinIds(error && errorId, helpId),
      'aria-invalid': error ? true : undefined,
    };
    if (role) Object.assign(aria, { role, 'aria-labelledby': labelId, 'aria-required': role === 'radiogroup' && required ? true : undefined });
    else Object.assign(aria, { id, 'aria-required': required && !NO_ARIA_REQUIRED.has(component) ? true : undefined });
    return cloneElement(children as ReactElement<Record<string, unknown>>, aria);
  }, [children, editable, error, errorId, helpId, role, labelId, required, id, component]);
  const labelled = editable && !role;
  const Label = labelled ? 'label' : 'div';
  return (
    <div className={`lb-cell lb-span-${span}${error ? ' lb-has-error' : ''}`} data-path={path} hidden={hiddenByStep(shown, field.address) || undefined}>
      <Label className="lb-label" id={labelId} {...(labelled ? { htmlFor: id } : {})}>
        {required && editable ? <span className="lb-required" aria-hidden>*</span> : null}
        {field.title}
        {required && editable ? <span className="lb-sr-only">（必填）</span> : null}
      </Label>
      <div className="lb-control">
        {control}
        {editable ? <div className="lb-error" id={errorId} aria-live="polite">{error ?? null}</div> : null}
        {helpId ? <div className="lb-help" id={helpId}>{description}</div> : null}
      </div>
    </div>
  );
}

/** The decorator of a cell inside a rows table: no visible label (the header has it), just the error. */
export const RowCell = observer(({ children }: { children?: ReactNode }) => {
  const field = useField<Field>();
  const schema = useFieldSchema();
  const errors = field.selfErrors;
  const path = field.path.toString();
  const id = controlId(path);
  const index = field.path.segments.at(-2);
  // e.g. "工作简历 第1行 起止时间（起）": the column header alone would not say which row.
  const parentTitle = field.form.query(String(field.path.segments[0])).take()?.title ?? '';
  const name = `${parentTitle} 第${typeof index === 'number' ? index + 1 : Number(index) + 1}行 ${field.title ?? ''}`.trim();
  const role = GROUP_ROLES[String(schema['x-component'])];
  let control = children;
  if (field.pattern === 'editable' && isValidElement(children)) {
    control = cloneElement(children as ReactElement<Record<string, unknown>>, {
      ...(role ? { role } : { id }),
      'aria-label': name,
      'aria-describedby': errors.length ? `${id}-error` : undefined,
      'aria-invalid': errors.length ? true : undefined,
      'aria-required': !role && field.required && !NO_ARIA_REQUIRED.has(String(schema['x-component'])) ? true : undefined,
    });
  }
  return (
    <div className={`lb-row-cell${errors.length ? ' lb-has-error' : ''}`} data-path={path}>
      {control}
      <div className="lb-error" id={`${id}-error`} aria-live="polite">{errors.length ? errors[0] : null}</div>
    </div>
  );
});
