/**
 * Task forms: a form of the matter that the flow names as a user task's `lb:formKey` is filled
 * in during handling (by staff, or by the applicant when asked), not when applying. The other
 * forms are the application forms the portal offers.
 *
 *   taskFormKeys(matter.flow.xml)   // Set { 'medical-review' }
 *   applicationForms(matter)        // the forms an applicant applies with
 */
import type { Definition } from '../engine/types';

/** Form keys the flow uses as a task's `lb:formKey`, from the flow XML or its deployed definition. */
export function taskFormKeys(flow: string | Definition): Set<string> {
  if (typeof flow === 'string') return new Set([...flow.matchAll(/lb:formKey="([^"]+)"/g)].map((m) => m[1]!));
  return new Set(Object.values(flow.elements).flatMap((el) => (el.lb.formKey ? [el.lb.formKey] : [])));
}

/** The matter's forms an applicant applies with: all but the task-only ones. */
export function applicationForms<F extends { key: string }>(matter: { forms: F[]; flow: { xml: string } }): F[] {
  const taskOnly = taskFormKeys(matter.flow.xml);
  return matter.forms.filter((f) => !taskOnly.has(f.key));
}
