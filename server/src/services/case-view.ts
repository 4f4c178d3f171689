/**
 * What a caller sees of a case (API.md `GET /cases/:id`). Personal data (the field types marked
 * `sensitive`, e.g. ID numbers) is masked for everyone but the applicant, unless revealed
 * (audited) by staff working on the case.
 */
import { activeElements, maskSensitiveData, walkSchema, type FieldSchema, type FlowState } from '@lianban/runtime';
import type { CaseDoc, MatterVersionDoc } from '../models';
import type { SessionUser } from './auth';
import { resultEntries } from './item-results';
import { deadlineView } from './case-deadline';
import { itemEnding, shownItemStatus } from './item-status';

export type Viewer = Pick<SessionUser, 'id' | 'tenant' | 'roles' | 'departments'>;

const maskId = (v: string) => (v.length > 6 ? `${v.slice(0, 6)}${'*'.repeat(v.length - 6)}` : v);

/** 窗口收件: channel, the citizen and agent (ID numbers masked like the data's), who filed it. */
function counterView(doc: CaseDoc, own: boolean, revealed: boolean) {
  return {
    channel: doc.channel ?? 'online',
    ...(doc.onBehalfOf ? { onBehalfOf: { ...doc.onBehalfOf, idNumber: own || revealed ? doc.onBehalfOf.idNumber : maskId(doc.onBehalfOf.idNumber) } } : {}),
    // the agent's number is another person's: in full only to staff who revealed the case (as the receipt prints it masked)
    ...(doc.agent ? { agent: { ...doc.agent, idNumber: revealed ? doc.agent.idNumber : maskId(doc.agent.idNumber) } } : {}),
    ...(doc.filedBy ? { filedBy: { username: doc.filedBy.username, name: doc.filedBy.name } } : {}),
  };
}

export function caseView(doc: CaseDoc & { _id: unknown }, matter: MatterVersionDoc, viewer: Viewer, revealed: boolean) {
  const schema = matter.forms.find((f) => f.key === doc.form)?.schema as FieldSchema | undefined;
  const own = doc.applicant === viewer.id;
  const data = own || revealed || !schema ? doc.data : maskSensitiveData(doc.data, schema);
  const state = doc.flow.state as unknown as FlowState | null;
  const ending = itemEnding(doc);
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
      const { key, title, department } = item;
      const status = shownItemStatus(ending, item);
      const result = resultEntries(matter, item);
      const due = item.deadline ? { deadline: { workdays: item.deadline.workdays, dueAt: item.deadline.dueAt } } : {};
      return result ? { key, title, department, status, ...due, result: item.result, resultFields: result, resultAt: item.resultAt } : { key, title, department, status, ...due };
    }),
    active: state ? activeElements(state) : [],
    tasks: doc.tasks.map(({ id, name, department, state: taskState, outcome, dueAt, claimedBy, completedBy, elementId, outcomes, formKey, kind, assignee, owner, delegation, delegateResult, countersign, held, parentId }) => ({
      id, name, department, state: taskState, outcome, dueAt, claimedBy, completedBy, elementId, outcomes, formKey,
      // office moves (task-moves.ts): the chain of 委派 and 加签 (a held completion without its data)
      kind, assignee, owner, delegation, delegateResult, countersign, parentId, held: held && { by: held.by, outcome: held.outcome, comment: held.comment, at: held.at },
    })),
    timeline: doc.timeline,
    deadline: deadlineView(doc),
    correction: correctionNotice(doc, schema),
    createdAt: doc.createdAt,
    submittedAt: doc.submittedAt,
    endedAt: doc.endedAt,
    suspension: doc.suspension ? { at: doc.suspension.at, by: doc.suspension.by, reason: doc.suspension.reason, until: doc.suspension.until ?? null } : null,
    ...counterView(doc, own, revealed),
    comments: (doc.comments ?? []).map(({ id, taskId, taskName, at, author, authorName, department, text, attachments }) => ({ id, taskId, taskName, at, author, authorName, department, text, attachments })),
  };
}

/** The 补正 notice (一次性告知) with each field's title, while the case awaits it. */
function correctionNotice(doc: CaseDoc, schema: FieldSchema | undefined) {
  const c = doc.correction;
  if (!c || doc.status !== 'needs-correction') return null;
  const titles = new Map(schema ? walkSchema(schema).filter((n) => n.keyed).map((n) => [n.path, typeof n.schema.title === 'string' ? n.schema.title : n.path]) : []);
  return {
    step: c.name, department: c.department, reason: c.reason, at: c.at,
    fields: c.fields.map((path) => ({ path, title: titles.get(path) ?? path, message: c.notes[path] ?? '' })),
  };
}
