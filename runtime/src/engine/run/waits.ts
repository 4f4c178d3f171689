/**
 * Expands the compact stored waits into what the server shows and schedules: tasks with their
 * candidate groups, form, due date and outcomes; message waits with the message name; timers
 * with `dueAt`; service tasks with their connector.
 */
import type { Definition, FlowState, Wait } from '../types';
import { upgradeState } from './state-upgrade';

/** The open waits of a case, described for the server. */
export function describeWaits(def: Definition, state: FlowState): Wait[] {
  return upgradeState(state).waits.map((w) => {
    const el = def.elements[w.element]!;
    const lb = el.lb;
    const wait: Wait = { id: w.id, kind: w.kind, elementId: w.element };
    if (el.name) wait.name = el.name;
    if (w.due) wait.dueAt = w.due;
    if (w.kind === 'timer') {
      if (el.attachedTo) {
        wait.attachedTo = el.attachedTo;
        wait.interrupting = el.interrupting !== false;
      }
      return wait;
    }
    const groups = w.groups ?? lb.candidateGroups;
    if (groups) wait.candidateGroups = groups;
    if (lb.formKey) wait.formKey = lb.formKey;
    if (lb.outcomes) wait.outcomes = lb.outcomes;
    if (lb.linkedItem) wait.linkedItem = lb.linkedItem;
    if (lb.connector) wait.connector = lb.connector;
    if (lb.department) wait.department = lb.department;
    if (lb.issueDocument) wait.issueDocument = lb.issueDocument;
    if (el.event?.messageName && w.kind !== 'userTask' && w.kind !== 'serviceTask') wait.messageName = el.event.messageName;
    if (w.loc) wait.instance = w.loc;
    return wait;
  });
}
