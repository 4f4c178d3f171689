/** Drafts: the applicant saves an application as typed and submits it later (submission.ts). */
import type { Connection } from 'mongoose';
import type { Models } from '../models';
import { checkStorableKeys } from './application-form';
import { deleteCaseAttachments } from './attachments';
import { audit, dataChanges } from './audit';
import type { SessionUser } from './auth';
import type { CaseWithId } from './case-store';
import { DomainError } from './errors';
import { submit } from './submission';
import { draftOwnerFilter } from './counter-intake';

/** `PUT /cases/:id`: the owner updates a draft; the audit record says which fields changed, from what to what. */
export async function updateDraft(models: Models, conn: Connection, user: SessionUser, id: string, data: Record<string, unknown>, ip?: string) {
  checkStorableKeys(data);
  // the update and its audit record commit together
  const saved = await conn.transaction(async (session) => {
    const before = await models.Case.findOneAndUpdate({ _id: id, tenant: user.tenant, ...draftOwnerFilter(user), status: 'draft' }, { $set: { data }, $inc: { rev: 1 } }, { returnDocument: 'before', projection: { data: 1 }, session }).lean();
    if (!before) return false;
    await audit(models, { tenant: user.tenant, name: user.username, ip }, 'case.update', `case:${id}`, { changes: dataChanges(before.data, data, 'data') }, session);
    return true;
  });
  if (!saved) {
    const exists = await models.Case.exists({ _id: id, tenant: user.tenant, ...draftOwnerFilter(user) });
    throw exists ? new DomainError('not-draft', '办件已提交，不能再修改草稿') : new DomainError('not-found', '办件不存在');
  }
  return { id, status: 'draft' };
}

/**
 * `POST /cases/:id/discard`: the owner deletes a draft (and the files uploaded to it), e.g. to
 * make room under the drafts quota. A submitted case is never deleted.
 */
export async function discardDraft(models: Models, conn: Connection, user: SessionUser, id: string, ip?: string) {
  const doc = await models.Case.findOne({ _id: id, tenant: user.tenant, ...draftOwnerFilter(user) }).select({ status: 1 }).lean();
  if (!doc) throw new DomainError('not-found', '办件不存在');
  if (doc.status !== 'draft') throw new DomainError('not-draft', '办件已提交，不能删除');
  const res = await models.Case.deleteOne({ _id: id, tenant: user.tenant, ...draftOwnerFilter(user), status: 'draft' });
  if (res.deletedCount === 0) throw new DomainError('not-draft', '办件已提交，不能删除');
  const removed = await deleteCaseAttachments(conn, id);
  await audit(models, { tenant: user.tenant, name: user.username, ip }, 'case.discard', `case:${id}`, { files: removed });
  return { ok: true as const };
}

/** `POST /cases/:id/submit`: the owner submits a draft. */
export async function submitDraft(models: Models, conn: Connection, user: SessionUser, id: string, ip?: string) {
  const doc = await models.Case.findOne({ _id: id, tenant: user.tenant, ...draftOwnerFilter(user) }).lean() as CaseWithId | null;
  if (!doc) throw new DomainError('not-found', '办件不存在');
  if (doc.status !== 'draft') throw new DomainError('not-draft', '办件已提交');
  return submit(models, conn, user, doc, doc.data, ip);
}
