/**
 * The form designer's model: a form schema being edited, with undo/redo. Plain TypeScript (no
 * React), so the designer's components stay thin and the edits are unit-tested in Node.
 *
 *   const doc = new FormDocument(schema);
 *   const path = doc.add('text', ['applicant']);        // a new field in section `applicant`
 *   doc.update(path, { title: '姓名', required: true });
 *   doc.move(path, [], 0);                               // to the top of the form
 *   doc.undo(); doc.redo();
 *   doc.subscribe(() => render(doc.schema));
 *
 * A node is addressed by its path of keys from the root: sections add a segment, and so does a
 * rows field (its columns live in `items.properties`). Every edit replaces `schema` with a new
 * object (the old one is kept for undo), so React can compare by identity.
 */
import { checkFormSchema, fieldType, orderedProperties, walkSchema, type FieldSchema, type FormSchema } from '@lianban/runtime';
import { renameInCrossChecks } from './one-of';

export type NodePath = string[];

/** A schema problem of the checker, addressed to a node of the designer. */
export interface NodeProblem { path: NodePath; message: string; code: string }

const HISTORY_LIMIT = 200;

/** True when the node's children are the columns of its `items` (a rows field), per its field type. */
const holdsItems = (node: FieldSchema): boolean => fieldType(node['x-field-type'])?.container === 'items';

/** The children of a node: a section's `properties` or a rows field's `items.properties`. */
export function childrenOf(node: FieldSchema): Record<string, FieldSchema> | undefined {
  return holdsItems(node) ? node.items?.properties : node.properties;
}

/** True when the node can hold child fields. */
export function isContainer(node: FieldSchema): boolean {
  return node === undefined ? false : !!fieldType(node['x-field-type'])?.container || (node.type === 'object' && !node['x-field-type']);
}

/** The node at `path`, or undefined. */
export function nodeAt(schema: FieldSchema, path: NodePath): FieldSchema | undefined {
  let node: FieldSchema | undefined = schema;
  for (const key of path) node = node ? childrenOf(node)?.[key] : undefined;
  return node;
}

/** The path of the first node with data key `key` (sections are searched too). */
export function findByKey(schema: FieldSchema, key: string): NodePath | null {
  const found = walkSchema(schema, (n) => (n.key === key ? 'stop' : undefined)).at(-1);
  return found?.key === key ? nodePathOf(found.schemaPath) : null;
}

/** Every key used in the schema (new keys must not collide with a data key anywhere). */
function allKeys(schema: FieldSchema): Set<string> {
  return new Set(walkSchema(schema).map((n) => n.key));
}

/** `schemaPath` of the checker (`properties.a.properties.b.items.properties.c.pattern`) → node path. */
export function nodePathOf(schemaPath: string): NodePath {
  const parts = schemaPath.split('.');
  const path: NodePath = [];
  for (let i = 0; i < parts.length; i++) {
    if (parts[i] === 'properties' && i + 1 < parts.length) path.push(parts[++i]!);
    else if (parts[i] !== 'items') break;
  }
  return path;
}

/** Replaces the children of `parent` (a clone) with `entries`, in that order. */
function setChildren(parent: FieldSchema, entries: [string, FieldSchema][]): void {
  // Order is the insertion order from here on: drop x-index, which would override it.
  const props = Object.fromEntries(entries.map(([k, v]) => {
    if (v['x-index'] === undefined) return [k, v];
    const { 'x-index': _dropped, ...rest } = v;
    return [k, rest as FieldSchema];
  }));
  if (holdsItems(parent)) parent.items = { ...(parent.items ?? { type: 'object' }), properties: props };
  else parent.properties = props;
}

/** Clones the nodes along `path` so an edit below does not touch the previous schema. */
function cloneAlong(schema: FormSchema, path: NodePath): { root: FormSchema; node: FieldSchema } {
  const root: FormSchema = { ...schema, properties: { ...schema.properties } };
  let node: FieldSchema = root;
  for (const key of path) {
    const kids = childrenOf(node)!;
    const copy: FieldSchema = { ...kids[key]! };
    if (holdsItems(copy) && copy.items) copy.items = { ...copy.items, properties: { ...copy.items.properties } };
    else if (copy.properties) copy.properties = { ...copy.properties };
    kids[key] = copy;
    node = copy;
  }
  return { root, node };
}

export class FormDocument {
  private past: FormSchema[] = [];
  private future: FormSchema[] = [];
  private listeners = new Set<() => void>();

  constructor(public schema: FormSchema) {}

  get canUndo(): boolean { return this.past.length > 0; }
  get canRedo(): boolean { return this.future.length > 0; }

  /** Calls `listener` after every change; returns an unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  /** Checker problems (docs/forms.md conventions), addressed to nodes. */
  problems(): NodeProblem[] {
    return checkFormSchema(this.schema).map((p) => ({ path: nodePathOf(p.path), message: p.message, code: p.code }));
  }

  /** Replaces the whole schema (JSON import); undoable. */
  replace(schema: FormSchema): void {
    if (schema?.type !== 'object' || typeof schema.properties !== 'object') throw new Error('不是表单：根节点须为 {"type":"object","properties":{…}}');
    this.commit(schema);
  }

  undo(): void {
    const prev = this.past.pop();
    if (!prev) return;
    this.future.push(this.schema);
    this.schema = prev;
    this.emit();
  }

  redo(): void {
    const next = this.future.pop();
    if (!next) return;
    this.past.push(this.schema);
    this.schema = next;
    this.emit();
  }

