/**
 * What a caller sees of a case (API.md `GET /cases/:id`). Personal data (the field types marked
 * `sensitive`, e.g. ID numbers) is masked for everyone but the applicant, unless revealed
 * (audited) by staff working on the case.
 */
import { activeElements, maskSensitiveData, type FieldSchema, type FlowState } from '@lianban/runtime';
import type { CaseDoc, MatterVersionDoc } from '../models';
import type { SessionUser } from './auth';
import { resultEntries } from './item-results';

export type Viewer = Pick<SessionUser, 'id' | 'tenant' | 'roles' | 'departments'>;

export function caseView(doc: CaseDoc & { _id: unknown }, matter: MatterVersionDoc, viewer: Viewer, revealed: boolean) {
  const schema = matter.forms.find((f) => f.key === doc.form)?.schema as FieldSchema | undefined;
  const own = doc.applicant === viewer.id;
  const data = own || revealed || !schema ? doc.data : maskSensitiveData(doc.data, schema);
  const state = doc.flow.state as unknown as FlowState | null;
  return {
    id: String(doc._id),
    no: doc.no,
    status: doc.status,
    matter: doc.matter.key,
    matterTitle: doc.matter.title,
    version: doc.matter.version,
    form: doc.form,
    applicantName: doc.applicantName,
    data,
    masked: !own && !revealed,
    items: doc.items.map((item) => {
      const { key, title, department, status } = item;
      const result = resultEntries(matter, item);
      return result ? { key, title, department, status, result: item.result, resultFields: result, resultAt: item.resultAt } : { key, title, department, status };
    }),
    active: state ? activeElements(state) : [],
    tasks: doc.tasks.map(({ id, name, department, state: taskState, outcome, dueAt, claimedBy, completedBy, elementId, outcomes, formKey }) => ({
      id, name, department, state: taskState, outcome, dueAt, claimedBy, completedBy, elementId, outcomes, formKey,
    })),
    timeline: doc.timeline,
    createdAt: doc.createdAt,
    submittedAt: doc.submittedAt,
    endedAt: doc.endedAt,
  };
}
