/**
 * The ajv layer of server-side validation: the form's JSON Schema (see to-json-schema.ts)
 * compiled by ajv with our formats and Chinese messages. ajv generates code from a schema;
 * that is accepted here only because the input is our own compiled schema: keys are checked
 * identifiers and admin patterns were vetted by `checkFormSchema` before we get here, and
 * patterns run on RE2 (`compilePattern`, linear time).
 * Runs in Node only (the portal's CSP forbids code generation in the browser).
 */
import Ajv2020Module from 'ajv/dist/2020';
import addFormatsModule from 'ajv-formats';
import localizeZhModule from 'ajv-i18n/localize/zh/index.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { RegExpEngine } from 'ajv/dist/types';
import { isValidCreditCode, isValidPostcode, normalizeMobile } from '../../rules/index';
import { residentIdInfo } from '../id-cache';
import { compilePattern } from '../pattern';
import { messageFor } from '../messages';
import type { FieldError, Json } from '../types';

// CommonJS default exports, seen through ESM interop either wrapped or not.
const interop = <T>(m: T): T => ((m as { default?: T }).default ?? m);
const Ajv2020 = interop(Ajv2020Module);
const addFormats = interop(addFormatsModule);
const localizeZh = interop(localizeZhModule);

let shared: InstanceType<typeof Ajv2020> | undefined;

/** One ajv instance with our formats; schemas are compiled per form version by the caller. */
function ajv(): InstanceType<typeof Ajv2020> {
  return (shared ??= createFormAjv());
}

/** ajv's `pattern` keyword on RE2 (linear time): an administrator's pattern cannot backtrack. */
const re2Engine: RegExpEngine = Object.assign((pattern: string) => compilePattern(pattern), { code: 'compilePattern' });

/** A new ajv (draft 2020-12) knowing our formats: year-month, id-number, credit-code, mobile, postcode, date. */
export function createFormAjv(): InstanceType<typeof Ajv2020> {
  const a = new Ajv2020({ allErrors: true, strict: false, unicodeRegExp: true, messages: true, code: { regExp: re2Engine } });
  addFormats(a, ['date']);
  a.addFormat('year-month', /^\d{4}-(0[1-9]|1[0-2])$/);
  a.addFormat('id-number', (s: string) => residentIdInfo(s).valid);
  a.addFormat('credit-code', isValidCreditCode);
  a.addFormat('mobile', (s: string) => normalizeMobile(s) === s);
  a.addFormat('postcode', isValidPostcode);
  return a;
}

/** ajv's instance path `/workHistory/0/unit` as our dotted `workHistory.0.unit`. */
function dotted(instancePath: string, extra?: string): string {
  const segs = instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra !== undefined) segs.push(extra);
  return segs.join('.');
}

const FORMAT_CODES: Record<string, string> = {
  'date': 'date', 'year-month': 'year-month', 'credit-code': 'credit-code', 'mobile': 'mobile', 'postcode': 'postcode', 'id-number': 'id-number.check-digit',
};

/** Maps ajv errors to `{path, code, message}`: our Chinese text where we have one, ajv-i18n's otherwise. */
export function mapAjvErrors(errors: ErrorObject[] | null | undefined): FieldError[] {
  if (!errors?.length) return [];
  localizeZh(errors);
  const out: FieldError[] = [];
  for (const e of errors) {
    const p = e.params as Record<string, unknown>;
    switch (e.keyword) {
      case 'if': case 'allOf': continue; // wrappers; the inner error is reported itself
      case 'required': out.push({ path: dotted(e.instancePath, String(p.missingProperty)), code: 'required', message: messageFor('required') }); break;
      case 'additionalProperties': out.push({ path: dotted(e.instancePath, String(p.additionalProperty)), code: 'unknown-field', message: messageFor('unknown-field') }); break;
      case 'format': {
        const code = FORMAT_CODES[String(p.format)] ?? 'pattern';
        out.push({ path: dotted(e.instancePath), code, message: messageFor(code) });
        break;
      }
      default: out.push({ path: dotted(e.instancePath), code: `schema.${e.keyword}`, message: e.message ?? messageFor('type') });
    }
  }
  return out;
}

/** Compiles a JSON Schema produced by `toJsonSchema`. */
export function compileJsonSchema(jsonSchema: Record<string, Json>): ValidateFunction {
  const { $id: _id, ...rest } = jsonSchema; // the id would make a second compile of the same version collide
  const a = ajv();
  const validate = a.compile(rest);
  // The compiled function stands alone; dropping ajv's own cache entry keeps memory bounded
  // by our per-version cache (ajv would otherwise keep every schema ever compiled).
  a.removeSchema(rest);
  return validate;
}
