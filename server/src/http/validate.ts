/**
 * Request-body validation with ajv: every route that takes a body declares its JSON schema,
 * compiled once. Unknown fields are rejected (`additionalProperties: false` is added to every
 * object schema that does not say otherwise); messages are Chinese (ajv-i18n).
 */
import { Ajv, type ErrorObject, type JSONSchemaType, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import localizeZh from 'ajv-i18n/localize/zh/index.js';
import type { Context } from 'koa';
import { ApiError } from './errors';

const ajv = new Ajv({ allErrors: true, strict: true, coerceTypes: false });
addFormats(ajv);

type Schema = Record<string, unknown>;

function closeObjects(schema: Schema): Schema {
  const out: Schema = { ...schema };
  if (out.type === 'object' && out.additionalProperties === undefined) out.additionalProperties = false;
  if (out.properties) {
    out.properties = Object.fromEntries(Object.entries(out.properties as Record<string, Schema>).map(([k, v]) => [k, closeObjects(v)]));
  }
  if (out.items && typeof out.items === 'object') out.items = closeObjects(out.items as Schema);
  return out;
}

/** `{path, message}` errors with dotted paths, as everywhere else in the API. */
export function toFieldErrors(errors: ErrorObject[] | null | undefined): { path: string; message: string }[] {
  if (!errors) return [];
  localizeZh(errors);
  return errors.map((e) => {
    const base = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
    const extra = e.keyword === 'required' ? (e.params as { missingProperty: string }).missingProperty
      : e.keyword === 'additionalProperties' ? (e.params as { additionalProperty: string }).additionalProperty : '';
    const path = [base, extra].filter(Boolean).join('.');
    const message = e.keyword === 'additionalProperties' ? '不允许的字段' : e.keyword === 'required' ? '必填' : (e.message ?? '无效');
    return { path, message };
  });
}

/** Every named request-body schema, as enforced (the OpenAPI document lists them). */
export const requestSchemas = new Map<string, Schema>();

/** Compiles a body validator registered under `name`; call the result with the request context. */
export function bodyValidator<T>(schema: JSONSchemaType<T> | Schema, name: string): (ctx: Context) => T {
  const closed = closeObjects(schema as Schema);
  requestSchemas.set(name, closed);
  const validate = ajv.compile(closed) as ValidateFunction<T>;
  return (ctx) => {
    const body = (ctx.request as { body?: unknown }).body ?? {};
    if (!validate(body)) {
      throw new ApiError(422, 'invalid', '提交的内容不符合要求', { errors: toFieldErrors(validate.errors) });
    }
    return body as T;
  };
}
