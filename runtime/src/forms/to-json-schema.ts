/**
 * Compiles a form schema to plain JSON Schema (draft 2020-12 subset ajv runs): types and
 * formats per field type, unknown fields rejected, static `required`, and the rule model as
 * `if/then`: required-when → `then: {required}`; visible-when → required only while visible
 * and absent while hidden. Computed values are marked `readOnly` (the server recomputes them).
 */
import { conditionToJsonSchema } from './conditions';
import type { Condition, FieldSchema, Json } from './types';
import { walkSchema } from './walk';

type JsonSchema = Record<string, Json>;

const allOf = (conds: Condition[]): Condition => (conds.length === 1 ? conds[0]! : { all: conds });

/** One object level being built: the form, or the item of a rows field. */
interface Level { properties: Record<string, Json>; required: string[]; rules: Json[] }

const objectOf = (l: Level): JsonSchema => {
  const out: JsonSchema = { type: 'object', additionalProperties: false, properties: l.properties };
  if (l.required.length) out.required = l.required;
  if (l.rules.length) out.allOf = l.rules;
  return out;
};

/** The JSON Schema of the form's top level; rows items are nested objects of their own. */
function formObjectSchema(schema: FieldSchema): JsonSchema {
  const top: Level = { properties: {}, required: [], rules: [] };
  // Rows items, by the rows field's data path; filled while the walk goes on, closed at the end.
  const items = new Map<string, { level: Level; into: JsonSchema }>();
  walkSchema(schema, (n) => {
    const { config, schema: f, key } = n;
    if (!config) return 'skip';
    if (!config.keyed) return undefined;
    const topLevel = n.rows === undefined;
    const level = topLevel ? top : items.get(n.rows!)!.level;
    const s: JsonSchema = { ...config.jsonSchema(f) };
    if (f.title) s.title = f.title;
    if (config.container === 'items') items.set(n.path, { level: { properties: {}, required: [], rules: [] }, into: s });
    if (f['x-compute']) s.readOnly = true;
    level.properties[key] = s;
    // Conditions only exist on top-level fields (the schema checker enforces it).
    const visible = n.visibleWhen;
    const when = topLevel && visible.length ? allOf(visible) : undefined;
    if (f.required) {
      if (when) level.rules.push({ if: conditionToJsonSchema(when), then: { required: [key] } } as Json);
      else level.required.push(key);
    }
    const reqWhen = topLevel ? f['x-required-when'] : undefined;
    if (reqWhen) level.rules.push({ if: conditionToJsonSchema(when ? { all: [when, reqWhen] } : reqWhen), then: { required: [key] } } as Json);
    if (when) level.rules.push({ if: { not: conditionToJsonSchema(when) }, then: { not: { required: [key] } } } as Json);
    // A data field's own children are not data of the form; a rows field's columns are.
    return config.container === 'items' ? undefined : 'skip';
  });
  for (const { level, into } of items.values()) into.items = objectOf(level);
  return objectOf(top);
}

/** The JSON Schema of a form's submitted data. */
export function toJsonSchema(schema: FieldSchema): JsonSchema {
  const meta = schema['x-form'] as { id?: string; version?: string | number } | undefined;
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    ...(meta?.id ? { $id: `urn:lianban:form:${meta.id}:${meta.version ?? 0}` } : {}),
    ...(schema.title ? { title: schema.title } : {}),
    ...formObjectSchema(schema),
  };
}
