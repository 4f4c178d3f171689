/**
 * The data a field type gives the designer's property panel and the renderer: which schema
 * keys an administrator edits (and with which control), and which component props the type's
 * component accepts. Plain data, no React: the designer maps each `kind` to a control
 * (designer/src/forms/components/EditorEntries.tsx), so a new field type needs no designer code.
 */
import type { FieldSchema, Json } from '../types';

/** A schema key the property panel may edit. */
export type EditableKey = Extract<keyof FieldSchema, string>;

/**
 * One control of the property panel. `text`: a text input (empty removes the key); `number`:
 * a number input (adjacent ones share a row); `yesNo`: 是/否 select for a boolean; `radio`:
 * one of fixed `options` (`fallback` shown when unset); `options`: the choice list `enum`;
 * `materials`: the upload's `x-materials`; `compute`: the computed value's `x-compute`
 * (shown with the rules).
 */
export type EditorEntry =
  | { key: EditableKey; label: string; kind: 'text'; extra?: string }
  | { key: EditableKey; label: string; kind: 'number'; min?: number }
  | { key: EditableKey; label: string; kind: 'yesNo' }
  | { key: EditableKey; label: string; kind: 'radio'; options: { value: Json; label: string }[]; fallback: Json }
  | { key: 'enum'; label: string; kind: 'options' }
  | { key: 'x-materials'; label: string; kind: 'materials' }
  | { key: 'x-compute'; label: string; kind: 'compute' };

/** One `x-component-props` entry a component accepts. */
export interface ComponentProp {
  /** What it sets (documentation, Chinese). */
  doc: string;
  /** Used when the schema does not set it; a function derives it from the field (e.g. from `x-region-levels`). */
  default?: Json | ((field: FieldSchema) => unknown);
}

/** Entries several types share. */
export const EDIT = {
  defaultText: { key: 'default', label: '默认值', kind: 'text' },
  defaultNumber: { key: 'default', label: '默认值', kind: 'number' },
  defaultYesNo: { key: 'default', label: '默认值', kind: 'yesNo' },
  minLength: { key: 'minLength', label: '最少字数', kind: 'number', min: 0 },
  maxLength: { key: 'maxLength', label: '最多字数', kind: 'number', min: 1 },
  pattern: { key: 'pattern', label: '格式（正则表达式，可选）', kind: 'text', extra: '例如固定电话 ^0\\d{2,3}-?\\d{7,8}$；按 RE2 语法执行（线性时间），不支持反向引用和前后断言' },
  options: { key: 'enum', label: '选项', kind: 'options' },
} satisfies Record<string, EditorEntry>;

/** The placeholder prop, Chinese whatever antd's locale: the form's own text is Chinese. */
export const placeholder = (text: string): Record<string, ComponentProp> => ({ placeholder: { doc: '未填写时的提示', default: text } });
