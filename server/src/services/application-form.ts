/**
 * What an application's data must satisfy before it is stored: the form version's validation
 * (derived values recomputed), the linked items it requests, keys a stored draft may hold, and
 * the files it refers to.
 */
import { requestedItems as requestedItemsOf, taskFormKeys, type FieldSchema } from '@lianban/runtime';
import { compileValidator } from '@lianban/runtime/validate';
import type { MatterVersionDoc } from '../models';
import { DomainError } from './errors';

/** The form of the matter version; 422 when the matter has no such form. */
export function formOf(matter: MatterVersionDoc, formKey: string) {
  const form = matter.forms.find((f) => f.key === formKey);
  if (!form) throw new DomainError('invalid', `事项「${matter.title}」没有表单「${formKey}」`, { errors: [{ path: 'form', message: '表单不存在' }] });
  return form;
}

/**
 * The form an applicant applies with (a draft or a submission): 422 `not-an-application-form`
 * for a form the flow names as a task's form (filled in during handling, e.g. 常州 附件5).
 */
export function applicationFormOf(matter: MatterVersionDoc, formKey: string) {
  const form = formOf(matter, formKey);
  if (taskFormKeys(matter.flow.xml).has(formKey)) {
    throw new DomainError('not-an-application-form', `「${form.title ?? formKey}」在办理过程中填写，不能用来申请；请选择本事项的申请表`, { errors: [{ path: 'form', message: '此表单不是申请表', code: 'not-an-application-form' }] });
  }
  return form;
}

/**
 * Validates a submission against the form version; returns the cleaned data (derived values
 * recomputed). A published form that no longer compiles throws the runtime's `FormSchemaError`
 * (500 form-broken).
 */
export function validateSubmission(matter: MatterVersionDoc, formKey: string, data: unknown): Record<string, unknown> {
  const form = formOf(matter, formKey);
  // Keyed by the form's content hash: the same published form compiles once, whichever database it came from.
  const validator = compileValidator(form.schema as FieldSchema, { key: `${form.key}#${form.hash}` });
  const result = validator.validate(data);
  if (!result.valid) {
    throw new DomainError('invalid', `申请表有 ${result.errors.length} 处需要修改`, { errors: result.errors.map(({ path, message, code }) => ({ path, message, code })) });
  }
  return result.value as Record<string, unknown>;
}

/** Linked items the case requests: the mandatory ones plus those whose opt-in field is answered yes (runtime/src/matters). */
export function requestedItems(matter: MatterVersionDoc, formKey: string, data: Record<string, unknown>): string[] {
  return requestedItemsOf(matter.linkedItems, formOf(matter, formKey).schema as FieldSchema, data);
}

/**
 * A draft's data is stored as typed, but only with keys a document may hold: no `$`-operators,
 * no dotted paths, no prototype keys (422 otherwise, with the path).
 */
export function checkStorableKeys(data: unknown, path: string[] = []): void {
  if (Array.isArray(data)) data.forEach((v, i) => checkStorableKeys(v, [...path, String(i)]));
  else if (data && typeof data === 'object') {
    for (const [k, v] of Object.entries(data)) {
      if (k.startsWith('$') || k.includes('.') || k === '__proto__' || k === 'constructor' || k === 'prototype' || k.length > 100) {
        throw new DomainError('invalid', '草稿中有不允许的字段名', { errors: [{ path: [...path, k].join('.'), message: '不允许的字段' }] });
      }
      checkStorableKeys(v, [...path, k]);
    }
  }
}

/** Every `fileId` in the data (upload fields hold `[{name, fileId, …}]`). */
export function fileIdsIn(data: unknown, out: string[] = []): string[] {
  if (Array.isArray(data)) data.forEach((d) => fileIdsIn(d, out));
  else if (data && typeof data === 'object') {
    for (const [k, v] of Object.entries(data)) {
      if (k === 'fileId' && typeof v === 'string') out.push(v);
      else fileIdsIn(v, out);
    }
  }
  return out;
}
