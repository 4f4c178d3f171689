/**
 * What a caller sees of a case (API.md `GET /cases/:id`). Personal data (the field types marked
 * `sensitive`, e.g. ID numbers) is masked for everyone but the applicant, unless revealed
 * (audited) by staff working on the case.
 */
import { activeElements, maskSensitiveData, type FieldSchema, type FlowState } from '@lianban/runtime';
import type { CaseDoc, MatterVersionDoc } from '../models';
import type { SessionUser } from './auth';

export type Viewer = Pick<SessionUser, 'id' | 'tenant' | 'roles' | 'departments'>;

const maskId = (v: string) => (v.length > 6 ? `${v.slice(0, 6)}${'*'.repeat(v.length - 6)}` : v);

/** 窗口收件: channel, the citizen and agent (ID numbers masked like the data's), who filed it. */
function counterView(doc: CaseDoc, full: boolean) {
  return {
    channel: doc.channel ?? 'online',
    ...(doc.onBehalfOf ? { onBehalfOf: { ...doc.onBehalfOf, idNumber: full ? doc.onBehalfOf.idNumber : maskId(doc.onBehalfOf.idNumber) } } : {}),
    ...(doc.agent ? { agent: { ...doc.agent, idNumber: full ? doc.agent.idNumber : maskId(doc.agent.idNumber) } } : {}),
    ...(doc.filedBy ? { filedBy: { username: doc.filedBy.username, name: doc.filedBy.name } } : {}),
  };
}

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
    items: doc.items.map(({ key, title, department, status }) => ({ key, title, department, status })),
    active: state ? activeElements(state) : [],
    tasks: doc.tasks.map(({ id, name, department, state: taskState, outcome, dueAt, claimedBy, completedBy, elementId, outcomes, formKey }) => ({
      id, name, department, state: taskState, outcome, dueAt, claimedBy, completedBy, elementId, outcomes, formKey,
    })),
    timeline: doc.timeline,
    createdAt: doc.createdAt,
    submittedAt: doc.submittedAt,
    endedAt: doc.endedAt,
    ...counterView(doc, own || revealed),
    comments: (doc.comments ?? []).map(({ id, taskId, taskName, at, author, authorName, department, text, attachments }) => ({ id, taskId, taskName, at, author, authorName, department, text, attachments })),
  };
}
