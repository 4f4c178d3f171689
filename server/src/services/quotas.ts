/**
 * Storage quotas (issue 17, finding 7): what one applicant may store, so that no one fills the
 * database of every city. Refusals are 429 `quota-exceeded` with a Chinese message saying what
 * to do. The limits are the defaults below, overridable per process (`config.ts`:
 * `LIANBAN_MAX_DRAFTS`, `LIANBAN_MAX_CASE_UPLOAD_MB`, `LIANBAN_MAX_DAILY_UPLOAD_MB`).
 *
 * The checks read what is stored and then write: two requests of one applicant at the very same
 * moment may each pass and together go one draft or one file over — a soft limit, bounded by
 * the size of one request.
 */
import type { Connection } from 'mongoose';
import type { Models } from '../models';
import { DomainError } from './errors';

export interface Quotas {
  /** Open drafts (cases with status `draft`) one applicant may keep. */
  draftsPerApplicant: number;
  /** Bytes of attachments one case may hold. */
  caseAttachmentBytes: number;
  /** Bytes one applicant may upload in any 24 hours. */
  applicantDailyBytes: number;
}

const MB = 1024 * 1024;
export const MAX_OPEN_DRAFTS = 20;
export const MAX_CASE_ATTACHMENT_BYTES = 100 * MB;
export const MAX_DAILY_UPLOAD_BYTES = 200 * MB;

export const DEFAULT_QUOTAS: Quotas = {
  draftsPerApplicant: MAX_OPEN_DRAFTS,
  caseAttachmentBytes: MAX_CASE_ATTACHMENT_BYTES,
  applicantDailyBytes: MAX_DAILY_UPLOAD_BYTES,
};

/** The defaults with the configured overrides. */
export function quotasWith(overrides: Partial<Quotas> = {}): Quotas {
  const out = { ...DEFAULT_QUOTAS };
  for (const k of Object.keys(out) as (keyof Quotas)[]) {
    const v = overrides[k];
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) out[k] = v;
  }
  return out;
}

const mb = (bytes: number) => `${Math.round((bytes / MB) * 10) / 10} MB`;

/** 429 when the applicant already keeps `draftsPerApplicant` open drafts. */
export async function checkDraftQuota(models: Models, quotas: Quotas, tenant: string, applicant: string): Promise<void> {
  const open = await models.Case.countDocuments({ tenant, applicant, status: 'draft' });
  if (open >= quotas.draftsPerApplicant) {
    throw new DomainError('quota-exceeded', `您的草稿已达 ${quotas.draftsPerApplicant} 份上限，请先提交或删除不需要的草稿`, { quota: 'drafts', limit: quotas.draftsPerApplicant });
  }
}

async function storedBytes(conn: Connection, match: Record<string, unknown>): Promise<number> {
  const [row] = await conn.db!.collection('attachments.files').aggregate<{ total: number }>([{ $match: match }, { $group: { _id: null, total: { $sum: '$length' } } }]).toArray();
  return row?.total ?? 0;
}

/**
 * 429 when `size` more bytes would take the case or the applicant's last 24 hours over their quota.
 * `daily: false` (staff scanning paper materials, window staff filing for citizens) checks the case only:
 * the daily quota is the applicant's.
 */
export async function checkUploadQuota(conn: Connection, quotas: Quotas, upload: { tenant: string; caseId: string; username: string; size: number; now?: Date; daily?: boolean }): Promise<void> {
  const caseBytes = await storedBytes(conn, { 'metadata.caseId': upload.caseId });
  if (caseBytes + upload.size > quotas.caseAttachmentBytes) {
    throw new DomainError('quota-exceeded', `本办件的材料已达 ${mb(quotas.caseAttachmentBytes)} 上限（已上传 ${mb(caseBytes)}），请压缩后再上传，或联系窗口工作人员`, { quota: 'case-attachments', limit: quotas.caseAttachmentBytes, used: caseBytes });
  }
  if (upload.daily === false) return;
  const since = new Date((upload.now ?? new Date()).getTime() - 24 * 3600 * 1000);
  const dayBytes = await storedBytes(conn, { 'metadata.tenant': upload.tenant, 'metadata.uploadedBy': upload.username, uploadDate: { $gte: since } });
  if (dayBytes + upload.size > quotas.applicantDailyBytes) {
    throw new DomainError('quota-exceeded', `您 24 小时内上传的材料已达 ${mb(quotas.applicantDailyBytes)} 上限，请明天再上传`, { quota: 'daily-uploads', limit: quotas.applicantDailyBytes, used: dayBytes });
  }
}
