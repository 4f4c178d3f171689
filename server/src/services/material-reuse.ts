/**
 * 免提交 (materials reuse, issue 23 part 4): an applicant's verified materials offered instead
 * of a new upload, and attaching one to a case with where it came from.
 *
 * A material is **verified** when it is a file of an upload field of an earlier case of the same
 * applicant that ended 办结 (`completed`): every step of that case, the material checks
 * included, accepted the application with that file in it. Rejected, withdrawn or cancelled
 * cases and files that were uploaded but not left in the application give nothing. "The same
 * applicant" is the account (same city; counter-filed cases belong to the citizen's account by ID
 * number), and when the account has an ID number and the case's form names one, they must be
 * equal: materials of someone a person applied for are not offered as their own.
 *
 * A licence of the 电子证照 platform (services/licences) is asked by the account's ID number
 * only, and its file is kept only when the licence's holder is that ID number.
 *
 * Reusing copies the bytes into a new file of the case (GridFS keeps a file's chunks under the
 * file's own id, so two files cannot share them): the case's files, quotas, downloads and the
 * deletion of a discarded draft stay exactly as for an upload. The copy carries its provenance
 * in its metadata; the reuse is audited and written to the case timeline.
 */
import { Readable } from 'node:stream';
import mongoose, { type Connection } from 'mongoose';
import { walkSchema, type FieldSchema } from '@lianban/runtime';
import type { Attachment, AttachmentOrigin, MaterialProvenance, MaterialReuseBody, ReusableMaterial, ReusableMaterials } from '@lianban/runtime/contract';
import type { CaseDoc, Models } from '../models';
import { audit, type Actor } from './audit';
import type { SessionUser } from './auth';
import { visibleCase } from './case-access';
import { publishedMatter } from './definitions';
import { DomainError } from './errors';
import { detectType, MAX_ATTACHMENT_BYTES, noScanner, type Scanner } from './attachments';
import { checkUploadQuota, DEFAULT_QUOTAS, type Quotas } from './quotas';
import { licenceProvider, LicenceError, type Licence } from './licences/provider';
import { LICENCE_KINDS, licenceKindsFor, materialOfKind } from './licences/kinds';

/** Earlier cases looked at, newest first. */
const MAX_CASES = 50;
/** Upload entries read from one case's data (and how deep). */
const MAX_ENTRIES = 200;
const MAX_DEPTH = 8;

const bucket = (conn: Connection) => new mongoose.mongo.GridFSBucket(conn.db!, { bucketName: 'attachments' });
const day = (d: Date | undefined) => (d ? new Date(d).toISOString() : undefined);

interface UploadRef { fileId: string; material?: string }

/** Every upload entry (`{name, fileId, material?}`) in a case's data, bounded. */
export function uploadRefs(data: unknown): UploadRef[] {
  const out: UploadRef[] = [];
  const visit = (v: unknown, depth: number) => {
    if (out.length >= MAX_ENTRIES || depth > MAX_DEPTH || !v || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      for (const x of v.slice(0, MAX_ENTRIES)) visit(x, depth + 1);
      return;
    }
    const o = v as Record<string, unknown>;
    if (typeof o.fileId === 'string' && o.promised !== true) {
      out.push({ fileId: o.fileId, ...(typeof o.material === 'string' ? { material: o.material } : {}) });
      return;
    }
    for (const x of Object.values(o).slice(0, MAX_ENTRIES)) visit(x, depth + 1);
  };
  visit(data, 0);
  return out;
}

/** The account's ID number (undefined when it has none). */
async function idNumberOf(models: Models, user: SessionUser): Promise<string | undefined> {
  const account = await models.User.findOne({ _id: user.id, tenant: user.tenant }, { idNumber: 1 }).lean() as { idNumber?: string } | null;
  return account?.idNumber || undefined;
}

