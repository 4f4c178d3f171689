/**
 * The form and matter side of "添加关联事项" (a new linked item without code), as pure
 * functions over plain JSON so they run in Node tests:
 *
 *   const item = { key: 'unemployment-benefit-stop', title: '失业保险金停发', department: 'unemployment', materials };
 *   const { schema, fieldKey, path } = addOptInField(formSchema, item);   // section + 是/否 field (+ upload)
 *   const matter = addLinkedItem(draft, item);
 *
 * The opt-in field carries `"x-linked-item": "<key>"` (a string key, API.md) and sits in the
 * form's service-item section (服务事项 / 联办事项): the section whose fields already carry
 * `x-linked-item`, else a section so titled, else a new 联办事项 section at the end.
 * The flow side (a branch inside the inclusive split/join) is ./flow-branch.ts.
 */
import { linkedItemKey, type FieldSchema, type FormSchema } from '@lianban/runtime';
import type { LinkedItem, Material, MatterDraft } from '../../api/types';
import { fieldKeyFor, uniqueKey } from './keys';

export interface NewLinkedItem {
  key: string;
  title: string;
  department: string;
  materials: Material[];
  description?: string;
}

export interface OptInResult {
  schema: FormSchema;
  /** Data key of the 是/否 opt-in field. */
  fieldKey: string;
  /** Keys from the form root to the new field, sections included. */
  path: string[];
}

const SERVICE_SECTION_TITLE = /服务事项|联办事项|关联事项/;

type Props = Record<string, FieldSchema>;

/** Every data key and node key used anywhere in the schema (to keep new keys unique). */
export function usedKeys(schema: FieldSchema): Set<string> {
  const keys = new Set<string>();
  const visit = (props: Props | undefined) => {
    for (const [k, node] of Object.entries(props ?? {})) {
      keys.add(k);
      visit(node.properties);
      visit(node.items?.properties);
    }
  };
  visit(schema.properties);
  return keys;
}

function hasLinkedItem(node: FieldSchema): boolean {
  return Object.values(node.properties ?? {}).some((c) => c['x-linked-item'] !== undefined || (c['x-field-type'] === 'section' && hasLinkedItem(c)));
}

/** Path (keys) of the service-item section, or null when the form has none. */
export function findServiceSection(schema: FieldSchema): string[] | null {
  let byTitle: string[] | null = null;
  const visit = (node: FieldSchema, path: string[]): string[] | null => {
    for (const [k, child] of Object.entries(node.properties ?? {})) {
      if (child['x-field-type'] !== 'section') continue;
      // The outermost section whose direct children are the per-item sections or opt-ins.
      const direct = Object.values(child.properties ?? {}).some((c) => c['x-linked-item'] !== undefined || (c['x-field-type'] === 'section' && hasLinkedItem(c)));
      if (direct) return [...path, k];
      if (!byTitle && SERVICE_SECTION_TITLE.test(child.title ?? '')) byTitle = [...path, k];
      const deeper = visit(child, [...path, k]);
      if (deeper) return deeper;
    }
    return null;
  };
  return visit(schema, []) ?? byTitle;
}

/** The opt-in field of linked item `itemKey`, as a key path, or null. */
export function findOptInField(schema: FieldSchema, itemKey: string): string[] | null {
  const visit = (node: FieldSchema, path: string[]): string[] | null => {
    for (const [k, child] of Object.entries(node.properties ?? {})) {
      if (linkedItemKey(child['x-linked-item']) === itemKey) return [...path, k];
      const deeper = visit(child, [...path, k]);
      if (deeper) return deeper;
    }
    return null;
  };
  return visit(schema, []);
}

function materialsText(materials: Material[]): string {
  const required = materials.filter((m) => m.kind === 'required').map((m) => m.name);
  const onRequest = materials.filter((m) => m.kind === 'on-request').map((m) => m.name);
  if (!required.length && !onRequest.length) return '无需材料';
  return [required.length ? `必需提供：${required.join('、')}` : '', onRequest.length ? `依申请提供：${onRequest.join('、')}` : ''].filter(Boolean).join('\n');
}

