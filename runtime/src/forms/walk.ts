/**
 * Walks a form schema in display order and lists its nodes with their data paths. Sections
 * (`type: 'void'`) group fields without adding a path segment, as in Formily; the columns of a
 * rows field get `<rows>.*.<column>`.
 */
import { fieldType, type FieldTypeConfig } from './field-types/index';
import type { Condition, FieldSchema } from './types';

export interface SchemaNode {
  key: string;
  /** Data path, e.g. `idNumber`, `workHistory.*.unit`; for void nodes the path their children share. */
  path: string;
  /** Where the node sits in the schema, e.g. `properties.applicant.properties.idNumber`. */
  schemaPath: string;
  schema: FieldSchema;
  config: FieldTypeConfig | undefined;
  /** Holds data (false for sections and help notes). */
  keyed: boolean;
  /** Path of the enclosing rows field, when inside one. */
  rows?: string;
  /** Visibility conditions of the node and of every enclosing section (all must hold). */
  visibleWhen: Condition[];
}

/** Properties of a schema object in display order (`x-index`, then insertion order). */
export function orderedProperties(props: Record<string, FieldSchema> | undefined): [string, FieldSchema][] {
  const entries = Object.entries(props ?? {});
  if (!entries.some(([, s]) => typeof s?.['x-index'] === 'number')) return entries;
  return entries.map((e, i) => [e, i] as const)
    .sort((a, b) => ((a[0][1]['x-index'] ?? a[1]) - (b[0][1]['x-index'] ?? b[1])))
    .map(([e]) => e);
}

/** Every node of the schema, depth first in display order. */
export function walkSchema(root: FieldSchema): SchemaNode[] {
  const out: SchemaNode[] = [];
  const visit = (props: Record<string, FieldSchema> | undefined, base: string, schemaBase: string, rows: string | undefined, inherited: Condition[]) => {
    for (const [key, schema] of orderedProperties(props)) {
      if (typeof schema !== 'object' || schema === null) continue;
      const config = fieldType(schema['x-field-type']);
      const keyed = config ? config.keyed : schema.type !== 'void';
      const path = keyed ? (base ? `${base}.${key}` : key) : base;
      const schemaPath = `${schemaBase}properties.${key}`;
      const own = schema['x-visible-when'];
      const visibleWhen = own ? [...inherited, own] : inherited;
      out.push({ key, path: keyed ? path : (base ? `${base}.${key}` : key), schemaPath, schema, config, keyed, rows, visibleWhen });
      if (schema.properties) visit(schema.properties, path, `${schemaPath}.`, rows, keyed ? [] : visibleWhen);
      if (schema.items?.properties) visit(schema.items.properties, `${path}.*`, `${schemaPath}.items.`, path, []);
    }
  };
  visit(root.properties, '', '', undefined, []);
  return out;
}