/** Whether a case is the account holder's own (not someone they applied for). */
function ownPerson(doc: Pick<CaseDoc, 'data'>, idNumber: string | undefined): boolean {
  const named = (doc.data as { idNumber?: unknown } | undefined)?.idNumber;
  return !idNumber || typeof named !== 'string' || named.toUpperCase() === idNumber.toUpperCase();
}

/** The material codes the upload fields of a matter's (latest published) forms collect. */
async function matterMaterials(models: Models, tenant: string, matter: string): Promise<string[]> {
  const version = await publishedMatter(models, tenant, matter);
  const codes = new Set<string>();
  for (const form of version.forms) {
    for (const node of walkSchema(form.schema as unknown as FieldSchema)) {
      for (const m of node.schema['x-materials'] ?? []) if (m?.code) codes.add(m.code);
    }
  }
  return [...codes];
}

/** The applicant's verified files from earlier cases, newest first, each material file once. */
async function fromCases(models: Models, conn: Connection, user: SessionUser, idNumber: string | undefined, codes: string[] | undefined): Promise<ReusableMaterial[]> {
  const cases = await models.Case.find({ tenant: user.tenant, applicant: user.id, status: 'completed' }, { no: 1, data: 1, endedAt: 1 })
    .sort({ endedAt: -1 }).limit(MAX_CASES).lean() as (Pick<CaseDoc, 'no' | 'data' | 'endedAt'> & { _id: unknown })[];
  const out: ReusableMaterial[] = [];
  const seen = new Set<string>();
  for (const c of cases) {
    if (!ownPerson(c, idNumber)) continue;
    const refs = uploadRefs(c.data).filter((r) => mongoose.Types.ObjectId.isValid(r.fileId));
    if (!refs.length) continue;
    const files = await bucket(conn).find({ _id: { $in: refs.map((r) => new mongoose.Types.ObjectId(r.fileId)) }, 'metadata.caseId': String(c._id) }).toArray();
    for (const f of files) {
      const meta = (f.metadata ?? {}) as { material?: string | null };
      const material = refs.find((r) => r.fileId === String(f._id))?.material ?? meta.material ?? undefined;
      if (!material || (codes && !codes.includes(material))) continue;
      const key = `${material}/${f.filename}/${f.length}`;
      if (seen.has(key)) continue; // the same file reused case after case is offered once, from its latest case
      seen.add(key);
      out.push({
        offer: `case:${String(f._id)}`, source: 'case', material, ...(LICENCE_KINDS[material] ? { kind: LICENCE_KINDS[material] } : {}),
        name: f.filename, size: f.length, caseId: String(c._id), caseNo: c.no ?? '', verifiedAt: day(c.endedAt),
      });
    }
  }
  return out;
}

function licenceOffer(l: Licence, provider: string, material: string): ReusableMaterial {
  return {
    offer: `licence:${l.id}`, source: 'licence', material, kind: l.kind, name: `${l.kind}（电子证照）`,
    provider, licenceNo: l.licenceNo, issuer: l.issuer, ...(l.validUntil ? { validUntil: l.validUntil } : {}),
  };
}

/** `GET /me/materials`: what the applicant may reuse, for a matter's materials or one material. */
export async function reusableMaterials(models: Models, conn: Connection, user: SessionUser, filter: { matter?: string; material?: string }): Promise<ReusableMaterials> {
  const codes = filter.material ? [filter.material] : filter.matter ? await matterMaterials(models, user.tenant, filter.matter) : undefined;
  const idNumber = await idNumberOf(models, user);
  const materials = await fromCases(models, conn, user, idNumber, codes);
  const provider = licenceProvider();
  const kinds = licenceKindsFor(codes);
  if (!provider || !kinds.length) return { materials };
  if (!idNumber) return { materials, licenceProblem: '您的账号未登记身份证号，无法查询电子证照，请直接上传材料' };
  try {
    const today = new Date().toISOString().slice(0, 10);
    for (const l of await provider.find(idNumber, kinds)) {
      const material = filter.material && LICENCE_KINDS[filter.material] === l.kind ? filter.material : materialOfKind(l.kind);
      // a licence of someone else, of a kind not asked for, or expired is not offered
      if (l.holderIdNumber.toUpperCase() !== idNumber.toUpperCase() || !material || !kinds.includes(l.kind) || (l.validUntil && l.validUntil < today)) continue;
      materials.push(licenceOffer(l, provider.name, material));
    }
    return { materials };
  } catch (e) {
    if (e instanceof LicenceError) return { materials, licenceProblem: e.message };
    throw e;
  }
}

