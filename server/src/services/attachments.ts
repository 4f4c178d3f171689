/**
 * Case materials in GridFS (`attachments.files` / `attachments.chunks`): type and size limits
 * checked on the bytes (not the declared type), a virus-scan hook, and downloads authorized by
 * the case they belong to.
 */
import { Readable } from 'node:stream';
import mongoose, { type Connection } from 'mongoose';
import { sanitizeText } from '@lianban/runtime';
import type { MaterialProvenance } from '@lianban/runtime/contract';
import { DomainError } from './errors';
import type { Models } from '../models';
import { audit, type Actor } from './audit';
import type { SessionUser } from './auth';
import { visibleCase } from './case-access';
import { checkUploadQuota, DEFAULT_QUOTAS, type Quotas } from './quotas';
import { attachRight, recordStaffAttachment } from './attachment-rights';

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/** Accepted types, recognised by their first bytes. */
const SIGNATURES: { type: string; ext: string; magic: number[] }[] = [
  { type: 'application/pdf', ext: 'pdf', magic: [0x25, 0x50, 0x44, 0x46] },
  { type: 'image/png', ext: 'png', magic: [0x89, 0x50, 0x4e, 0x47] },
  { type: 'image/jpeg', ext: 'jpg', magic: [0xff, 0xd8, 0xff] },
];

/** A virus scanner: production plugs in ClamAV or the government platform's scanner here. */
export interface Scanner {
  scan(bytes: Buffer, name: string): Promise<{ clean: boolean; reason?: string }>;
}

/** The default scanner lets everything through and says so in the file's metadata. */
export const noScanner: Scanner = { scan: async () => ({ clean: true, reason: 'not-scanned' }) };

export function detectType(bytes: Buffer): (typeof SIGNATURES)[number] | undefined {
  return SIGNATURES.find((s) => s.magic.every((b, i) => bytes[i] === b));
}

function bucket(conn: Connection) {
  return new mongoose.mongo.GridFSBucket(conn.db!, { bucketName: 'attachments' });
}

export async function storeAttachment(models: Models, conn: Connection, scanner: Scanner, user: SessionUser, caseId: string, file: { originalname: string; buffer: Buffer; size: number } | undefined, material: string | undefined, actor: Actor, quotas: Quotas = DEFAULT_QUOTAS) {
  const doc = await visibleCase(models, user, caseId);
  const right = attachRight(user, doc);
  if (!right) throw new DomainError('forbidden', '只有申请人或办理该办件的工作人员可以上传材料');
  if (!file) throw new DomainError('invalid', '请选择要上传的文件', { errors: [{ path: 'file', message: '必填' }] });
  if (['completed', 'rejected', 'withdrawn'].includes(doc.status)) throw new DomainError('case-ended', '办件已办结，不能再上传材料');
  if (file.size > MAX_ATTACHMENT_BYTES) throw new DomainError('too-large', '文件不能超过 10 MB');
  const kind = detectType(file.buffer);
  if (!kind) throw new DomainError('unsupported-media-type', '只能上传 PDF、PNG 或 JPG 文件');
  await checkUploadQuota(conn, quotas, { tenant: doc.tenant, caseId, username: user.username, size: file.size, daily: right === 'owner' });
  const verdict = await scanner.scan(file.buffer, file.originalname);
  if (!verdict.clean) throw new DomainError('infected', `文件未通过安全检查：${verdict.reason ?? ''}`);
  const name = sanitizeText(file.originalname).replace(/[\\/\n\t]/g, '_').slice(0, 200); // no controls, bidi overrides; NFC
  const upload = bucket(conn).openUploadStream(name, {
    metadata: { tenant: doc.tenant, caseId, material: material ?? null, uploadedBy: user.username, contentType: kind.type, scan: verdict.reason ?? 'clean' },
  });
  await new Promise<void>((resolve, reject) => Readable.from(file.buffer).pipe(upload).on('finish', () => resolve()).on('error', reject));
  await audit(models, actor, 'attachment.upload', `case:${doc.no ?? caseId}`, { file: String(upload.id), material, size: file.size, ...(right !== 'owner' ? { by: right } : {}) });
  await recordStaffAttachment(models, user, doc, right, { name, material: material ?? null });
  return { fileId: String(upload.id), name, size: file.size, contentType: kind.type, material: material ?? null, uploadedBy: user.username };
}

/** Opens an attachment for download if the caller may see its case; the read is audited. */
export async function openAttachment(models: Models, conn: Connection, user: SessionUser, id: string, actor: Actor) {
  let _id;
  try {
    _id = new mongoose.Types.ObjectId(id);
  } catch {
    throw new DomainError('not-found', '文件不存在');
  }
  const [file] = await bucket(conn).find({ _id }).toArray();
  const meta = file?.metadata as { tenant?: string; caseId?: string; contentType?: string } | undefined;
  if (!file || meta?.tenant !== user.tenant || !meta.caseId) throw new DomainError('not-found', '文件不存在');
  await visibleCase(models, user, meta.caseId);
  await audit(models, actor, 'attachment.download', `file:${id}`, { caseId: meta.caseId });
  return { name: file.filename, size: file.length, contentType: meta.contentType ?? 'application/octet-stream', stream: bucket(conn).openDownloadStream(_id) };
}

/** The ids of `fileIds` that are not attachments of the case (a submission must not point at others' files). */
export async function foreignFiles(conn: Connection, caseId: string, fileIds: string[]): Promise<string[]> {
  if (fileIds.length === 0) return [];
  const valid = fileIds.filter((f) => mongoose.Types.ObjectId.isValid(f));
  const found = await bucket(conn).find({ _id: { $in: valid.map((f) => new mongoose.Types.ObjectId(f)) }, 'metadata.caseId': caseId }).toArray();
  const ok = new Set(found.map((f) => String(f._id)));
  return fileIds.filter((f) => !ok.has(f));
}

/** Deletes every file uploaded to a case (a discarded draft); returns how many there were. */
export async function deleteCaseAttachments(conn: Connection, caseId: string): Promise<number> {
  const files = await bucket(conn).find({ 'metadata.caseId': caseId }).toArray();
  for (const f of files) await bucket(conn).delete(f._id);
  return files.length;
}

/** The files uploaded to a case, oldest first. */
export async function caseAttachments(conn: Connection, caseId: string): Promise<{ fileId: string; name: string; size: number; material: string | null; uploadedBy: string | null; uploadedAt: Date; contentType?: string; provenance?: MaterialProvenance }[]> {
  const files = await bucket(conn).find({ 'metadata.caseId': caseId }).sort({ uploadDate: 1 }).toArray();
  return files.map((f) => {
    const meta = f.metadata as { material?: string | null; uploadedBy?: string; contentType?: string; provenance?: MaterialProvenance } | undefined;
    return { fileId: String(f._id), name: f.filename, size: f.length, material: meta?.material ?? null, uploadedBy: meta?.uploadedBy ?? null, uploadedAt: f.uploadDate, contentType: meta?.contentType, ...(meta?.provenance ? { provenance: meta.provenance } : {}) };
  });
}
