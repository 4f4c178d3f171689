/**
 * Declared results of linked items (docs/flow-extensions.md, "Declared results"): the fields of a
 * task form marked `x-item-result` are its linked item's result. On completion they are stored on
 * the case's item (`items[].result`, with the form, time and who) in the same guarded write as
 * the step, and written to the timeline; `caseView` shows them per item with their labels.
 */
import { formAppliesTo, resultFields, resultOf, resultText, type FieldSchema } from '@lianban/runtime';
import type { CaseDoc, CaseTask, MatterVersionDoc } from '../models';
import type { CaseChanges } from './case-flow';

/** A case item as stored, with its declared result once the task that produces it is done. */
export type CaseItemDoc = CaseDoc['items'][number];

function schemaOf(matter: MatterVersionDoc, formKey: string): FieldSchema | undefined {
  return matter.forms.find((f) => f.key === formKey)?.schema as FieldSchema | undefined;
}

/**
 * Whether the task's own form is filled for this completion: a form limited to some outcomes
 * (`x-item-result-outcomes`, e.g. `done`) is not filled for another (`not-eligible`).
 */
export function taskFormApplies(matter: MatterVersionDoc, task: Pick<CaseTask, 'formKey'>, outcome: string | undefined): boolean {
  const schema = task.formKey ? schemaOf(matter, task.formKey) : undefined;
  return !schema || formAppliesTo(schema, outcome);
}

/**
 * Records the declared result of `task`'s linked item from its form's validated data on the
 * step's items (and a timeline entry); nothing when the task has no linked item or its form
 * declares no result.
 */
export function recordItemResult(
  changes: CaseChanges, matter: MatterVersionDoc, task: Pick<CaseTask, 'linkedItem' | 'elementId'>, formKey: string,
  clean: Record<string, unknown>, who: { actor: string; now: Date },
): void {
  const schema = schemaOf(matter, formKey);
  if (!task.linkedItem || !schema) return;
  const result = resultOf(schema, clean);
  if (!result) return;
  const items = (changes.set.items ?? []) as CaseItemDoc[];
  const item = items.find((i) => i.key === task.linkedItem);
  if (!item) return;
  // the result in one line as issued (the dashboard's export and the task lists show it)
  const text = resultFields(schema).filter((f) => result[f.key] !== undefined).map((f) => `${f.title}：${resultText(f, result[f.key])}`).join('；');
  Object.assign(item, { result, resultText: text, resultForm: formKey, resultAt: who.now, resultBy: who.actor });
  changes.timeline.push({ at: who.now, actor: who.actor, action: 'item.result', elementId: task.elementId, detail: item.title });
}

/** One result field as shown: its label, the stored value and the value as people read it. */
export interface ResultEntry { key: string; title: string; value: unknown; text: string }

/** The item's result as shown (in the form's field order); undefined when it has none. */
export function resultEntries(matter: MatterVersionDoc, item: CaseItemDoc): ResultEntry[] | undefined {
  if (!item.result || !item.resultForm) return undefined;
  const schema = schemaOf(matter, item.resultForm);
  const fields = schema ? resultFields(schema) : [];
  const entries = fields.filter((f) => item.result![f.key] !== undefined).map((f) => ({ key: f.key, title: f.title, value: item.result![f.key], text: resultText(f, item.result![f.key]) }));
  // a value whose field the form version no longer declares is still shown, by its key
  for (const [key, value] of Object.entries(item.result)) {
    if (!fields.some((f) => f.key === key)) entries.push({ key, title: key, value, text: resultText({ fieldType: '' }, value) });
  }
  return entries;
}
