/**
 * The schema-level validator: does a form schema follow our conventions? Collects every
 * problem with its schema path instead of failing on the first (the designer lists them;
 * publishing refuses a schema with problems).
 *
 *   checkFormSchema(schema)   // [{path: 'properties.x', code: 'unknown-field-type', message: …}]
 */
import { COMPUTE_FUNCTIONS } from './compute';
import { conditionFields, conditionShapeProblem } from './conditions';
import type { FieldError, FieldSchema } from './types';
import { parseLinkedItem } from './linked-item';
import { walkSchema } from './walk';

/** Data keys: identifiers only, so a key can never be read as a path expression or code. */
export const KEY_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
/** Longest administrator regex we accept; bounds compile time and backtracking surface. */
export const MAX_PATTERN_LENGTH = 200;
/** A quantified group that itself contains a quantifier, e.g. `(a+)+`: catastrophic backtracking. */
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)\s*(?:[+*]|\{\d+,\d*\})/;
const EXPRESSION = /\{\{[\s\S]*\}\}/;
const LINKED_ID = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

export type SchemaProblem = FieldError;

/** True when a `{{ }}` expression hides anywhere in a value (Formily would compile it to code). */
function hasExpression(v: unknown): boolean {
  if (typeof v === 'string') return EXPRESSION.test(v);
  if (Array.isArray(v)) return v.some(hasExpression);
  if (typeof v === 'object' && v !== null) return Object.values(v).some(hasExpression);
  return false;
}

/** Why an administrator's regex is refused, or null when it may be compiled. */
export function patternProblem(pattern: unknown): string | null {
  if (typeof pattern !== 'string') return 'pattern must be a string';
  if (pattern.length > MAX_PATTERN_LENGTH) return `pattern longer than ${MAX_PATTERN_LENGTH} characters`;
  if (NESTED_QUANTIFIER.test(pattern) || /\\[1-9]/.test(pattern)) return 'pattern has nested quantifiers or back-references (catastrophic backtracking)';
  try {
    new RegExp(pattern, 'u');
  } catch (e) {
    return `pattern does not compile: ${(e as Error).message}`;
  }
  return null;
}

