/**
 * Compiles a form schema to plain JSON Schema (draft 2020-12 subset ajv runs): types and
 * formats per field type, unknown fields rejected, static `required`, and the rule model as
 * `if/then`: required-when → `then: {required}`; visible-when → required only while visible
 * and absent while hidden. Computed values are marked `readOnly` (the server recomputes them).
 */
import { conditionToJsonSchema } from './conditions';
import type { Condition, FieldSchema, Json } from './types';
import { orderedProperties } from './walk';
import { fieldType } from './field-types/index';

type JsonSchema = Record<string, Json>;

const allOf = (conds: Condition[]): Condition => (conds.length === 1 ? conds[0]! : { all: conds });

/** The JSON Schema of one object level (the form, or a rows item). */
function objectSchema(props: Record<string, FieldSchema> | undefined, topLevel: boolean): JsonSchema {
  const properties: Record<string, Json> = {};
  const required: string[] = [];
  const rules: Json[] = [];
  const visit = (ps: Record<string, FieldSchema> | undefined, inherited: Condition[]) => {
    for (const [key, f] of orderedProperties(ps)) {
      const config = fieldType(f['x-field-type']);
      const own = f['x-visible-when'];
      const visible = own ? [...inherited, own] : inherited;
      if (!config) continue;
      if (!config.keyed) { visit(f.properties, visible); continue; }
      const s: JsonSchema = { ...config.jsonSchema(f) };
      if (f.title) s.title = f.title;
      if (config.container === 'items') s.items = objectSchema(f.items?.properties, false);
      if (f['x-compute']) s.readOnly = true;
      properties[key] = s;
      // Conditions only exist on top-level fields (the schema checker enforces it).
      const when = topLevel && visible.length ? allOf(visible) : undefined;
      if (f.required) {
        if (when) rules.push({ if: conditionToJsonSchema(when), then: { required: [key] } } as Json);
        else required.push(key);
      }
      const reqWhen = topLevel ? f['x-required-when'] : undefined;
      if (reqWhen) rules.push({ if: conditionToJsonSchema(when ? { all: [when, reqWhen] } : reqWhen), then: { required: [key] } } as Json);
      if (when) rules.push({ if: { not: conditionToJsonSchema(when) }, then: { not: { required: [key] } } } as Json);
    }
  };
  visit(props, []);
  const out: JsonSchema = { type: 'object', additionalProperties: false, properties };
  if (required.length) out.required = required;
  if (rules.length) out.allOf = rules;
  return out;
}

/** The JSON Schema of a form's submitted data. */
export function toJsonSchema(schema: FieldSchema): JsonSchema {
  const meta = schema['x-form'] as { id?: string; version?: string | number } | undefined;
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    ...(meta?.id ? { $id: `urn:lianban:form:${meta.id}:${meta.version ?? 0}` } : {}),
    ...(schema.title ? { title: schema.title } : {}),
    ...objectSchema(schema.properties, true),
  };
}
