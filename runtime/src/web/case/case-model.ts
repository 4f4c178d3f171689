/**
 * Pure helpers over matters, forms and case data: which forms are application forms, which
 * linked items a submission opts in, the uploaded and promised materials in the data.
 */
import {
  applicationForms as applicationFormsOf, itemRequested as requestedByOptIn, optInFields as optInFieldsOf, taskFormKeys as taskFormKeysOf,
  type FieldSchema, type FormSchema,
} from '@lianban/runtime';
import type { LinkedItemDef, Matter, UploadEntry } from '../api/index';

/** Form keys the flow uses as a user task's `lb:formKey` (filled later, not at application; runtime/src/matters). */
export function taskFormKeys(flowXml: string): Set<string> {
  return taskFormKeysOf(flowXml);
}

/** The matter's forms an applicant applies with: all but the task-only ones. */
export function applicationForms(matter: Pick<Matter, 'forms' | 'flow'>) {
  return applicationFormsOf(matter);
}

type Visit = (node: FieldSchema, path: string) => void;

/** Visits every field with its data path (void sections don't count in paths). */
export function walkFields(schema: FieldSchema, visit: Visit, base = ''): void {
  for (const [key, node] of Object.entries(schema.properties ?? {})) {
    const path = node.type === 'void' ? base : base ? `${base}.${key}` : key;
    if (node.type !== 'void') visit(node, path);
    if (node.properties) walkFields(node, visit, path);
  }
}

/** Data path of the opt-in field of each linked item the form marks (the server's map, runtime/src/matters). */
export function optInFields(schema: FormSchema): Map<string, string> {
  return optInFieldsOf(schema);
}

/** Whether the applicant asks for the item: mandatory, or its opt-in answered 是 (the server's rule, runtime/src/matters). */
export function itemRequested(item: LinkedItemDef, fields: Map<string, string>, data: Record<string, unknown>): boolean | undefined {
  return requestedByOptIn(item, fields, data);
}

/** 容缺: the schema with promises switched on for the matter's waivable materials (shared with the server). */
export { withWaivable } from '@lianban/runtime';

/** Every upload entry in the data, with the title of its field. */
export function uploadEntries(schema: FormSchema | undefined, data: Record<string, unknown>): (UploadEntry & { field: string })[] {
  if (!schema) return [];
  const out: (UploadEntry & { field: string })[] = [];
  walkFields(schema, (node, path) => {
    if (node['x-field-type'] !== 'upload') return;
    const value = data[path];
    if (Array.isArray(value)) for (const v of value as UploadEntry[]) out.push({ ...v, field: node.title ?? path });
  });
  return out;
}

/** The materials promised (容缺) in the data. */
export const promisedMaterials = (schema: FormSchema | undefined, data: Record<string, unknown>) =>
  uploadEntries(schema, data).filter((e) => e.promised);