/** Every convention problem of a form schema; an empty list means it may be published. */
export function checkFormSchema(schema: FieldSchema): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const add = (path: string, code: string, message: string) => problems.push({ path, code, message });
  if (schema?.type !== 'object' || typeof schema.properties !== 'object') {
    add('', 'root-not-object', 'the form schema must be `{type: "object", properties: {…}}`');
    return problems;
  }
  const nodes = walkSchema(schema);
  const dataPaths = new Map<string, string>();
  for (const n of nodes) {
    if (!n.keyed) continue;
    const seen = dataPaths.get(n.path);
    if (seen) add(n.schemaPath, 'duplicate-key', `data key "${n.path}" is also used by ${seen}`);
    else dataPaths.set(n.path, n.schemaPath);
  }
  const topLevel = (p: string) => dataPaths.has(p) && !p.includes('*');
  const linkedIds = new Map<string, string>();
  for (const n of nodes) {
    const at = n.schemaPath;
    const s = n.schema;
    if (!KEY_PATTERN.test(n.key)) add(at, 'invalid-key', `key "${n.key}" must be letters, digits and _ and start with a letter`);
    if (!s['x-field-type']) add(at, 'missing-field-type', 'every node needs `x-field-type`');
    else if (!n.config) add(at, 'unknown-field-type', `unknown field type "${s['x-field-type']}"`);
    const c = n.config;
    if (c) {
      if (s.type !== undefined && s.type !== c.dataType) add(at, 'type-mismatch', `field type "${c.type}" stores "${c.dataType}", not "${s.type}"`);
      if (s.properties && c.container !== 'properties') add(at, 'children-not-allowed', `"${c.type}" cannot hold child fields`);
      if (c.container === 'items' && !s.items?.properties) add(at, 'rows-without-columns', 'a rows field needs `items.properties` (its columns)');
      const own = c.checkSchema?.(s);
      if (own) add(at, own.code, own.message);
    }
    if (n.rows && s.properties) add(at, 'nested-container', 'rows columns cannot hold child fields');
    if (s.pattern !== undefined) {
      const p = patternProblem(s.pattern);
      if (p) add(`${at}.pattern`, 'bad-pattern', p);
    }
    for (const [k, v] of Object.entries(s)) {
      if (k !== 'properties' && k !== 'items' && hasExpression(v)) add(`${at}.${k}`, 'expression-not-allowed', '`{{ }}` expressions are not allowed: use x-visible-when / x-required-when / x-compute');
    }
    if (s['x-reactions'] !== undefined) add(`${at}.x-reactions`, 'reactions-not-allowed', 'write linkage as x-visible-when / x-required-when / x-compute; x-reactions are generated');
    for (const kind of ['x-visible-when', 'x-required-when'] as const) {
      const cond = s[kind];
      if (cond === undefined) continue;
      const shape = conditionShapeProblem(cond);
      if (shape) { add(`${at}.${kind}`, 'rule-bad-shape', shape); continue; }
      for (const f of conditionFields(cond)) {
        if (!topLevel(f)) add(`${at}.${kind}`, 'rule-missing-field', `condition refers to "${f}", which is not a field outside rows`);
      }
    }
    const linked = s['x-linked-item'];
    if (linked !== undefined) {
      // Either the id of a linked item of the matter (its manifest holds name and department) or an inline {id, name, department}.
      const mark = parseLinkedItem(linked);
      const id = mark?.id;
      const ok = !!mark && LINKED_ID.test(mark.id) && (!mark.inline || (!!mark.name && !!mark.department));
      if (!ok) add(`${at}.x-linked-item`, 'linked-item-bad-shape', 'x-linked-item is a linked-item id (letters, digits, -) or {id, name, department}');
      else if (!['yesNo', 'checkbox'].includes(String(s['x-field-type']))) add(`${at}.x-linked-item`, 'linked-item-not-opt-in', 'a linked item is switched on by a yesNo (or checkbox) field');
      else if (linkedIds.has(id!)) add(`${at}.x-linked-item`, 'duplicate-linked-item', `linked item "${id}" is also opted into at ${linkedIds.get(id!)}`);
      else linkedIds.set(id!, at);
    }
    if (s['x-required-when'] && !n.keyed) add(`${at}.x-required-when`, 'rule-not-applicable', 'only fields with data can be required');
    const comp = s['x-compute'];
    if (comp !== undefined) {
      const fn = typeof comp === 'object' && comp !== null ? COMPUTE_FUNCTIONS[comp.compute] : undefined;
      if (!fn) { add(`${at}.x-compute`, 'unknown-compute', `unknown compute function "${String((comp as { compute?: unknown })?.compute)}"`); continue; }
      if (n.rows) add(`${at}.x-compute`, 'rule-not-applicable', 'computed values inside rows are not supported');
      const from = comp.from ?? {};
      for (const [param, spec] of Object.entries(fn.params)) {
        if (spec.required && from[param] === undefined) add(`${at}.x-compute.from.${param}`, 'compute-missing-param', `"${comp.compute}" needs "${param}" (${spec.label})`);
      }
      for (const [param, arg] of Object.entries(from)) {
        if (!(param in fn.params)) add(`${at}.x-compute.from.${param}`, 'compute-unknown-param', `"${comp.compute}" has no parameter "${param}"`);
        else if (typeof arg === 'string' && !topLevel(arg)) add(`${at}.x-compute.from.${param}`, 'rule-missing-field', `computed value refers to "${arg}", which is not a field outside rows`);
        else if (typeof arg !== 'string' && !(typeof arg === 'object' && arg !== null && 'value' in arg)) add(`${at}.x-compute.from.${param}`, 'rule-bad-shape', 'an argument is a field path or {value}');
      }
    }
  }
  return problems;
}
