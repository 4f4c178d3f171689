/**
 * Field-type metadata, the one place to add a field type (like form-js's `Textfield.config`).
 * The designer reads it for its palette, the renderer for the component, the JSON Schema
 * export and the validator for the value rules, the designer for its property panel
 * (`editor`), the server for masking personal data (`sensitive`). A new type = one
 * `defineField` call in one file of this folder, plus (if it needs one) a component
 * registered under `component` in the web renderer.
 *
 *   defineField({ type: 'mobile', label: '手机号码', group: 'identity', dataType: 'string',
 *     component: 'MobileInput', create: (o) => ({...}), jsonSchema: () => ({type: 'string', format: 'mobile'}),
 *     sanitize: (v) => normalizeMobile(v) ?? v, check: (v) => …,
 *     componentProps: { placeholder: { doc: '占位提示', default: '请输入手机号码' } },
 *     editor: [{ key: 'default', label: '默认值', kind: 'text' }], sensitive: true })
 */
import type { FieldSchema, Json } from '../types';
import { compilePattern } from '../pattern';
import type { ComponentProp, EditorEntry } from './editor';

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
  /**
   * The `x-component-props` the component accepts, with their defaults; the schema's own props
   * win. The renderer fills in the defaults (see `componentPropsOf`), so they are documented here.
   */
  componentProps?: Record<string, ComponentProp>;
  /** The type-specific entries of the designer's property panel, in display order (data; the designer renders them). */
  editor?: EditorEntry[];
  /** Holds personal data (e.g. an ID number): shown masked to every viewer but the applicant unless revealed. */
  sensitive?: boolean;
  /** How a sensitive value is masked; default `maskText`. */
  mask?(value: unknown): unknown;
  /** A convention problem of a field of this type in a form schema (checkFormSchema), or null. */
  checkSchema?(field: FieldSchema): { code: string; message: string } | null;
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

/** Unregisters a field type (tests that define their own); true when it was registered. */
export function forgetField(type: string): boolean {
  return registry.delete(type);
}

/**
 * The component props of a field: the type's defaults, then the schema's own `x-component-props`,
 * only those the type documents in `componentProps` (the checker refuses others at publish; the
 * renderer drops them here too, so one stray prop cannot break a page). Undefined without any.
 */
export function componentPropsOf(config: FieldTypeConfig, field: FieldSchema): Record<string, unknown> | undefined {
  const spec = config.componentProps;
  if (!spec) return undefined;
  const own = field['x-component-props'];
  const out: Record<string, unknown> = {};
  for (const [name, p] of Object.entries(spec)) {
    const set = typeof own === 'object' && own !== null && Object.prototype.hasOwnProperty.call(own, name);
    out[name] = set && componentPropFits(p, own[name], field) ? own[name] : typeof p.default === 'function' ? p.default(field) : p.default;
  }
  return out;
}

/** Whether a value suits a documented prop: of its default's kind (string, number, boolean, list, object; a derived default as derived for the field). */
export function componentPropFits(prop: ComponentProp, value: unknown, field: FieldSchema): boolean {
  const d = typeof prop.default === 'function' ? prop.default(field) : prop.default;
  if (d === undefined || d === null) return true;
  const kind = (v: unknown) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);
  return kind(value) === kind(d);
}

/** A sensitive value as others see it: the type's own mask, or `maskText`. */
export function maskValue(config: FieldTypeConfig, value: unknown): unknown {
  return config.mask ? config.mask(value) : maskText(value);
}

/** Default mask of personal data: a string keeps its first and last character (`张**丰`); other values are withheld (null). */
export function maskText(value: unknown): unknown {
  if (value === undefined || value === null || value === '') return value;
  if (typeof value !== 'string') return null;
  const chars = [...value];
  return chars.length <= 2 ? '*'.repeat(chars.length) : `${chars[0]}${'*'.repeat(chars.length - 2)}${chars.at(-1)}`;
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
  // RE2 (linear time); a pattern RE2 cannot compile was refused at publish, so treat it as a mismatch.
  if (f.pattern && !patternMatches(f.pattern, v)) return { code: 'pattern' };
  return null;
}

function patternMatches(pattern: string, v: string): boolean {
  try {
    return compilePattern(pattern).test(v);
  } catch {
    return false;
  }
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
