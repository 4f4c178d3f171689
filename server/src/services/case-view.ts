/**
 * What a caller sees of a case (API.md `GET /cases/:id`). ID numbers are masked for everyone
 * but the applicant, unless revealed (audited) by staff working on the case.
 */
import { activeElements, type FieldSchema, type FlowState } from '@lianban/runtime';
import type { CaseDoc, MatterVersionDoc } from '../models';
import type { SessionUser } from './auth';

export type Viewer = Pick<SessionUser, 'id' | 'tenant' | 'roles' | 'departments'>;

/** `341502196501150039` → `341502********0039`. */
export function maskIdNumber(value: unknown): unknown {
  if (typeof value !== 'string' || value.length < 10) return value;
  return `${value.slice(0, 6)}${'*'.repeat(value.length - 10)}${value.slice(-4)}`;
}

/** Data paths of ID-number fields (`*` stands for every row of a repeating group). */
export function idNumberPaths(schema: FieldSchema): string[][] {
  const out: string[][] = [];
  const walk = (node: FieldSchema | undefined, path: string[]) => {
    for (const [key, child] of Object.entries(node?.properties ?? {})) {
      const p = child.type === 'void' ? path : [...path, key];
      if (child['x-field-type'] === 'idNumber') out.push(p);
      walk(child, p);
      if (child.items) walk(child.items, [...p, '*']);
    }
  };
  walk(schema, []);
  return out;
}

function maskAt(data: unknown, path: string[]): void {
  if (data === null || typeof data !== 'object' || path.length === 0) return;
  const [head, ...rest] = path;
  if (head === '*') {
    if (Array.isArray(data)) data.forEach((row) => maskAt(row, rest));
    return;
  }
  const obj = data as Record<string, unknown>;
  if (rest.length === 0) obj[head!] = maskIdNumber(obj[head!]);
  else maskAt(obj[head!], rest);
}

export function maskedData(data: Record<string, unknown>, schema: FieldSchema): Record<string, unknown> {
  const copy = structuredClone(data);
  for (const path of idNumberPaths(schema)) maskAt(copy, path);
  return copy;
}

export function caseView(doc: CaseDoc & { _id: unknown }, matter: MatterVersionDoc, viewer: Viewer, revealed: boolean) {
  const schema = matter.forms.find((f) => f.key === doc.form)?.schema as FieldSchema | undefined;
  const own = doc.applicant === viewer.id;
  const data = own || revealed || !schema ? doc.data : maskedData(doc.data, schema);
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
  };
}
