/**
 * `@lianban/runtime/validate` — server-side validation of a submission against a published form
 * version. A separate entry, for Node only: it brings ajv (which generates code, forbidden by
 * the portal's CSP, and ~40 kB gzipped), so the browser's barrel `@lianban/runtime` leaves it out
 * and browser code may not import this entry (lint, test/foundation).
 *
 *   import { compileValidator } from '@lianban/runtime/validate';
 *   const v = compileValidator(schema);          // cached per form version / schema hash
 *   const r = v.validate(body);                  // {valid, errors: [{path, code, message}], value, hidden}
 *   if (r.valid) store(r.value);                 // derived values recomputed, hidden values dropped
 *
 * Two layers: the pure checker (plan.ts, also used by the browser) and ajv over the exported
 * JSON Schema (ajv.ts) as a second, independent check. Both report the same dotted paths;
 * an ajv error on a path the checker already reported is not repeated.
 */
import { checkFormSchema } from '../check-schema';
import { toJsonSchema } from '../to-json-schema';
import type { FieldError, FieldSchema, Json } from '../types';
import { compileJsonSchema, mapAjvErrors } from './ajv';
import { compileChecker, type CheckOptions, type CheckResult } from './plan';
import { sanitizeStrings } from './sanitize';

export { compileChecker, type CheckOptions, type CheckResult, type SubmissionChecker } from './plan';
export { mapAjvErrors, createFormAjv } from './ajv';

export interface FormValidator {
  /** Cache key: `x-form.id@version` or a hash of the schema. */
  key: string;
  jsonSchema: Record<string, Json>;
  validate(input: unknown): CheckResult;
}

/** Thrown when a schema breaks our conventions; `problems` lists every one with its path. */
export class FormSchemaError extends Error {
  constructor(readonly problems: FieldError[]) {
    super(`form schema has ${problems.length} problem(s): ${problems.slice(0, 3).map((p) => `${p.path}: ${p.message}`).join('; ')}`);
    this.name = 'FormSchemaError';
  }
}

/** FNV-1a over the schema's JSON, as a cache key for schemas without `x-form`. */
export function schemaHash(schema: unknown): string {
  const s = JSON.stringify(schema);
  let h1 = 0x811c9dc5, h2 = 0x01000193;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 16777619);
    h2 = Math.imul(h2 ^ c, 2246822519);
  }
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
}

const MAX_CACHED = 200;
const cache = new Map<string, FormValidator>();

export interface ValidatorOptions extends CheckOptions {
  /** Cache key; default `x-form.id@version`, else a hash of the schema. */
  key?: string;
  /** Run the ajv layer (default true; needs code generation, so Node only). */
  ajv?: boolean;
}

/**
 * The validator of a form schema, compiled once and cached by version key. Throws
 * `FormSchemaError` when the schema breaks our conventions (nothing is compiled then).
 */
export function compileValidator(schema: FieldSchema, options: ValidatorOptions = {}): FormValidator {
  const meta = schema['x-form'] as { id?: string; version?: string | number } | undefined;
  const useAjv = options.ajv ?? true;
  const key = `${options.key ?? (meta?.id ? `${meta.id}@${meta.version ?? 0}` : schemaHash(schema))}${useAjv ? '' : '#plain'}`;
  const hit = cache.get(key);
  if (hit && !options.retirementConfig) return hit;
  const problems = checkFormSchema(schema);
  if (problems.length) throw new FormSchemaError(problems);
  const checker = compileChecker(schema, options);
  const jsonSchema = toJsonSchema(schema);
  const structural = useAjv ? compileJsonSchema(jsonSchema) : undefined;
  const validator: FormValidator = {
    key,
    jsonSchema,
    validate(raw) {
      const input = sanitizeStrings(raw); // control characters and bidi overrides out, NFC (sanitize.ts)
      const result = checker.check(input);
      const isObject = typeof input === 'object' && input !== null && !Array.isArray(input);
      if (structural && isObject && !structural(result.value)) {
        const seen = new Set(result.errors.map((e) => e.path));
        for (const e of mapAjvErrors(structural.errors)) {
          if (!seen.has(e.path)) { result.errors.push(e); seen.add(e.path); }
        }
        result.valid = result.errors.length === 0;
      }
      return result;
    },
  };
  if (!options.retirementConfig) {
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
    cache.set(key, validator);
  }
  return validator;
}