const NOT_FOUND = '可复用的材料不存在或不属于您';

async function readFile(conn: Connection, id: mongoose.Types.ObjectId): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of bucket(conn).openDownloadStream(id)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** The file and provenance an offer stands for, checked to be the caller's own. */
async function resolveOffer(models: Models, conn: Connection, user: SessionUser, offer: string): Promise<{ name: string; bytes: Buffer; material?: string; provenance: MaterialProvenance }> {
  const idNumber = await idNumberOf(models, user);
  const caseOffer = /^case:([0-9a-f]{24})$/.exec(offer);
  if (caseOffer) {
    const _id = new mongoose.Types.ObjectId(caseOffer[1]);
    const [file] = await bucket(conn).find({ _id, 'metadata.tenant': user.tenant }).toArray();
    const meta = (file?.metadata ?? {}) as { caseId?: string; material?: string | null };
    const from = file && meta.caseId && mongoose.Types.ObjectId.isValid(meta.caseId)
      ? await models.Case.findOne({ _id: meta.caseId, tenant: user.tenant, applicant: user.id, status: 'completed' }, { no: 1, data: 1, endedAt: 1 }).lean() as (Pick<CaseDoc, 'no' | 'data' | 'endedAt'> & { _id: unknown }) | null
      : null;
    const ref = from && ownPerson(from, idNumber) ? uploadRefs(from.data).find((r) => r.fileId === caseOffer[1]) : undefined;
    if (!file || !from || !ref) throw new DomainError('not-found', NOT_FOUND);
    return {
      name: file.filename, bytes: await readFile(conn, _id), material: ref.material ?? meta.material ?? undefined,
      provenance: { source: 'case', caseId: String(from._id), caseNo: from.no ?? '', fileId: caseOffer[1]!, ...(from.endedAt ? { verifiedAt: day(from.endedAt) } : {}) },
    };
  }
  const licenceOfferId = /^licence:([\w.:-]{1,128})$/.exec(offer);
  if (licenceOfferId) {
    const provider = licenceProvider();
    if (!provider) throw new DomainError('not-found', '本市未接入电子证照，请直接上传材料');
    if (!idNumber) throw new DomainError('forbidden', '您的账号未登记身份证号，无法使用电子证照，请直接上传材料');
    let got;
    try {
      got = await provider.fetch(licenceOfferId[1]!);
    } catch (e) {
      if (e instanceof LicenceError) throw new DomainError('licence-unavailable', e.message, { reason: e.reason });
      throw e;
    }
    const { licence, file } = got;
    if (licence.holderIdNumber.toUpperCase() !== idNumber.toUpperCase()) throw new DomainError('not-found', NOT_FOUND);
    return {
      name: file.name, bytes: file.bytes, material: materialOfKind(licence.kind),
      provenance: { source: 'licence', provider: provider.name, licenceId: licence.id, licenceNo: licence.licenceNo, issuer: licence.issuer, kind: licence.kind, ...(licence.validUntil ? { validUntil: licence.validUntil } : {}) },
    };
  }
  throw new DomainError('invalid', '请选择要复用的材料', { errors: [{ path: 'offer', message: '格式不正确' }] });
}

/** How the timeline names where a file came from. */
export function provenanceText(p: MaterialProvenance): string {
  return p.source === 'case' ? `复用：办件 ${p.caseNo}` : `电子证照：${p.kind} ${p.licenceNo}（${p.issuer}）`;
}

