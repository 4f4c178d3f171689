/**
 * Task forms prefilled from the application (issue 19 part 5, e.g. 常州 附件5 after approval): a
 * field of the task form marked `"x-prefill": "<application field>"` (or
 * `{"from": "<field>", "check": "refuse" | "flag"}`) opens with the application's value; what
 * the applicant changes is cross-checked — `refuse`: the server refuses the change (422 naming
 * the field: 姓名 and 公民身份号码 must stay as approved); `flag`: accepted, and staff see it in
 * the timeline. The task form never overwrites the application: it is stored beside it.
 *
 *   prefillValues(socializedInfo.schema, caseData)        // { name: '赵示例', idNumber: '3204…', … }
 *   prefillDiffs(socializedInfo.schema, caseData, sent)   // [{ path: 'name', check: 'refuse', before, after, title }]
 */
import type { FieldSchema } from '../forms/types';
import { walkSchema } from '../forms/walk';

export type PrefillCheck = 'refuse' | 'flag' | 'none';

export interface PrefillMark { path: string; from: string; check: PrefillCheck; title: string }

/** A field path of the application: letters, digits, `_` and dots (no prototype keys). */
const FIELD = /^[A-Za-z][A-Za-z0-9_]{0,63}(?:\.[A-Za-z][A-Za-z0-9_]{0,63}){0,3}$/;

/** The prefill marks of a task form's top-level data fields (rows columns are not prefilled). */
export function prefillMarks(schema: FieldSchema): PrefillMark[] {
  const out: PrefillMark[] = [];
  for (const n of walkSchema(schema)) {
    if (!n.keyed || n.rows) continue;
    const raw = (n.schema as Record<string, unknown>)['x-prefill'];
    const mark = typeof raw === 'string' ? { from: raw, check: 'none' as const }
      : raw && typeof raw === 'object' ? { from: (raw as { from?: unknown }).from, check: (raw as { check?: unknown }).check ?? 'none' } : undefined;
    if (!mark || typeof mark.from !== 'string' || !FIELD.test(mark.from) || !['refuse', 'flag', 'none'].includes(mark.check as string)) continue;
    out.push({ path: n.path, from: mark.from, check: mark.check as PrefillCheck, title: String(n.schema.title ?? n.path) });
  }
  return out;
}

function valueAt(data: Record<string, unknown> | undefined, path: string): unknown {
  let v: unknown = data;
  for (const k of path.split('.')) {
    if (!v || typeof v !== 'object' || !Object.hasOwn(v, k)) return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

/** Initial values of the task form from the application data (only fields the application has). */
export function prefillValues(schema: FieldSchema, application: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const m of prefillMarks(schema)) {
    const v = valueAt(application, m.from);
    if (v !== undefined && v !== null && v !== '') out[m.path] = v;
  }
  return out;
}

export interface PrefillDiff { path: string; title: string; check: PrefillCheck; before: unknown; after: unknown }

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null)
  || (typeof a === 'string' && typeof b === 'string' && a.trim().toUpperCase() === b.trim().toUpperCase());

/** The checked prefilled fields whose submitted value differs from the application's (`none` marks are not compared). */
export function prefillDiffs(schema: FieldSchema, application: Record<string, unknown> | undefined, sent: Record<string, unknown>): PrefillDiff[] {
  const out: PrefillDiff[] = [];
  for (const m of prefillMarks(schema)) {
    if (m.check === 'none') continue;
    const before = valueAt(application, m.from);
    if (before === undefined || before === null || before === '') continue;
    const after = valueAt(sent, m.path);
    if (!same(before, after)) out.push({ path: m.path, title: m.title, check: m.check, before, after });
  }
  return out;
}
