/** Shows `{path, message}` errors (from the browser checker or the server) on the form's fields. */
import type { Form } from '@formily/core';
import { toJS } from '@formily/reactive';
import type { FieldError, SubmissionChecker, CheckResult } from '@lianban/runtime';

/** Clears previous errors and puts each message on the field at its dotted path. */
export function showErrors(form: Form, errors: FieldError[]): void {
  form.query('*').forEach((f) => {
    if (!('selfErrors' in f)) return;
    f.selfErrors = [];
    if (f.decoratorProps?.error) f.setDecoratorProps({ error: undefined });
  });
  for (const e of errors) {
    if (!e.path) continue;
    const field = form.query(e.path).take();
    if (!field || !('selfErrors' in field)) continue;
    field.selfErrors = [e.message];
    // FieldCell reads the error from its decorator props; RowCell observes selfErrors.
    field.setDecoratorProps({ error: e.message });
  }
}

/** Runs the same pure checker the server runs on the form's values and shows its errors. */
export function checkForm(form: Form, checker: SubmissionChecker): CheckResult {
  const result = checker.check(toJS(form.values));
  showErrors(form, result.errors);
  return result;
}
