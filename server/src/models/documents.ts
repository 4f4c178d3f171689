/**
 * Official documents (受理回执, 不予批准决定, 办结通知书, 补正告知书…) issued for a case: the PDF
 * as issued, never changed afterwards, with the hash of its content that its verification
 * token carries. One per case, kind and occasion (`key`), so issuing twice keeps the first.
 * Signing keys: one random HMAC key per city, created on first use, never sent out.
 */
import { Schema } from 'mongoose';

export interface OfficialDocumentDoc {
  tenant: string;
  caseId: string;
  caseNo: string;
  /** `receipt` | `rejection` | `completion` | `correction` | a city's own kind. */
  kind: string;
  /** Unique per case: the kind, or `<kind>:<occasion>` for a kind issued more than once (补正). */
  key: string;
  title: string;
  issuer: string;
  /** The date the document states (the step's time, also when it was generated later). */
  issuedAt: Date;
  /** SHA-256 (hex) of the document's canonical content (kind, title, issuer, case number, date, text). */
  contentHash: string;
  /** The version of the city's template it was issued from (models/document-templates.ts). */
  templateVersion?: number;
  /** SHA-256 (hex) of the PDF bytes. */
  pdfHash: string;
  pdf: Buffer;
  size: number;
  createdAt: Date;
}

export const officialDocumentSchema = new Schema<OfficialDocumentDoc>({
  tenant: { type: String, required: true },
  caseId: { type: String, required: true },
  caseNo: String,
  kind: { type: String, required: true },
  key: { type: String, required: true },
  title: String,
  issuer: String,
  issuedAt: Date,
  contentHash: String,
  pdfHash: String,
  templateVersion: Number,
  pdf: Buffer,
  size: Number,
  createdAt: Date,
}, { versionKey: false });
officialDocumentSchema.index({ caseId: 1, key: 1 }, { unique: true });
officialDocumentSchema.index({ tenant: 1, caseId: 1, issuedAt: 1 });

export interface SigningKeyDoc {
  /** The city (tenant) key. */
  _id: string;
  /** 32 random bytes, base64. */
  secret: string;
  createdAt: Date;
}

export const signingKeySchema = new Schema<SigningKeyDoc>({ _id: String, secret: String, createdAt: Date }, { versionKey: false });
