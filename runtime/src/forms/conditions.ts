/**
 * The declarative condition model: evaluation (browser and server), the fields a condition
 * reads, and its JSON Schema (`if`) form. Conditions are data; nothing is compiled to code.
 */
import type { Condition, Json } from './types';

/** True for values the forms treat as "not filled": undefined, null, '', []. */
export function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

/** Structural equality for JSON values. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((x, i) => jsonEqual(x, (b as unknown[])[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Evaluates a condition; `get(path)` reads a value by data path. */
export function evaluateCondition(c: Condition, get: (path: string) => unknown): boolean {
  if ('all' in c) return c.all.every((x) => evaluateCondition(x, get));
  if ('any' in c) return c.any.some((x) => evaluateCondition(x, get));
  if ('not' in c) return !evaluateCondition(c.not, get);
  const v = get(c.field);
  if ('eq' in c) return jsonEqual(v, c.eq);
  if ('ne' in c) return !jsonEqual(v, c.ne);
  if ('in' in c) return c.in.some((x) => jsonEqual(v, x));
  if ('filled' in c) return isEmpty(v) !== c.filled;
  if ('includes' in c) return Array.isArray(v) && v.some((x) => jsonEqual(x, c.includes));
  return false;
}

/** Every field path a condition reads. */
export function conditionFields(c: Condition, out: string[] = []): string[] {
  if ('all' in c) c.all.forEach((x) => conditionFields(x, out));
  else if ('any' in c) c.any.forEach((x) => conditionFields(x, out));
  else if ('not' in c) conditionFields(c.not, out);
  else out.push(c.field);
  return out;
}

/** A problem in the shape of a condition, or null. Used by the schema checker. */
export function conditionShapeProblem(c: unknown): string | null {
  if (typeof c !== 'object' || c === null || Array.isArray(c)) return 'condition must be an object';
  const o = c as Record<string, unknown>;
  if ('all' in o || 'any' in o) {
    const list = o.all ?? o.any;
    if (!Array.isArray(list) || list.length === 0) return '`all`/`any` must be a non-empty list';
    for (const x of list) { const p = conditionShapeProblem(x); if (p) return p; }
    return null;
  }
  if ('not' in o) return conditionShapeProblem(o.not);
  if (typeof o.field !== 'string') return 'condition needs `field`';
  const ops = ['eq', 'ne', 'in', 'filled', 'includes'].filter((k) => k in o);
  if (ops.length !== 1) return 'condition needs exactly one of eq, ne, in, filled, includes';
  if (ops[0] === 'in' && !Array.isArray(o.in)) return '`in` must be a list';
  if (ops[0] === 'filled' && typeof o.filled !== 'boolean') return '`filled` must be true or false';
  return null;
}

type JsonSchema = Record<string, Json>;

const NOT_EMPTY: JsonSchema = { not: { enum: ['', null, []] } };

/** The JSON Schema that holds exactly when the condition does (for `if`), on top-level fields. */
export function conditionToJsonSchema(c: Condition): JsonSchema {
  if ('all' in c) return { allOf: c.all.map(conditionToJsonSchema) };
  if ('any' in c) return { anyOf: c.any.map(conditionToJsonSchema) };
  if ('not' in c) return { not: conditionToJsonSchema(c.not) };
  const on = (s: JsonSchema): JsonSchema => ({ properties: { [c.field]: s }, required: [c.field] });
  if ('eq' in c) return on({ const: c.eq });
  if ('ne' in c) return { not: on({ const: c.ne }) };
  if ('in' in c) return on({ enum: c.in });
  if ('filled' in c) return c.filled ? on(NOT_EMPTY) : { not: on(NOT_EMPTY) };
  return on({ type: 'array', contains: { const: c.includes } });
}
