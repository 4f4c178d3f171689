/**
 * The rule editor's model: a condition (`x-visible-when` / `x-required-when`, runtime
 * `Condition`) as a list of clauses "field – operator – value" joined by 全部满足 / 任一满足,
 * and back. Administrators pick; nothing is typed as code.
 *
 *   toClauses({ field: 'a', eq: true })          // { join: 'all', clauses: [{ field: 'a', op: 'eq', value: true }] }
 *   fromClauses({ join: 'any', clauses })        // { any: [ … ] }
 *   ruleFields(schema)                           // fields a rule may read (outside rows)
 */
import { walkSchema, YES_NO, type Condition, type FieldSchema, type Json } from '@lianban/runtime';

export type Operator = 'eq' | 'ne' | 'in' | 'includes' | 'filled' | 'empty';
export interface Clause { field: string; op: Operator; value?: Json }
export interface ClauseList { join: 'all' | 'any'; clauses: Clause[] }

export const OPERATOR_LABELS: Record<Operator, string> = {
  eq: '等于', ne: '不等于', in: '是以下之一', includes: '包含（多选）', filled: '已填写', empty: '未填写',
};

/** A field a rule can read, with its choices (是/否 for yes/no fields). */
export interface RuleField { key: string; label: string; type: string; options?: Array<{ label: string; value: Json }> }

/** Fields outside rows that a rule or computed value may read (checkFormSchema's `topLevel`). */
export function ruleFields(schema: FieldSchema): RuleField[] {
  return walkSchema(schema).filter((n) => n.keyed && !n.rows).map((n) => ({
    key: n.path,
    label: n.schema.title ? `${n.schema.title}（${n.path}）` : n.path,
    type: n.schema['x-field-type'] ?? '',
    ...(n.config?.dataType === 'boolean'
      ? { options: YES_NO.map((o) => ({ label: o.label, value: o.value })) }
      : n.schema.enum ? { options: n.schema.enum.map((o) => ({ label: o.label, value: o.value as Json })) } : {}),
  }));
}

function clauseOf(c: Condition): Clause | null {
  if (!('field' in c)) return null;
  if ('eq' in c) return { field: c.field, op: 'eq', value: c.eq };
  if ('ne' in c) return { field: c.field, op: 'ne', value: c.ne };
  if ('in' in c) return { field: c.field, op: 'in', value: c.in };
  if ('includes' in c) return { field: c.field, op: 'includes', value: c.includes };
  if ('filled' in c) return { field: c.field, op: c.filled ? 'filled' : 'empty' };
  return null;
}

/** The clause list of a condition, or null when it is nested deeper than the editor shows (edit it as JSON). */
export function toClauses(c: Condition | undefined): ClauseList | null {
  if (!c) return { join: 'all', clauses: [] };
  const single = clauseOf(c);
  if (single) return { join: 'all', clauses: [single] };
  const list = 'all' in c ? c.all : 'any' in c ? c.any : null;
  if (!list) return null;
  const clauses = list.map(clauseOf);
  return clauses.every((x): x is Clause => x !== null) ? { join: 'all' in c ? 'all' : 'any', clauses } : null;
}

function conditionOf(c: Clause): Condition {
  switch (c.op) {
    case 'eq': return { field: c.field, eq: c.value ?? null };
    case 'ne': return { field: c.field, ne: c.value ?? null };
    case 'in': return { field: c.field, in: Array.isArray(c.value) ? c.value : c.value === undefined ? [] : [c.value] };
    case 'includes': return { field: c.field, includes: c.value ?? null };
    case 'filled': return { field: c.field, filled: true };
    case 'empty': return { field: c.field, filled: false };
  }
}

/** The condition of a clause list; undefined when it has no complete clause (no rule). */
export function fromClauses(list: ClauseList): Condition | undefined {
  const complete = list.clauses.filter((c) => c.field && (c.op === 'filled' || c.op === 'empty' || c.value !== undefined));
  if (complete.length === 0) return undefined;
  if (complete.length === 1) return conditionOf(complete[0]!);
  return list.join === 'all' ? { all: complete.map(conditionOf) } : { any: complete.map(conditionOf) };
}

/** A short Chinese reading of a condition for badges, e.g. 「需要办理」等于 是. */
export function describeCondition(c: Condition | undefined, fields: RuleField[]): string {
  const list = toClauses(c);
  if (!c) return '';
  if (!list) return '（复杂条件，见 JSON）';
  const show = (cl: Clause) => {
    const f = fields.find((x) => x.key === cl.field);
    const value = (v: Json | undefined) => f?.options?.find((o) => JSON.stringify(o.value) === JSON.stringify(v))?.label ?? JSON.stringify(v);
    const v = cl.op === 'filled' || cl.op === 'empty' ? '' : ` ${Array.isArray(cl.value) ? cl.value.map(value).join('、') : value(cl.value)}`;
    return `「${f?.label.replace(/（.*）$/, '') ?? cl.field}」${OPERATOR_LABELS[cl.op]}${v}`;
  };
  return list.clauses.map(show).join(list.join === 'all' ? ' 且 ' : ' 或 ');
}
