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

/** A placeholder a document template may use (`{{name}}`); a list prints as numbered lines when it is a paragraph of its own. */
export interface DocumentTemplatePlaceholder { name: string; label: string; list?: boolean }

/** `GET /admin/document-templates`: one kind of document of the city, at its current version. */
export interface DocumentTemplateSummary {
  /** `receipt` · `rejection` · `completion` · `correction` · a city's own kind (`[a-z][a-z0-9-]{1,39}`). */
  kind: string;
  title: string;
  /** What the kind is called in the list (the built-in kinds' names, else the title). */
  name: string;
  builtIn: boolean;
  version: number;
  updatedAt: string;
  updatedBy: string;
}

/** `GET /admin/document-templates` answer. */
export interface DocumentTemplateList { templates: DocumentTemplateSummary[]; placeholders: DocumentTemplatePlaceholder[] }

/** `GET/PUT /admin/document-templates/:kind` answer: the current version, with the earlier ones listed (newest first). */
export interface DocumentTemplateInfo extends DocumentTemplateSummary {
  paragraphs: string[];
  versions: { version: number; title: string; createdAt: string; createdBy: string }[];
}

/** `PUT /admin/document-templates/:kind` body: the next version; `baseVersion` (the version edited) makes a concurrent save answer 409. */
export interface DocumentTemplateSave { title: string; paragraphs: string[]; baseVersion?: number }

/** `POST /admin/document-templates` body: a new kind of notice. */
export interface DocumentTemplateCreate { kind: string; title: string; paragraphs: string[] }

/** `POST /admin/document-templates/:kind/preview` body: answered with the PDF filled with an example case (nothing saved). */
export interface DocumentTemplatePreview { template: { title: string; paragraphs: string[] } }