  /** Adds a new field of `type` (a field-type name) to container `parent` at `index` (default: end). */
  add(type: string, parent: NodePath = [], index?: number, key?: string): NodePath {
    const config = fieldType(type);
    if (!config) throw new Error(`未知的字段类型：${type}`);
    const container = nodeAt(this.schema, parent);
    if (!container || !isContainer(container)) throw new Error('只能把字段放进表单、分组或重复行中');
    if (parent.length && config.container && holdsItems(nodeAt(this.schema, parent)!)) throw new Error('重复行的列中不能再放分组或重复行');
    const taken = allKeys(this.schema);
    let newKey = key ?? `${type}1`;
    for (let n = 2; taken.has(newKey); n++) newKey = `${key ?? type}${n}`;
    const { root, node } = cloneAlong(this.schema, parent);
    const entries = orderedProperties(childrenOf(node));
    entries.splice(index ?? entries.length, 0, [newKey, config.create()]);
    setChildren(node, entries);
    this.commit(root);
    return [...parent, newKey];
  }

  /** Moves the node at `from` into container `parent` at `index` (counted without the node). */
  move(from: NodePath, parent: NodePath, index: number): NodePath {
    const node = nodeAt(this.schema, from);
    if (!node || from.length === 0) throw new Error('没有这个字段');
    if (parent.length >= from.length && from.every((k, i) => parent[i] === k)) throw new Error('不能把分组移动到它自己里面');
    const target = nodeAt(this.schema, parent);
    if (!target || !isContainer(target)) throw new Error('只能移动到表单、分组或重复行中');
    if (holdsItems(target) && isContainer(node)) throw new Error('重复行的列中不能再放分组或重复行');
    const key = from.at(-1)!;
    const fromParent = from.slice(0, -1);
    const samePlace = fromParent.length === parent.length && fromParent.every((k, i) => parent[i] === k);
    if (!samePlace && Object.hasOwn(childrenOf(target) ?? {}, key)) throw new Error(`目标分组中已有字段标识「${key}」`);
    // Remove, then insert (clone both paths from the intermediate root).
    const removed = cloneAlong(this.schema, fromParent);
    setChildren(removed.node, orderedProperties(childrenOf(removed.node)).filter(([k]) => k !== key));
    const inserted = cloneAlong(removed.root, parent);
    const entries = orderedProperties(childrenOf(inserted.node));
    entries.splice(Math.max(0, Math.min(index, entries.length)), 0, [key, node]);
    setChildren(inserted.node, entries);
    this.commit(inserted.root);
    return [...parent, key];
  }

  /** Sets (or, with `undefined`, removes) properties of the node at `path`. */
  update(path: NodePath, patch: Partial<Record<keyof FieldSchema, unknown>>): void {
    if (!nodeAt(this.schema, path)) throw new Error('没有这个字段');
    const { root, node } = cloneAlong(this.schema, path);
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined) delete (node as Record<string, unknown>)[k];
      else (node as Record<string, unknown>)[k] = v;
    }
    this.commit(root);
  }

  /** Renames a node's key in place (same position); rules and computed values that read it follow. */
  rename(path: NodePath, newKey: string): NodePath {
    const oldKey = path.at(-1)!;
    if (newKey === oldKey) return path;
    if (allKeys(this.schema).has(newKey)) throw new Error(`字段标识「${newKey}」已被使用`);
    const parent = path.slice(0, -1);
    const { root, node } = cloneAlong(this.schema, parent);
    setChildren(node, orderedProperties(childrenOf(node)).map(([k, v]) => [k === oldKey ? newKey : k, v]));
    this.commit(renameReferences(root, oldKey, newKey));
    return [...parent, newKey];
  }

  /** Removes the node at `path` (with its children). */
  remove(path: NodePath): void {
    const { root, node } = cloneAlong(this.schema, path.slice(0, -1));
    setChildren(node, orderedProperties(childrenOf(node)).filter(([k]) => k !== path.at(-1)));
    this.commit(root);
  }

  private commit(next: FormSchema): void {
    this.past.push(this.schema);
    if (this.past.length > HISTORY_LIMIT) this.past.shift();
    this.future = [];
    this.schema = next;
    this.emit();
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }
}

/** Every `field` of rules and every field argument of computed values named `from` now reads `to`. */
function renameReferences(schema: FormSchema, from: string, to: string): FormSchema {
  const fix = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(fix);
    if (typeof v !== 'object' || v === null) return v;
    const o = v as Record<string, unknown>;
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, k === 'field' && x === from ? to : fix(x)]));
  };
  // A fresh copy (the edit must not touch the schema kept for undo), fixed node by node.
  const copy = structuredClone(schema);
  for (const { schema: node } of walkSchema(copy)) {
    for (const kind of ['x-visible-when', 'x-required-when'] as const) if (node[kind]) node[kind] = fix(node[kind]) as FieldSchema[typeof kind];
    const comp = node['x-compute'];
    if (comp) node['x-compute'] = { ...comp, from: Object.fromEntries(Object.entries(comp.from ?? {}).map(([p, a]) => [p, a === from ? to : a])) };
    renameInCrossChecks(node, from, to);
    if (node['x-eligibility']) for (const r of Array.isArray(node['x-eligibility']) ? node['x-eligibility'] : [node['x-eligibility']]) if (r.when) r.when = fix(r.when) as typeof r.when;
    for (const m of node['x-materials'] ?? []) if (m.requiredWhen) m.requiredWhen = fix(m.requiredWhen) as typeof m.requiredWhen;
  }
  return copy;
}
