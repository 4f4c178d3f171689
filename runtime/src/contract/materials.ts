/**
 * 免提交 (materials reuse, docs/integrations.md "电子证照"): an applicant's verified materials —
 * from an earlier case of theirs that ended 办结, or from the 电子证照 (electronic licence)
 * platform — offered instead of a new upload, and where each file of a case came from.
 */

/** Where a case's file came from when it was not uploaded for this case. */
export type MaterialProvenance =
  | { source: 'case'; caseId: string; caseNo: string; fileId: string; verifiedAt?: string }
  | { source: 'licence'; provider: string; licenceId: string; licenceNo: string; issuer: string; kind: string; validUntil?: string };

/** `GET /me/materials`: one material the applicant may reuse. */
export interface ReusableMaterial {
  /** What to send as `offer` to `POST /cases/:id/attachments/reuse`: `case:<fileId>` or `licence:<licenceId>`. */
  offer: string;
  source: 'case' | 'licence';
  /** The material's code (an upload field's `x-materials[].code`). */
  material: string;
  /** The licence kind or the material's name, when known. */
  kind?: string;
  /** File name. */
  name: string;
  size?: number;
  /** source `case`: the case it was accepted in. */
  caseId?: string;
  caseNo?: string;
  /** source `case`: when that case ended 办结 (the material counts as verified from then). */
  verifiedAt?: string;
  /** source `licence`. */
  provider?: string;
  licenceNo?: string;
  issuer?: string;
  /** `YYYY-MM-DD` when known. */
  validUntil?: string;
}

/** `GET /me/materials` answer. */
export interface ReusableMaterials {
  materials: ReusableMaterial[];
  /** Set when the 电子证照 platform could not be asked (Chinese; upload stays possible). */
  licenceProblem?: string;
}

/** `POST /cases/:id/attachments/reuse` body. */
export interface MaterialReuseBody {
  /** `offer` of a `ReusableMaterial`. */
  offer: string;
  /** The material code the file is attached as (default: the offer's). */
  material?: string;
}

/** How a file came into a case: 本人上传, 窗口代收, 工作人员扫描, 复用 (an earlier case), 电子证照. */
export type AttachmentOrigin = 'applicant' | 'window' | 'staff' | 'case' | 'licence';
