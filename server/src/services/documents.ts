/**
 * Official documents of a case (docs/documents.md): 受理回执 when the case is received, 不予批准决定
 * when it ends rejected (with the reason and the city's legal remedy wording), 办结通知书 when it
 * completes (each linked item's status and what result it carries), 补正告知书 on request.
 *
 *   await issueDocument(services, caseDoc, 'correction', { occasion: taskId, corrections: ['…'], deadline: '2026年12月20日' });
 *
 * When: the 受理回执 at its first reading; the decision or 办结通知书 when the case ends —
 * `advanceCase` calls `issueDueDocumentsLater` after its transaction committed, the step never
 * waits for a PDF — and every `GET /cases/:id/documents` issues what is due and missing first, so a document lost to a crash between the commit and its generation appears at the next
 * look (the date it states is the step's, not the generation's). One document per case and `key`
 * (a unique index): issuing twice, or from two processes at once, keeps the first.
 *
 * Verification: the QR code links to `/api/v1/verify/<token>`; the token is the document's id,
 * kind and content hash signed with HMAC-SHA256 under the city's own key (kept in the database,
 * created on first use, never sent out). Any changed character makes it invalid.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createHash } from 'node:crypto';
import { Types } from 'mongoose';
import { loadCityDocuments, type CityDocuments } from '@lianban/templates';
import type { CaseDoc, Models, OfficialDocumentDoc } from '../models';
import type { CaseCorrection } from '../models/cases';
import type { Services } from './assemble';
import { audit, type Actor } from './audit';
import type { CaseWithId } from './case-store';
import { visibleCase } from './case-access';
import type { Viewer } from './case-view';
import { DomainError } from './errors';
import { chineseDate, contentHash, documentLines, ITEM_STATUS_TEXT, type DocumentContent, type PlaceholderValues } from './document-text';
import { renderDocumentPdf } from './document-pdf';
import { cityKinds, templateFor } from './document-templates';
import { log } from '../log';

/** The kinds the platform issues by itself; a city may add its own templates for `issueDocument`. */
export type DocumentKind = 'receipt' | 'rejection' | 'completion' | 'correction';

export interface IssueExtra {
  /** Tells apart documents of one kind issued more than once for a case (补正: the task or round). */
  occasion?: string;
  /** 不予受理/不予批准: the reason (default: the comment of the task that rejected). */
  reason?: string;
  /** 补正: what to correct, one entry each. */
  corrections?: string[];
  /** 补正: by when (free text, e.g. `2026年12月20日`). */
  deadline?: string;
  /** The date the document states (default: the step's time from the case). */
  issuedAt?: Date;
}

let origin = 'http://localhost:3000';

/** Where the QR codes point: the public origin of the platform (LIANBAN_PUBLIC_ORIGIN, set by createApp). */
export function configureDocuments(opts: { origin: string }): void {
  origin = opts.origin.replace(/\/+$/, '');
}

const cityDocuments = new Map<string, CityDocuments | null>();
function documentsOf(tenant: string): CityDocuments | null {
  if (!cityDocuments.has(tenant)) cityDocuments.set(tenant, loadCityDocuments(tenant));
  return cityDocuments.get(tenant) ?? null;
}

// ---- signing --------------------------------------------------------------------------------

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');
const TOKEN = /^([A-Za-z0-9_-]{20,200})\.([A-Za-z0-9_-]{43})$/;
const HASH_CHARS = 32;

/** The city's HMAC key, created (32 random bytes) the first time a document is signed. */
export async function signingKey(models: Models, tenant: string, create: boolean): Promise<Buffer | null> {
  let doc = await models.SigningKey.findById(tenant).lean();
  if (!doc && create) {
    try {
      await models.SigningKey.create({ _id: tenant, secret: randomBytes(32).toString('base64'), createdAt: new Date() });
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err; // another process created it first
    }
    doc = await models.SigningKey.findById(tenant).lean();
  }
  return doc ? Buffer.from(doc.secret, 'base64') : null;
}

