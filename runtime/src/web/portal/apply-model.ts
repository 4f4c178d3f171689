/** What the application page loads and keeps: the matter, the chosen form, the draft. */
import { compileChecker, type FormSchema, type SubmissionChecker } from '@lianban/runtime';
import { api, type CaseView, type Matter } from '../api/index';
import { uploadEntries, withWaivable } from '../case/index';

export interface ApplyModel {
  matter: Matter;
  formKey: string;
  formTitle: string;
  schema: FormSchema;
  checker: SubmissionChecker;
  draft?: CaseView;
}

/** Loads the matter and form (with 容缺 switched on for waivable materials), and the draft if any. */
export async function loadApply(matterKey: string, formKey: string, draftId?: string): Promise<ApplyModel> {
  const [matter, draft] = await Promise.all([api.matter(matterKey), draftId ? api.case(draftId) : Promise.resolve(undefined)]);
  const form = matter.forms.find((f) => f.key === formKey);
  if (!form) throw new Error(`事项中没有表单 ${formKey}`);
  const schema = withWaivable(form.schema, matter.linkedItems);
  return { matter, formKey, formTitle: form.title, schema, checker: compileChecker(schema), draft };
}

/** True when the values promise (容缺) some material. */
export const hasPromises = (schema: FormSchema, values: Record<string, unknown>) =>
  uploadEntries(schema, values).some((e) => e.promised);

/** Scrolls the first shown field with an error into view and focuses its control. */
export function scrollToFirstError(): void {
  // Two frames: a step switched in the same click has rendered by then.
  requestAnimationFrame(() => requestAnimationFrame(() => {
    // Fields of other steps (care mode) are hidden: skip them.
    const el = [...document.querySelectorAll<HTMLElement>('.lb-has-error')].find((e) => e.offsetParent !== null);
    el?.scrollIntoView({ block: 'center', behavior: 'smooth' });
    (el?.querySelector('input, button, [tabindex]') as HTMLElement | null)?.focus({ preventScroll: true });
  }));
}
