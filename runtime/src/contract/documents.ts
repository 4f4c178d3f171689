/** Official documents of a case (受理回执, 不予批准决定, 办结通知书, 补正告知书) and their verification. */

/** `GET /cases/:id/documents`: one issued document (its PDF: `GET /documents/:id`). */
export interface CaseDocument {
  id: string;
  /** `receipt` 受理回执 · `rejection` 不予批准决定 · `completion` 办结通知书 · `correction` 补正告知书 · a city's own kind. */
  kind: string;
  title: string;
  /** The date the document states (the step that issued it). */
  issuedAt: string;
  createdAt: string;
  /** Bytes of the PDF. */
  size: number;
}

/** `GET /verify/:token` (no sign-in): what a genuine document's QR code says; nothing personal. */
export type DocumentVerification =
  | { valid: false }
  | { valid: true; kind: string; title: string; /** masked, e.g. `CZ2026****0001` */ caseNo: string; issuedAt: string; issuer: string };