const sign = (key: Buffer, payload: string) => createHmac('sha256', key).update(payload).digest().subarray(0, 32);

function tokenFor(key: Buffer, id: string, kind: string, hash: string): string {
  const payload = b64url(`${id}.${kind}.${hash.slice(0, HASH_CHARS)}`);
  return `${payload}.${b64url(sign(key, payload))}`;
}

/** The verification token and address of a stored document (what its QR code carries), for the provincial exchange. */
export async function verificationOf(models: Models, doc: { _id: unknown; tenant: string; kind: string; contentHash: string }): Promise<{ token: string; url: string } | null> {
  const key = await signingKey(models, doc.tenant, false);
  if (!key) return null;
  const token = tokenFor(key, String(doc._id), doc.kind, doc.contentHash);
  return { token, url: `${origin}/api/v1/verify/${token}` };
}

/** `CZ202612050001` → `CZ2026****0001`: enough to match a paper, not to look the case up. */
export function maskCaseNo(no: string): string {
  if (no.length <= 10) return no.replace(/.(?=.{4})/g, '*');
  return `${no.slice(0, 6)}${'*'.repeat(no.length - 10)}${no.slice(-4)}`;
}

export type Verification =
  | { valid: false }
  | { valid: true; kind: string; title: string; caseNo: string; issuedAt: Date; issuer: string };

/** Checks a verification token: the document it names, signed with its city's key, for the content it carries. */
export async function verifyToken(models: Models, token: string): Promise<Verification> {
  const invalid = { valid: false } as const;
  const m = TOKEN.exec(token);
  if (!m) return invalid;
  const [, payload, signature] = m as unknown as [string, string, string];
  const parts = Buffer.from(payload, 'base64url').toString('utf8').split('.');
  if (parts.length !== 3 || !Types.ObjectId.isValid(parts[0]!) || !/^[0-9a-f]{24}$/.test(parts[0]!)) return invalid;
  const [id, kind, hash] = parts as [string, string, string];
  const doc = await models.OfficialDocument.findById(id).select('-pdf').lean();
  if (!doc) return invalid;
  const key = await signingKey(models, doc.tenant, false);
  if (!key) return invalid;
  const expected = sign(key, payload);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return invalid;
  if (kind !== doc.kind || hash !== doc.contentHash.slice(0, HASH_CHARS)) return invalid;
  return { valid: true, kind: doc.kind, title: doc.title, caseNo: maskCaseNo(doc.caseNo), issuedAt: doc.issuedAt, issuer: doc.issuer };
}

// ---- issuing --------------------------------------------------------------------------------

/** The reason of a rejection: the comment of the last task that answered `rejected`. */
function rejectionReason(caseDoc: CaseDoc): string {
  const rejecting = caseDoc.tasks.filter((t) => t.outcome === 'rejected' && t.state === 'done')
    .sort((a, b) => +new Date(b.completedAt ?? 0) - +new Date(a.completedAt ?? 0))[0];
  return rejecting?.comment?.trim() || '经审查，不符合办理条件';
}

/** What an item carries as its result (fields another part of the platform may set), as `名称：值` pairs. */
function resultText(item: Record<string, unknown>): string {
  const result = item.result;
  if (!result || typeof result !== 'object' || Array.isArray(result)) return '';
  const pairs = Object.entries(result as Record<string, unknown>).slice(0, 20)
    .filter(([, v]) => v !== null && v !== undefined && v !== '' && typeof v !== 'object')
    .map(([k, v]) => `${k}：${typeof v === 'boolean' ? (v ? '是' : '否') : String(v)}`);
  return pairs.length ? `（${pairs.join('，')}）` : '';
}

