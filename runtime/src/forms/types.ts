/**
 * The shapes of a Lianban form schema: a Formily JSON schema (`ISchema`) with our own
 * `x-*` conventions. Everything here is JSON data an administrator edits in the designer;
 * nothing is ever evaluated as code.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * A condition over the form's values. `field` is a data path (dot-separated keys, sections
 * do not count) of a top-level field, e.g. `hasOnlyChildCertificate`.
 */
export type Condition =
  | { field: string; eq: Json }
  | { field: string; ne: Json }
  | { field: string; in: Json[] }
  | { field: string; filled: boolean }
  | { field: string; includes: Json }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

/** An argument of a computed value: a field's data path, or a constant `{value}`. */
export type ComputeArg = string | { value: Json };

/** A computed, read-only value: a function of the fixed registry applied to other fields. */
export interface ComputeRule {
  compute: string;
  from: Record<string, ComputeArg>;
}

/** Marks an opt-in field that switches a linked item (关联事项) on for one department. */
export interface LinkedItem {
  /** Stable id of the linked item in the matter, e.g. `housing-fund-withdrawal`. */
  id: string;
  name: string;
  /** Candidate group the flow routes the item to, e.g. `housing-fund`. */
  department: string;
}

/** One kind of material an upload field collects. */
export interface MaterialSpec {
  code: string;
  name: string;
  /** `always` 必需提供, `on-request` 依申请提供. */
  need?: 'always' | 'on-request';
  /** 容缺承诺: may be promised now and handed in later. */
  promiseAllowed?: boolean;
  /** Required only while the condition holds (same condition model as `x-required-when`): the upload must then hold this material (or its 容缺 promise). */
  requiredWhen?: Condition;
}

/**
 * 「二者必选其一」: of a set of yes/no fields, exactly one (`exactly`, the default) or at least
 * one (`atLeast`) must be answered 是. Sits on the field the error is shown on.
 */
export interface OneOfRule {
  /** Data paths of yes/no fields outside rows (2–20), the carrying field among them or not. */
  fields: string[];
  mode?: 'exactly' | 'atLeast';
  /** Chinese text shown instead of the default 「A」与「B」二者必选其一. */
  message?: string;
}

/**
 * An eligibility rule of the fixed registry (`ELIGIBILITY_RULES`, forms/eligibility.ts) with its
 * parameters bound to fields or constants, checked only while `when` holds.
 */
export interface EligibilityRule {
  rule: string;
  from: Record<string, ComputeArg>;
  when?: Condition;
}

export interface ChoiceOption {
  label: string;
  value: string | number | boolean;
}

/** One node of a Lianban form schema (a Formily `ISchema` subset plus our `x-*` keys). */
export interface FieldSchema {
  type?: 'string' | 'number' | 'boolean' | 'array' | 'object' | 'void';
  title?: string;
  description?: string;
  required?: boolean;
  enum?: ChoiceOption[];
  default?: Json;
  properties?: Record<string, FieldSchema>;
  items?: FieldSchema;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  'x-field-type'?: string;
  'x-component'?: string;
  'x-component-props'?: Record<string, unknown>;
  'x-decorator'?: string;
  'x-decorator-props'?: Record<string, unknown>;
  'x-index'?: number;
  'x-pattern'?: 'editable' | 'readOnly' | 'disabled' | 'readPretty';
  'x-reactions'?: unknown;
  'x-validator'?: unknown;
  /** Shown only while the condition holds; hidden values are neither required nor stored. */
  'x-visible-when'?: Condition;
  /** Required only while the condition holds. */
  'x-required-when'?: Condition;
  /** Read-only value computed by a registry function; the server recomputes it. */
  'x-compute'?: ComputeRule;
  /** 「二者必选其一」 over yes/no fields (forms/cross-checks.ts). */
  'x-one-of'?: OneOfRule;
  /** Eligibility rules checked against the answers, the error on this field (forms/eligibility.ts). */
  'x-eligibility'?: EligibilityRule | EligibilityRule[];
  /** Opt-in of a linked item: its id in the matter manifest, or an inline description. */
  'x-linked-item'?: string | LinkedItem;
  /** Materials an upload field collects. */
  'x-materials'?: MaterialSpec[];
  /** Region picker depth: 3 省市县, 4 +街道, 5 +社区. */
  'x-region-levels'?: 3 | 4 | 5;
  /** Columns this field spans in the 4-column grid. */
  'x-span'?: 1 | 2 | 3 | 4;
  /** The author's note (why the field is as it is, what the printed form says): never shown to applicants. */
  'x-note'?: string;
  [key: `x-${string}`]: unknown;
}

/** Form-level metadata. */
export interface FormMeta {
  id: string;
  version: number | string;
  /** Note printed under the form, e.g. 此表一式三份…. */
  printNote?: string;
  /** Grid columns of the layout (default 4). */
  columns?: number;
}

/** A whole form: an object schema whose `x-form` names it. */
export interface FormSchema extends FieldSchema {
  type: 'object';
  properties: Record<string, FieldSchema>;
  'x-form'?: FormMeta;
}

/** A validation or convention problem, addressed by a dotted path. */
export interface FieldError {
  /** Data path of the field, e.g. `workHistory.0.unit`; '' for the whole form. */
  path: string;
  /** Precise machine code, e.g. `required`, `id-number.check-digit`, `unknown-field`. */
  code: string;
  /** Chinese text for people. */
  message: string;
}