/**
 * Adds the linked item's section to the form: the 是/否 opt-in (`x-linked-item`), and either an
 * upload field for its materials (shown, and required for 必需 materials, once ticked) or a
 * 无需材料 note. Returns a new schema; the input is not changed. Idempotent per item key.
 */
export function addOptInField(input: FormSchema, item: NewLinkedItem): OptInResult {
  const schema = structuredClone(input);
  const existing = findOptInField(schema, item.key);
  if (existing) return { schema, fieldKey: existing.at(-1)!, path: existing };
  const taken = usedKeys(schema);
  const fieldKey = uniqueKey(fieldKeyFor(item.key), (k) => taken.has(k));
  taken.add(fieldKey);
  const base = fieldKey.charAt(0).toUpperCase() + fieldKey.slice(1);
  const sectionKey = uniqueKey(`item${base}`, (k) => taken.has(k));
  taken.add(sectionKey);

  let parentPath = findServiceSection(schema);
  if (!parentPath) {
    const key = uniqueKey('linkedItems', (k) => taken.has(k));
    taken.add(key);
    schema.properties[key] = { type: 'void', title: '联办事项', 'x-field-type': 'section', description: '勾选需要一并办理的关联事项。', properties: {} };
    parentPath = [key];
  }
  let parent: FieldSchema = schema;
  for (const k of parentPath) parent = parent.properties![k]!;
  parent.properties ??= {};

  const optIn: FieldSchema = { type: 'boolean', title: '需要办理', 'x-field-type': 'yesNo', required: true, 'x-span': 2 };
  (optIn as Record<string, unknown>)['x-linked-item'] = item.key;
  const children: Props = { [fieldKey]: optIn };
  if (item.materials.length) {
    const uploadKey = uniqueKey(`${fieldKey}Materials`, (k) => taken.has(k));
    children[uploadKey] = {
      type: 'array', title: '所需材料', 'x-field-type': 'upload', maxItems: 20,
      'x-materials': item.materials.map((m, i) => ({ code: `m${i + 1}`, name: m.name, need: m.kind === 'required' ? 'always' : 'on-request' })),
      description: materialsText(item.materials),
      'x-visible-when': { field: fieldKey, eq: true },
      ...(item.materials.some((m) => m.kind === 'required') ? { 'x-required-when': { field: fieldKey, eq: true } } : {}),
    };
  } else {
    children[uniqueKey(`${fieldKey}Note`, (k) => taken.has(k))] = { type: 'void', title: '所需材料', description: '无需材料', 'x-field-type': 'help', 'x-span': 2 };
  }
  parent.properties[sectionKey] = { type: 'void', title: item.title, 'x-field-type': 'section', ...(item.description ? { description: item.description } : {}), properties: children };
  return { schema, fieldKey, path: [...parentPath, sectionKey, fieldKey] };
}

/** The matter draft with the new linked item appended (replacing one with the same key). */
export function addLinkedItem(draft: MatterDraft, item: NewLinkedItem): MatterDraft {
  const linked: LinkedItem = { key: item.key, title: item.title, department: item.department, materials: item.materials, ...(item.description ? { description: item.description } : {}) };
  return { ...draft, linkedItems: [...draft.linkedItems.filter((i) => i.key !== item.key), linked] };
}

/** Why a new item key cannot be used, or null. */
export function itemKeyProblem(key: string, draft: MatterDraft): string | null {
  if (!/^[a-z][a-z0-9-]{1,59}$/.test(key)) return '事项标识须以小写字母开头，只含小写字母、数字和 -（2–60 位）';
  if (draft.linkedItems.some((i) => i.key === key)) return `本事项已有标识为「${key}」的关联事项`;
  return null;
}