/**
 * `POST /cases/:id/attachments/reuse`: attaches a reusable material to the applicant's own case
 * (a draft, or a case waiting for 补正). The same offer twice gives the same file.
 */
/** `readBody` is called once the case is known to be the caller's: another city's or person's case answers 404/403 first. */
export async function reuseMaterial(models: Models, conn: Connection, user: SessionUser, caseId: string, readBody: () => MaterialReuseBody, actor: Actor, quotas: Quotas = DEFAULT_QUOTAS, scanner: Scanner = noScanner): Promise<Attachment> {
  const doc = await visibleCase(models, user, caseId);
  if (doc.applicant !== user.id) throw new DomainError('forbidden', '只有申请人本人可以复用自己的材料');
  if (['completed', 'rejected', 'withdrawn', 'cancelled'].includes(doc.status)) throw new DomainError('case-ended', '办件已办结，不能再添加材料');
  const body = readBody();
  const target = String(doc._id);
  const [again] = await bucket(conn).find({ 'metadata.caseId': target, 'metadata.offer': body.offer }).toArray();
  if (again) {
    const m = again.metadata as { material?: string | null; contentType: string; provenance: MaterialProvenance; uploadedBy: string };
    return { fileId: String(again._id), name: again.filename, size: again.length, contentType: m.contentType, material: m.material ?? null, uploadedBy: m.uploadedBy, provenance: m.provenance };
  }
  const src = await resolveOffer(models, conn, user, body.offer);
  const material = body.material ?? src.material ?? null;
  const kind = detectType(src.bytes);
  if (!kind) throw new DomainError('unsupported-media-type', '该材料不是 PDF、PNG 或 JPG 文件，请直接上传');
  if (src.bytes.length > MAX_ATTACHMENT_BYTES) throw new DomainError('too-large', '文件不能超过 10 MB');
  await checkUploadQuota(conn, quotas, { tenant: doc.tenant, caseId: target, username: user.username, size: src.bytes.length });
  const verdict = await scanner.scan(src.bytes, src.name);
  if (!verdict.clean) throw new DomainError('infected', `文件未通过安全检查：${verdict.reason ?? ''}`);
  const upload = bucket(conn).openUploadStream(src.name, {
    metadata: { tenant: doc.tenant, caseId: target, material, uploadedBy: user.username, contentType: kind.type, scan: verdict.reason ?? 'clean', offer: body.offer, provenance: src.provenance },
  });
  await new Promise<void>((resolve, reject) => Readable.from(src.bytes).pipe(upload).on('finish', () => resolve()).on('error', reject));
  const where = provenanceText(src.provenance);
  await audit(models, actor, 'attachment.reuse', `case:${doc.no ?? target}`, { file: String(upload.id), material, size: src.bytes.length, provenance: src.provenance });
  await models.Case.updateOne({ _id: doc._id }, {
    $push: { timeline: { at: new Date(), actor: user.username, action: 'attachment.reused', detail: `${user.displayName || user.username} 复用了材料「${src.name}」（${where}）` } },
    $inc: { rev: 1 },
  });
  return { fileId: String(upload.id), name: src.name, size: src.bytes.length, contentType: kind.type, material, uploadedBy: user.username, provenance: src.provenance };
}

/** Where a file of a case came from, for the staff's list (「本人上传」「窗口代收」「复用」「电子证照」). */
export function attachmentOrigin(doc: Pick<CaseDoc, 'filedBy'>, applicantUsername: string | undefined, file: { uploadedBy: string | null; provenance?: MaterialProvenance }): AttachmentOrigin {
  if (file.provenance) return file.provenance.source;
  if (file.uploadedBy && file.uploadedBy === applicantUsername) return 'applicant';
  if (file.uploadedBy && file.uploadedBy === doc.filedBy?.username) return 'window';
  return 'staff';
}
