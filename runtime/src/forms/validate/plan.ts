/**
 * The submission checker that runs the same in the browser and on the server (no code
 * generation, so it also runs under the portal's CSP): sanitise → recompute derived values
 * (reject disagreeing ones) → drop hidden fields → required / required-when → per-type checks.
 * Errors carry the field's data path, the same path Formily shows in the browser.
 */
import { DEFAULT_RETIREMENT_CONFIG, type RetirementConfig } from '../../rules/index';
import { runCompute } from '../compute';
import { evaluateCondition, isEmpty, jsonEqual } from '../conditions';
import { messageFor } from '../messages';
import type { Condition, FieldError, FieldSchema, Json } from '../types';
import { walkSchema, type SchemaNode } from '../walk';
import type { FieldTypeConfig } from '../field-types/index';

export interface CheckOptions {
  /** Province retirement parameters for computed values. */
  retirementConfig?: RetirementConfig;
}

export interface CheckResult {
  valid: boolean;
  errors: FieldError[];
  /** What may be stored: sanitised, derived values recomputed, hidden and empty values dropped. */
  value: Record<string, unknown>;
  /** Data paths of fields hidden by their rules (their values, if any, were dropped). */
  hidden: string[];
}

interface PlanField {
  key: string;
  path: string;
  schema: FieldSchema;
  config: FieldTypeConfig;
  visibleWhen?: Condition;
  requiredWhen?: Condition;
  columns?: PlanField[];
}

export interface SubmissionChecker {
  check(input: unknown): CheckResult;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const err = (path: string, code: string, n?: number | string): FieldError => ({ path, code, message: messageFor(code, n) });

function planOf(nodes: SchemaNode[], rows: string | undefined): PlanField[] {
  return nodes.filter((n) => n.keyed && n.config && n.rows === rows).map((n) => ({
    key: n.key,
    path: n.path,
    schema: n.schema,
    config: n.config!,
    visibleWhen: n.visibleWhen.length === 0 ? undefined : n.visibleWhen.length === 1 ? n.visibleWhen[0] : { all: n.visibleWhen },
    requiredWhen: n.schema['x-required-when'],
    columns: n.config!.container === 'items' ? planOf(nodes, n.path) : undefined,
  }));
}

/** Compiles the checker of a form schema once; `check` is then cheap and pure. */
export function compileChecker(schema: FieldSchema, options: CheckOptions = {}): SubmissionChecker {
  const config = options.retirementConfig ?? DEFAULT_RETIREMENT_CONFIG;
  const fields = planOf(walkSchema(schema), undefined);
  const computed = fields.filter((f) => f.schema['x-compute']);
  const conditional = fields.filter((f) => f.visibleWhen);
  const known = new Set(fields.map((f) => f.key));

  /** One object level: unknown keys, sanitising, empty values dropped. */
  const sanitize = (input: Record<string, unknown>, level: PlanField[], base: string, knownKeys: Set<string>, errors: FieldError[]) => {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(input)) if (!knownKeys.has(k)) errors.push(err(base + k, 'unknown-field'));
    for (const f of level) {
      let v = input[f.key];
      if (v === undefined) continue;
      if (f.config.sanitize) v = f.config.sanitize(v, f.schema);
      if (f.columns && Array.isArray(v)) {
        const colKeys = new Set(f.columns.map((c) => c.key));
        v = v.map((row, i) => (isObject(row) ? sanitize(row, f.columns!, `${base}${f.key}.${i}.`, colKeys, errors) : row));
      }
      if (!isEmpty(v)) out[f.key] = v;
    }
    return out;
  };

  /** Required and per-type checks of one object level. */
  const checkLevel = (value: Record<string, unknown>, level: PlanField[], base: string, get: (p: string) => unknown, hidden: Set<string>, errors: FieldError[]) => {
    for (const f of level) {
      if (hidden.has(f.path)) continue;
      const path = base + f.key;
      const v = value[f.key];
      if (v === undefined) {
        if (f.schema.required || (f.requiredWhen && evaluateCondition(f.requiredWhen, get))) errors.push(err(path, 'required'));
        continue;
      }
      const problem = f.config.check(v, f.schema);
      if (problem) { errors.push(err(path, problem.code, problem.n)); continue; }
      if (f.columns) {
        (v as unknown[]).forEach((row, i) => checkLevel(row as Record<string, unknown>, f.columns!, `${path}.${i}.`, get, hidden, errors));
      }
    }
  };

  return {
    check(input: unknown): CheckResult {
      const errors: FieldError[] = [];
      if (!isObject(input)) return { valid: false, errors: [err('', 'type')], value: {}, hidden: [] };
      const value = sanitize(input, fields, '', known, errors);
      const get = (p: string) => value[p];
      // Derived values: never trusted from the client.
      for (const f of computed) {
        const rule = f.schema['x-compute']!;
        const args: Record<string, unknown> = {};
        for (const [param, arg] of Object.entries(rule.from)) args[param] = typeof arg === 'string' ? value[arg] : arg.value;
        const derived = runCompute(rule.compute, args, config);
        const sent = value[f.key];
        if (sent !== undefined && derived !== undefined && !jsonEqual(sent as Json, derived)) errors.push(err(f.path, 'derived-mismatch'));
        if (derived === undefined) delete value[f.key];
        else value[f.key] = derived;
      }
      // Hidden fields: not required and not stored. Repeat while hiding changes what others see.
      const hidden = new Set<string>();
      for (let pass = 0, changed = true; changed && pass < conditional.length + 1; pass++) {
        changed = false;
        for (const f of conditional) {
          if (hidden.has(f.path) || evaluateCondition(f.visibleWhen!, get)) continue;
          hidden.add(f.path);
          delete value[f.key];
          changed = true;
        }
      }
      checkLevel(value, fields, '', get, hidden, errors);
      return { valid: errors.length === 0, errors, value, hidden: [...hidden] };
    },
  };
}
