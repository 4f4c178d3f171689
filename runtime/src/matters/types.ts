/**
 * What a matter (事项, "一件事") is, as plain JSON: the application forms it is applied with,
 * the flow that runs it, and its linked items (关联事项) — each handled by one department, with
 * its materials, switched on by an opt-in field unless mandatory. The server stores these
 * shapes (drafts and immutable versions), the designer edits them, the portal reads them.
 */

/** A material of a linked item: 必需提供 (`required`) or 依申请提供 (`on-request`). */
export interface MatterMaterial {
  name: string;
  kind: 'required' | 'on-request';
  /** 容缺: may be promised now and handed in later. */
  waivable?: boolean;
  /** When the material applies to an applicant (pre-check's 一次告知书); absent: always. */
  when?: MaterialWhen;
}

/** Retirement route of the pre-check: 正常, 特殊工种提前, 因病提前. */
export type PrecheckRoute = 'normal' | 'special-work' | 'illness';

/** Conditions of a material, all of which must hold (templates/README.md, "Manifest fields"). */
export interface MaterialWhen {
  route?: PrecheckRoute[];
  /** 单位代办 or 灵活就业人员. */
  applicant?: ('unit' | 'flexible')[];
  /** 有职工人事档案. */
  archive?: boolean;
  /** 持有独生子女父母光荣证. */
  onlyChildCertificate?: boolean;
}

/** Where to ask and go: the matter's 咨询电话 and office address. */
export interface MatterContact {
  phone?: string;
  address?: string;
  /** Office hours, free text. */
  hours?: string;
}

/** A linked item of a matter (关联事项): its department, materials and whether it is always done. */
export interface MatterLinkedItem {
  key: string;
  title: string;
  /** Department key of the city (the flow's candidate group). */
  department: string;
  /** Mandatory items are always requested and have no opt-in field. */
  mandatory?: boolean;
  materials?: MatterMaterial[];
  description?: string;
  /** What the applicant does, and where, when the department finds the item not eligible here (单独事项). */
  standalone?: string;
  /** The item's own 办理时限, in working days from 受理 (within the matter's). */
  timeLimit?: { workdays: number };
  /** The item's own 实施编码 in the national catalogue (matters/impl-code.ts), when it has one. */
  implCode?: string;
}

/** A form a matter is applied with (the title overrides the form's own). */
export interface MatterFormRef {
  key: string;
  title?: string;
}

/** A matter as administrators design it (the body of `PUT /admin/matters/:key` without the title). */
export interface MatterShape {
  forms: MatterFormRef[];
  /** Flow key. */
  flow: string;
  linkedItems: MatterLinkedItem[];
  contact?: MatterContact;
  /** 实名 level 1–3 an applicant's sign-in must have to file it (统一身份认证); unset = 1. */
  minAuthLevel?: number;
  /** 承诺时限: working days from 受理; the departments are warned `warnWorkdays` (default 2) before it ends. */
  timeLimit?: MatterTimeLimit;
  /** 实施编码 in the national catalogue (matters/impl-code.ts): sent with every 办件信息 to the province. */
  implCode?: string;
  /** Short code (1–8 digits or capitals) for the case number's `{matter}` token. */
  shortCode?: string;
}

/** A matter's 承诺时限 (matters/deadlines.ts). */
export interface MatterTimeLimit {
  workdays: number;
  warnWorkdays?: number;
}

/**
 * A reason a matter may not be published. `element` is a flow element id, `field` a form field
 * key or a matter path (`forms.<key>`, `linkedItems.<key>[.department]`), so the designer can
 * take the administrator to the culprit.
 */
export interface PublishProblem {
  element?: string;
  field?: string;
  message: string;
}