async function placeholderValues(models: Models, caseDoc: CaseDoc, kind: string, issuer: string, remedy: string, issuedAt: Date, extra: IssueExtra): Promise<PlaceholderValues> {
  const departments = new Map((await models.Department.find({ tenant: caseDoc.tenant }).lean()).map((d) => [d.key, d.name]));
  const items = caseDoc.items.slice(0, 100);
  return {
    caseNo: caseDoc.no ?? '',
    applicantName: caseDoc.applicantName || '申请人',
    matterTitle: caseDoc.matter.title,
    issuer,
    date: chineseDate(issuedAt),
    submittedDate: chineseDate(caseDoc.submittedAt ?? caseDoc.createdAt),
    endedDate: chineseDate(caseDoc.endedAt ?? issuedAt),
    remedy,
    reason: extra.reason ?? (kind === 'rejection' ? rejectionReason(caseDoc) : ''),
    deadline: extra.deadline || (kind === 'correction' ? '未设定，请尽快补正' : ''),
    corrections: (extra.corrections ?? []).slice(0, 100).map((c) => String(c)),
    items: kind === 'receipt'
      ? items.filter((i) => i.status !== 'not-applicable').map((i) => `${i.title}（${departments.get(i.department) ?? i.department}）`)
      : items.map((i) => `${i.title}：${ITEM_STATUS_TEXT[i.status] ?? i.status}${resultText(i as unknown as Record<string, unknown>)}`),
  };
}

/** The step's time a kind of document states by default. */
function stepTime(caseDoc: CaseDoc, kind: string): Date {
  if (kind === 'receipt') return caseDoc.submittedAt ?? caseDoc.createdAt ?? new Date();
  if (kind === 'rejection' || kind === 'completion') return caseDoc.endedAt ?? new Date();
  return new Date();
}

export interface IssuedDocument { id: string; kind: string; title: string; created: boolean }

/**
 * Issues a document of `kind` for the case from the city's template (data: the version in force at
 * the date it states, services/document-templates.ts; seeded from templates/<city>/documents),
 * stores it with the case and audits it; a document already issued for the same case and
 * kind/occasion is returned as it is (`created: false`). Throws `not-found` when the city has no
 * template of that kind, `invalid` for a case without a number (a draft).
 */
export async function issueDocument(services: Services, caseDoc: CaseWithId, kind: DocumentKind | string, extra: IssueExtra = {}): Promise<IssuedDocument> {
  const { models, conn } = services;
  const caseId = String(caseDoc._id);
  const key = extra.occasion ? `${kind}:${extra.occasion.slice(0, 100)}` : kind;
  const existing = await models.OfficialDocument.findOne({ caseId, key }).select('-pdf').lean();
  if (existing) return { id: String(existing._id), kind: existing.kind, title: existing.title, created: false };
  if (!caseDoc.no) throw new DomainError('invalid', '草稿没有文书');
  const city = documentsOf(caseDoc.tenant);
  const issuedAt = extra.issuedAt ?? stepTime(caseDoc, kind);
  // the city's template (data, services/document-templates.ts) in force at the date the document states
  const template = await templateFor(models, caseDoc.tenant, kind, issuedAt);
  if (!template) throw new DomainError('not-found', `本市未配置「${kind}」文书模板`);
  const tenant = await models.Tenant.findById(caseDoc.tenant).lean();
  const issuer = city?.settings.issuer || tenant?.name || caseDoc.tenant;
  const values = await placeholderValues(models, caseDoc, kind, issuer, city?.settings.remedy ?? '', issuedAt, extra);
  const content: DocumentContent = { kind, title: template.title, issuer, caseNo: caseDoc.no, issuedAt, lines: documentLines(template, values) };
  const hash = contentHash(content);
  const id = new Types.ObjectId();
  const signingSecret = (await signingKey(models, caseDoc.tenant, true))!;
  const verifyUrl = `${origin}/api/v1/verify/${tokenFor(signingSecret, String(id), kind, hash)}`;
  const pdf = await renderDocumentPdf(content, verifyUrl);
  const doc: OfficialDocumentDoc & { _id: Types.ObjectId } = {
    _id: id, tenant: caseDoc.tenant, caseId, caseNo: caseDoc.no, kind, key, title: template.title, issuer, issuedAt,
    contentHash: hash, pdfHash: createHash('sha256').update(pdf).digest('hex'), templateVersion: template.version, pdf, size: pdf.length, createdAt: new Date(),
  };
  try {
    await conn.transaction(async (session) => {
      await models.OfficialDocument.create([doc], { session });
      // 「出具《受理回执》」 in the case's history (a $push: it changes no state, so no revision check),
      // at the date the document states: a receipt issued at the first reading of the documents
      // belongs beside the submission, not above every later step
      await models.Case.updateOne({ _id: caseDoc._id }, {
        $push: { timeline: { at: issuedAt, actor: 'system', action: 'document.issued', detail: `出具《${template.title}》` } },
      }, { session });
      await audit(models, { tenant: caseDoc.tenant, name: 'system' }, 'document.issued', String(id), { caseId, caseNo: caseDoc.no, kind, title: template.title, contentHash: hash }, session);
    });
  } catch (err) {
    if ((err as { code?: number }).code !== 11000) throw err;
    const first = await models.OfficialDocument.findOne({ caseId, key }).select('-pdf').lean();
    if (!first) throw err;
    return { id: String(first._id), kind: first.kind, title: first.title, created: false };
  }
  return { id: String(id), kind, title: template.title, created: true };
}

