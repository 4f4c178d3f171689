/**
 * 容缺受理: a submission may promise a non-key material (one the form or the matter marks as
 * promisable) instead of uploading it. The case proceeds, and the applicant gets a task — outside
 * the flow — to hand the material in within 10 working days; completing it needs the files.
 */
import crypto from 'node:crypto';
import { deadlineDue, promisedMaterials, withWaivable, type FieldSchema, type PromisedMaterial } from '@lianban/runtime';
import type { Connection } from 'mongoose';
import { DomainError } from './errors';
import type { CaseTask, MatterVersionDoc } from '../models';
import { caseAttachments } from './attachments';

export const PROMISE_TASK_KIND = 'promise';
export const PROMISE_WORKDAYS = 10;

/** The materials a submission promises; 422 for a material that may not be promised. */
export function checkPromises(matter: MatterVersionDoc, formKey: string, data: Record<string, unknown>): PromisedMaterial[] {
  const form = matter.forms.find((f) => f.key === formKey)!;
  const promised = promisedMaterials(withWaivable(form.schema as FieldSchema, matter.linkedItems), data);
  const refused = promised.filter((p) => !p.spec?.promiseAllowed);
  if (refused.length) {
    throw new DomainError('invalid', '有材料不能容缺承诺，请上传', {
      errors: refused.map((p) => ({ path: `${p.path}.${p.index}`, message: `「${p.name}」不能容缺，请上传`, code: 'promise-not-allowed' })),
    });
  }
  return promised;
}

/** The applicant's task to hand the promised materials in, due in 10 official working days. */
export function promiseTask(promised: PromisedMaterial[], now: Date): CaseTask {
  // the China day: just after midnight in Beijing the UTC date is still yesterday's
  const dueAt = deadlineDue(now, PROMISE_WORKDAYS);
  return {
    id: crypto.randomUUID(), waitId: PROMISE_TASK_KIND, elementId: PROMISE_TASK_KIND, kind: PROMISE_TASK_KIND,
    name: `补交容缺材料：${promised.map((p) => p.name).join('、')}`, department: 'applicant', outcomes: [],
    dueAt, state: 'open', createdAt: now,
  };
}

/**
 * The case data with each promised entry replaced by a file of that material uploaded to the
 * case; 422 naming the materials still missing.
 */
export async function fulfilPromises(conn: Connection, caseId: string, schema: FieldSchema, data: Record<string, unknown>): Promise<Record<string, unknown>> {
  const promised = promisedMaterials(schema, data);
  const files = await caseAttachments(conn, caseId);
  const missing = promised.filter((p) => !files.some((f) => f.material === p.material));
  if (missing.length) {
    throw new DomainError('invalid', `请先上传：${missing.map((p) => p.name).join('、')}`, {
      errors: missing.map((p) => ({ path: `${p.path}.${p.index}`, message: '尚未上传', code: 'promise-missing' })),
    });
  }
  const out = structuredClone(data);
  for (const p of promised) {
    const file = files.filter((f) => f.material === p.material).at(-1)!;
    const list = p.path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], out) as unknown[];
    list[p.index] = { name: file.name, fileId: file.fileId, size: file.size, material: p.material };
  }
  return out;
}
