/** 免提交 (docs/integrations.md, "电子证照"): the applicant's reusable materials and reusing one in a case. */
import type { Attachment, MaterialReuseBody, ReusableMaterials } from '@lianban/runtime/contract';
import { get, post } from './client';

export type { MaterialProvenance, ReusableMaterial, ReusableMaterials, MaterialReuseBody, AttachmentOrigin } from '@lianban/runtime/contract';

export const materials = {
  /** Verified files of one's earlier cases and one's 电子证照, for one material code (or a matter's). */
  reusable: (filter: { material?: string; matter?: string }) =>
    get<ReusableMaterials>(`/me/materials?${new URLSearchParams(Object.entries(filter).filter((e): e is [string, string] => !!e[1])).toString()}`),
  /** Attaches an offer of `reusable` to one's own case (201 like an upload, with its provenance). */
  reuse: (caseId: string, body: MaterialReuseBody) => post<Attachment>(`/cases/${caseId}/attachments/reuse`, body),
};