/** The kinds due for the case as it stands: a receipt once received, the decision or notice once ended. */
export function dueKinds(caseDoc: Pick<CaseDoc, 'no' | 'status'>): DocumentKind[] {
  if (!caseDoc.no || caseDoc.status === 'draft') return [];
  const kinds: DocumentKind[] = ['receipt'];
  if (caseDoc.status === 'rejected') kinds.push('rejection');
  if (caseDoc.status === 'completed') kinds.push('completion');
  return kinds;
}

/** A 补正 round's document: its occasion (the returning task and the moment), what to correct, why and by when. */
export function correctionIssue(c: CaseCorrection): IssueExtra {
  const at = new Date(c.at);
  const entries = (Array.isArray(c.fields) ? c.fields : []).slice(0, 100).map((path) => {
    const title = c.titles?.[path] ?? path;
    const note = c.notes?.[path];
    return note ? `${title}：${note}` : title;
  });
  return {
    occasion: `${c.taskId}@${at.getTime()}`, corrections: entries, reason: c.reason,
    deadline: c.deadline ? chineseDate(new Date(`${c.deadline}T12:00:00+08:00`)) : undefined, issuedAt: at,
  };
}

/** Every 补正 round of the case: the history, and the current one for a case from before the history was kept. */
export function correctionRounds(caseDoc: Pick<CaseDoc, 'no' | 'corrections' | 'correction'>): CaseCorrection[] {
  if (!caseDoc.no) return [];
  const rounds = [...(caseDoc.corrections ?? [])].slice(-100);
  const current = caseDoc.correction;
  if (current && !rounds.some((r) => r.taskId === current.taskId && +new Date(r.at) === +new Date(current.at))) rounds.push(current);
  return rounds;
}

/** Issues every document due for the case and not issued yet (kinds the city has no template for are skipped). */
export async function issueDueDocuments(services: Services, caseDoc: CaseWithId): Promise<void> {
  const kinds = await cityKinds(services.models, caseDoc.tenant);
  const has = (kind: string) => kinds.has(kind);
  for (const kind of dueKinds(caseDoc)) {
    if (!has(kind)) continue;
    await issueDocument(services, caseDoc, kind);
  }
  // documents issued by a step (`lb:issueDocument`), one per completed task
  for (const t of caseDoc.tasks) {
    if (t.issueDocument && t.state === 'done' && has(t.issueDocument)) await issueDocument(services, caseDoc, t.issueDocument, { occasion: t.id, issuedAt: t.completedAt ? new Date(t.completedAt) : undefined });
  }
  if (!has('correction')) return;
  for (const round of correctionRounds(caseDoc)) await issueDocument(services, caseDoc, 'correction', correctionIssue(round));
}

