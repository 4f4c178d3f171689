/**
 * Migration (docs/migration.md): the fields a new version of an application form requires that
 * a running case's data lacks — a case cannot move onto a version whose form it does not fill.
 *
 *   missingRequiredFields(newSchema, caseData)   // [{ path: 'retireReason', title: '退休原因' }]
 *
 * A field counts when it is marked `required`, holds data, is not a column of a rows field, and
 * is shown for the case's data (every `x-visible-when` of it and its sections holds).
 */
import { evaluateCondition, isEmpty } from '../forms/conditions';
import type { FieldSchema } from '../forms/types';
import { walkSchema } from '../forms/walk';

const MAX_FIELDS = 2000;

function valueAt(data: Record<string, unknown>, path: string): unknown {
  let cur: unknown = data;
  for (const part of path.split('.')) {
    if (typeof cur !== 'object' || cur === null || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

export function missingRequiredFields(schema: FieldSchema, data: Record<string, unknown>): { path: string; title: string }[] {
  const out: { path: string; title: string }[] = [];
  const get = (p: string) => valueAt(data, p);
  for (const node of walkSchema(schema).slice(0, MAX_FIELDS)) {
    if (!node.keyed || node.rows || node.path.includes('*') || node.schema.required !== true) continue;
    if (!node.visibleWhen.every((c) => evaluateCondition(c, get))) continue;
    if (isEmpty(get(node.path))) out.push({ path: node.path, title: typeof node.schema.title === 'string' ? node.schema.title : node.key });
  }
  return out;
}
