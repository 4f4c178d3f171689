/**
 * Field-type metadata, the one place to add a field type (like form-js's `Textfield.config`).
 * The designer reads it for its palette, the renderer for the component, the JSON Schema
 * export and the validator for the value rules. A new type = one `defineField` call in one
 * file of this folder, plus (if it needs one) a component registered under `component`.
 *
 *   defineField({ type: 'mobile', label: '手机号码', group: 'identity', dataType: 'string',
 *     component: 'MobileInput', create: (o) => ({...}), jsonSchema: () => ({type: 'string', format: 'mobile'}),
 *     sanitize: (v) => normalizeMobile(v) ?? v, check: (v) => … })
 */
import type { FieldSchema, Json } from '../types';

export type FieldGroup = 'input' | 'choice' | 'identity' | 'composite' | 'layout';

/** A value problem: a machine code and an optional number for the message. */
export interface CheckProblem {
  code: string;
  n?: number | string;
}

export interface FieldTypeConfig {
  /** The `x-field-type` value. */
  type: string;
  /** Chinese palette label. */
  label: string;
  group: FieldGroup;
  /** Holds a value in the submitted data (false for sections and help notes). */
  keyed: boolean;
  /** May hold child fields in `properties` (sections) or `items` (rows). */
  container?: 'properties' | 'items';
  /** The Formily schema `type`. */
  dataType: NonNullable<FieldSchema['type']>;
  /** The `x-component` the renderer registers for this type. */
  component: string;
  /** Value of a fresh field. */
  emptyValue: Json | undefined;
  /** Default columns in the 4-column grid. */
  span: 1 | 2 | 4;
  /** A new field of this type for the designer palette. */
  create(options?: Partial<FieldSchema>): FieldSchema;
  /** JSON Schema of a (non-empty) value, without `required`. */
  jsonSchema(field: FieldSchema): Record<string, Json>;
  /** Normalises a submitted value before checks and storage (e.g. mobile → 11 digits). */
  sanitize?(value: unknown, field: FieldSchema): unknown;
  /** Checks a non-empty, sanitised value; null when fine. Runs in the browser and on the server. */
  check(value: unknown, field: FieldSchema): CheckProblem | null;
}

const registry = new Map<string, FieldTypeConfig>();

/** Registers a field type; a second registration of the same name is a programming error. */
export function defineField(config: FieldTypeConfig): FieldTypeConfig {
  if (registry.has(config.type)) throw new Error(`field type already defined: ${config.type}`);
  registry.set(config.type, Object.freeze(config));
  return config;
}

/** The config of a field type, or undefined. */
export function fieldType(type: string | undefined): FieldTypeConfig | undefined {
  return type === undefined ? undefined : registry.get(type);
}

/** Every registered field type, in registration order (the palette order). */
export function fieldTypes(): FieldTypeConfig[] {
  return [...registry.values()];
}

/** Common checks of strings: length bounds and an administrator's pattern. */
export function checkString(v: unknown, f: FieldSchema): CheckProblem | null {
  if (typeof v !== 'string') return { code: 'type' };
  // Code points, as JSON Schema counts; UTF-16 length is an upper bound, so count only when needed.
  const over = f.maxLength !== undefined && v.length > f.maxLength;
  const under = f.minLength !== undefined && v.length < 2 * f.minLength;
  if (over || under) {
    const len = [...v].length;
    if (f.minLength !== undefined && len < f.minLength) return { code: 'min-length', n: f.minLength };
    if (f.maxLength !== undefined && len > f.maxLength) return { code: 'max-length', n: f.maxLength };
  }
  if (f.pattern && !regex(f.pattern).test(v)) return { code: 'pattern' };
  return null;
}

const regexCache = new Map<string, RegExp>();
/** A compiled administrator pattern (checked for size and nesting by the schema checker first). */
function regex(pattern: string): RegExp {
  let r = regexCache.get(pattern);
  if (!r) {
    r = new RegExp(pattern, 'u');
    if (regexCache.size > 500) regexCache.clear();
    regexCache.set(pattern, r);
  }
  return r;
}

/** JSON Schema of a string field's bounds. */
export function stringJsonSchema(f: FieldSchema, extra: Record<string, Json> = {}): Record<string, Json> {
  const s: Record<string, Json> = { type: 'string', ...extra };
  if (f.minLength !== undefined) s.minLength = f.minLength;
  if (f.maxLength !== undefined) s.maxLength = f.maxLength;
  if (f.pattern) s.pattern = f.pattern;
  return s;
}

/** Trims strings; other values pass through. */
export const trim = (v: unknown): unknown => (typeof v === 'string' ? v.trim() : v);