/** Cases waiting for their documents in this process, issued one at a time (a PDF costs ~0.1–0.3 s of CPU). */
const queue: { services: Services; caseId: string }[] = [];
/** Beyond this many waiting, a case is left to the next `GET /cases/:id/documents` (which issues what is missing). */
const MAX_QUEUED = 1000;
let draining: Promise<void> | null = null;

async function drain(): Promise<void> {
  for (let job = queue.shift(); job; job = queue.shift()) {
    try {
      const doc = await job.services.models.Case.findById(job.caseId).lean() as CaseWithId | null;
      if (doc) await issueDueDocuments(job.services, doc);
    } catch (err) {
      log.warn({ component: 'documents', caseId: job.caseId, err: (err as Error).message }, 'document not issued; the next reading issues it');
    }
  }
}

function kick(): void {
  draining ??= drain().finally(() => {
    draining = null;
    if (queue.length) kick();
  });
}

/**
 * After a step committed: issues what became due in the background, one case at a time, so
 * the step's answer never waits for a PDF and a burst of steps takes at most one core. A failure
 * is logged; the next `GET /cases/:id/documents` issues it again.
 */
export function issueDueDocumentsLater(services: Services, caseId: string): void {
  if (queue.length >= MAX_QUEUED) return;
  queue.push({ services, caseId });
  kick();
}

/** Resolves when the documents being issued in the background are done (tests, shutdown). */
export async function documentsSettled(): Promise<void> {
  while (draining) await draining;
}

// ---- reading --------------------------------------------------------------------------------

/** The stored bytes: a lean read gives BSON Binary (`.buffer`), a hydrated one a Buffer. */
function bytesOf(stored: unknown): Buffer {
  if (Buffer.isBuffer(stored)) return stored;
  const inner = (stored as { buffer?: unknown } | null)?.buffer;
  if (inner instanceof Uint8Array) return Buffer.from(inner.buffer, inner.byteOffset, inner.byteLength);
  throw new Error('document bytes unreadable');
}

export interface DocumentSummary { id: string; kind: string; title: string; issuedAt: Date; createdAt: Date; size: number }

/** The documents of a case the viewer may see, issuing what is due and missing first. */
export async function listDocuments(services: Services, viewer: Viewer, caseId: string): Promise<DocumentSummary[]> {
  const caseDoc = await visibleCase(services.models, viewer, caseId);
  await issueDueDocuments(services, caseDoc);
  const docs = await services.models.OfficialDocument.find({ tenant: caseDoc.tenant, caseId: String(caseDoc._id) }).select('-pdf').sort({ issuedAt: 1, createdAt: 1 }).limit(200).lean();
  return docs.map((d) => ({ id: String(d._id), kind: d.kind, title: d.title, issuedAt: d.issuedAt, createdAt: d.createdAt, size: d.size }));
}

/** One document's PDF for a viewer who may see its case (else 404); the download is audited. */
export async function openDocument(models: Models, viewer: Viewer, id: string, actor: Actor): Promise<{ title: string; caseNo: string; pdf: Buffer }> {
  if (!Types.ObjectId.isValid(id) || !/^[0-9a-f]{24}$/.test(id)) throw new DomainError('not-found', '文书不存在');
  const doc = await models.OfficialDocument.findOne({ _id: id, tenant: viewer.tenant }).lean();
  if (!doc) throw new DomainError('not-found', '文书不存在');
  await visibleCase(models, viewer, doc.caseId).catch(() => { throw new DomainError('not-found', '文书不存在'); });
  await audit(models, actor, 'document.downloaded', id, { caseId: doc.caseId, caseNo: doc.caseNo, kind: doc.kind });
  return { title: doc.title, caseNo: doc.caseNo, pdf: bytesOf(doc.pdf) };
}
