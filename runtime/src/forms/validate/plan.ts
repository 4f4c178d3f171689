/**
 * The submission checker that runs the same in the browser and on the server (no code
 * generation, so it also runs under the portal's CSP): sanitise → recompute derived values
 * (reject disagreeing ones) → drop hidden fields → required / required-when → per-type checks.
 * Errors carry the field's data path, the same path Formily shows in the browser.
 */
import { DEFAULT_RETIREMENT_CONFIG, type RetirementConfig } from '../../rules/index';
import { computeOrder, runCompute } from '../compute';
import { evaluateCondition, isEmpty, jsonEqual } from '../conditions';
import { compileCrossChecks } from '../cross-checks';
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
  /**
   * What may be stored: sanitised, derived values recomputed, hidden and empty values dropped.
   * It is the input object itself when nothing needed changing (don't mutate it afterwards).
   */
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
  columnKeys?: Set<string>;
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
  })).map((f) => (f.columns ? { ...f, columnKeys: new Set(f.columns.map((c) => c.key)) } : f));
}

/** Compiles the checker of a form schema once; `check` is then cheap and pure. */
export function compileChecker(schema: FieldSchema, options: CheckOptions = {}): SubmissionChecker {
  const config = options.retirementConfig ?? DEFAULT_RETIREMENT_CONFIG;
  const fields = planOf(walkSchema(schema), undefined);
  const indexOf = new Map(fields.map((f, i) => [f.key, i]));
  const at = (key: string) => indexOf.get(key) ?? -1;
  // Each computed value after the computed values it reads (a chain works in any schema order).
  const computedFields = fields.filter((f) => f.schema['x-compute']);
  const { order } = computeOrder(new Map(computedFields.map((f) => [f.key, Object.values(f.schema['x-compute']!.from).filter((a): a is string => typeof a === 'string')])));
  const rank = new Map(order.map((k, i) => [k, i]));
  const computed = computedFields.sort((a, b) => rank.get(a.key)! - rank.get(b.key)!).map((f) => {
    const from = f.schema['x-compute']!.from;
    const params = Object.keys(from);
    return {
      i: at(f.key),
      f,
      name: f.schema['x-compute']!.compute,
      params,
      // A field argument as its index, a constant as itself.
      args: Object.values(from).map((a) => (typeof a === 'string' ? at(a) : a)),
      // The arguments object, filled afresh for every submission (the registry's functions are pure).
      scratch: Object.fromEntries(params.map((p) => [p, undefined])) as Record<string, unknown>,
    };
  });
  const conditional = fields.map((f, i) => ({ f, i })).filter(({ f }) => f.visibleWhen);
  // 二者必选其一, eligibility and materials required by the answers: after the per-field checks.
  const cross = compileCrossChecks(schema);

  // The submission being checked: `check` runs to its end synchronously and nothing it calls
  // checks another, so the readers below are made once here rather than as closures per call.
  const none: unknown[] = [];
  let current = none;
  let currentHidden: boolean[] | null = null;
  let currentFailed: Set<string> | null = null;
  const get = (p: string) => { const i = indexOf.get(p); return i === undefined ? undefined : current[i]; };
  const hasError = (p: string) => currentFailed !== null && currentFailed.has(p);
  const isHidden = (p: string) => { const i = indexOf.get(p); return i !== undefined && currentHidden !== null && currentHidden[i]!; };

  /** A rows item: unknown keys reported, values sanitised, empties dropped; the same object when nothing changed. */
  const sanitizeRow = (row: Record<string, unknown>, level: PlanField[], keys: Set<string>, rowsKey: string, r: number, errors: FieldError[]) => {
    let changed = false;
    for (const k in row) if (!keys.has(k)) { errors.push(err(`${rowsKey}.${r}.${k}`, 'unknown-field')); changed = true; }
    // Most rows need nothing: look first, copy only when something changes.
    for (let j = 0; j < level.length && !changed; j++) {
      const f = level[j]!;
      const v = row[f.key];
      if (v === undefined) continue;
      if ((f.config.sanitize && f.config.sanitize(v, f.schema) !== v) || isEmpty(v)) changed = true;
    }
    if (!changed) return row;
    const out: Record<string, unknown> = {};
    for (const f of level) {
      let v = row[f.key];
      if (v === undefined) continue;
      if (f.config.sanitize) v = f.config.sanitize(v, f.schema);
      if (isEmpty(v)) continue;
      out[f.key] = v;
    }
    return out;
  };

  /**
   * Required and per-type checks of one level: the top level's values by field index (`vals`),
   * or a row's by key (`row`). No closures per call: this runs for every submission and row.
   */
  const checkLevel = (vals: unknown[] | null, row: Record<string, unknown> | null, level: PlanField[], base: string, get: (p: string) => unknown, hidden: boolean[] | null, errors: FieldError[]) => {
    for (let i = 0; i < level.length; i++) {
      if (hidden && hidden[i]) continue;
      const f = level[i]!;
      const v = vals ? vals[i] : row![f.key];
      if (v === undefined) {
        if (f.schema.required || (f.requiredWhen && evaluateCondition(f.requiredWhen, get))) errors.push(err(base + f.key, 'required'));
        continue;
      }
      const problem = f.config.check(v, f.schema);
      if (problem) { errors.push(err(base + f.key, problem.code, problem.n)); continue; }
      if (f.columns) {
        const rows = v as Record<string, unknown>[];
        for (let r = 0; r < rows.length; r++) checkLevel(null, rows[r]!, f.columns, `${base}${f.key}.${r}.`, get, null, errors);
      }
    }
  };

  return {
    check(input: unknown): CheckResult {
      const errors: FieldError[] = [];
      if (!isObject(input)) return { valid: false, errors: [err('', 'type')], value: {}, hidden: [] };
      // Values by field index: no `delete` on objects, no dictionary-mode surprises.
      const vals: unknown[] = new Array(fields.length);
      let changed = false;
      for (const k in input) {
        const i = indexOf.get(k);
        if (i === undefined) { errors.push(err(k, 'unknown-field')); changed = true; continue; }
        let v = input[k];
        if (v === undefined) continue;
        const f = fields[i]!;
        if (f.config.sanitize) { const s = f.config.sanitize(v, f.schema); if (s !== v) { v = s; changed = true; } }
        if (f.columns && Array.isArray(v)) {
          const rows = v;
          let next: unknown[] | null = null;
          for (let r = 0; r < rows.length; r++) {
            const row: unknown = rows[r];
            if (!isObject(row)) continue;
            const clean = sanitizeRow(row, f.columns, f.columnKeys!, k, r, errors);
            if (clean !== row) (next ??= rows.slice())[r] = clean;
          }
          if (next) { v = next; changed = true; }
        }
        if (isEmpty(v)) { changed = true; continue; }
        vals[i] = v;
      }
      current = vals;
      currentHidden = null;
      currentFailed = null;
      try {
        // Derived values: never trusted from the client.
        for (const c of computed) {
          const args = c.scratch;
          for (let a = 0; a < c.params.length; a++) {
            const arg = c.args[a]!;
            args[c.params[a]!] = typeof arg === 'number' ? vals[arg] : arg.value;
          }
          const derived = runCompute(c.name, args, config);
          const sent = vals[c.i];
          if (sent !== undefined && derived !== undefined && !jsonEqual(sent as Json, derived)) errors.push(err(c.f.path, 'derived-mismatch'));
          if (sent !== derived && !(derived !== undefined && jsonEqual(sent, derived))) { vals[c.i] = derived; changed = true; }
        }
        // Hidden fields: not required and not stored. Repeat while hiding changes what others see.
        let hidden: boolean[] | null = null;
        const hiddenPaths: string[] = [];
        for (let pass = 0, again = true; again && pass < conditional.length + 1; pass++) {
          again = false;
          for (const { f, i } of conditional) {
            if ((hidden !== null && hidden[i]) || evaluateCondition(f.visibleWhen!, get)) continue;
            (hidden ??= currentHidden = new Array<boolean>(fields.length).fill(false))[i] = true;
            hiddenPaths.push(f.path);
            if (vals[i] !== undefined) { vals[i] = undefined; changed = true; }
            again = true;
          }
        }
        checkLevel(vals, null, fields, '', get, hidden, errors);
        if (errors.length) currentFailed = new Set(errors.map((e) => e.path));
        const crossErrors = cross.run(get, hasError, isHidden, config);
        for (const e of crossErrors) errors.push(e);
        // What may be stored: the input itself when nothing needed changing, else a clean copy.
        let value = input;
        if (changed) {
          value = {};
          for (let i = 0; i < fields.length; i++) if (vals[i] !== undefined) value[fields[i]!.key] = vals[i];
        }
        return { valid: errors.length === 0, errors, value, hidden: hiddenPaths };
      } finally {
        // Keep no submission alive between calls.
        current = none;
        currentHidden = null;
        currentFailed = null;
      }
    },
  };
}
