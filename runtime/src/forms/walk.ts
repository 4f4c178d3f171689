/**
 * The one walk over a form schema: every node in display order with its data path. Sections
 * (`type: 'void'`) group fields without adding a path segment, as in Formily; the columns of a
 * rows field get `<rows>.*.<column>`. Every reader of a schema's tree (renderer compile, JSON
 * Schema export, checker, masking, the designer's model) goes through here, so the path rules
 * live in one place.
 *
 *   walkSchema(schema)                                    // every node
 *   walkSchema(schema, (n) => (n.key === 'x' ? 'stop' : undefined))   // up to the first `x`
 *   walkSchema(schema, (n) => (n.keyed ? 'skip' : undefined))         // not below data fields
 */
import { fieldType, type FieldTypeConfig } from './field-types/index';
import type { Condition, FieldSchema } from './types';

export interface SchemaNode {
  key: string;
  /** Data path, e.g. `idNumber`, `workHistory.*.unit`; for void nodes their Formily address (`<base>.<key>`), while their children extend `<base>`. */
  path: string;
  /** Where the node sits in the schema, e.g. `properties.applicant.properties.idNumber`. */
  schemaPath: string;
  schema: FieldSchema;
  config: FieldTypeConfig | undefined;
  /** Holds data (false for sections and help notes). */
  keyed: boolean;
  /** The enclosing node; undefined at the top level. */
  parent?: SchemaNode;
  /** Whether the node is one of its parent's `properties` or a column in its `items.properties`. */
  slot: 'properties' | 'items';
  /** The innermost enclosing section (a container without data), if any. */
  section?: SchemaNode;
  /** Path of the enclosing rows field, when inside one. */
  rows?: string;
  /** Visibility conditions of the node and of every enclosing section (all must hold). */
  visibleWhen: Condition[];
}

/**
 * What a visitor asks of the walk after seeing a node: `'skip'` leaves out the node's children,
 * `'stop'` ends the walk (the node is still listed); anything else goes on.
 */
export type WalkControl = 'skip' | 'stop' | void | undefined;

/** Properties of a schema object in display order (`x-index`, then insertion order). */
export function orderedProperties(props: Record<string, FieldSchema> | undefined): [string, FieldSchema][] {
  const entries = Object.entries(props ?? {});
  if (!entries.some(([, s]) => typeof s?.['x-index'] === 'number')) return entries;
  return entries.map((e, i) => [e, i] as const)
    .sort((a, b) => ((a[0][1]['x-index'] ?? a[1]) - (b[0][1]['x-index'] ?? b[1])))
    .map(([e]) => e);
}

/** True for a section: a node that groups child fields but holds no data itself. */
export const isSection = (config: FieldTypeConfig | undefined): boolean => !!config && !config.keyed && config.container === 'properties';

/**
 * Every node of the schema, depth first in display order (a node before its children, a
 * node's `properties` before its `items.properties`). `visit`, if given, sees each node as it
 * is reached and may skip its children or stop the walk; the nodes walked are returned.
 */
export function walkSchema(root: FieldSchema, visit?: (node: SchemaNode) => WalkControl): SchemaNode[] {
  const out: SchemaNode[] = [];
  let stopped = false;
  const walk = (
    props: Record<string, FieldSchema> | undefined, slot: SchemaNode['slot'], parent: SchemaNode | undefined,
    base: string, schemaBase: string, rows: string | undefined, section: SchemaNode | undefined, inherited: Condition[],
  ) => {
    for (const [key, schema] of orderedProperties(props)) {
      if (stopped) return;
      if (typeof schema !== 'object' || schema === null) continue;
      const config = fieldType(schema['x-field-type']);
      const keyed = config ? config.keyed : schema.type !== 'void';
      const own = base ? `${base}.${key}` : key;
      const childBase = keyed ? own : base;
      const schemaPath = `${schemaBase}properties.${key}`;
      const cond = schema['x-visible-when'];
      const visibleWhen = cond ? [...inherited, cond] : inherited;
      const node: SchemaNode = { key, path: own, schemaPath, schema, config, keyed, parent, slot, section, rows, visibleWhen };
      out.push(node);
      const control = visit?.(node);
      if (control === 'stop') { stopped = true; return; }
      if (control === 'skip') continue;
      const innerSection = isSection(config) ? node : section;
      if (schema.properties) walk(schema.properties, 'properties', node, childBase, `${schemaPath}.`, rows, innerSection, keyed ? [] : visibleWhen);
      if (schema.items?.properties) walk(schema.items.properties, 'items', node, `${childBase}.*`, `${schemaPath}.items.`, childBase, innerSection, []);
    }
  };
  walk(root.properties, 'properties', undefined, '', '', undefined, undefined, []);
  return out;
}
