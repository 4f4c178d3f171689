/**
 * Matters, forms and flows: the administrators' drafts and publishing (`/admin/forms|flows|matters`)
 * and the published matters every signed-in user of the city reads (`/matters`).
 */
import type { FormSchema } from '../forms/index';

/** One material a linked item asks for. */
export interface MaterialOfItem {
  name: string;
  kind: 'required' | 'on-request';
  waivable?: boolean;
  /** When it applies (the pre-check's 一次告知书); absent: always. */
  when?: { route?: PrecheckRouteKey[]; applicant?: ('unit' | 'flexible')[]; archive?: boolean; onlyChildCertificate?: boolean };
}

export type PrecheckRouteKey = 'normal' | 'special-work' | 'illness';

/** A matter's 咨询电话 and office address (and hours), set in the manifest. */
export interface MatterContactInfo { phone?: string; address?: string; hours?: string }

/** A linked item (关联事项) of a matter: the department that handles it and what it needs. */
export interface LinkedItemDef {
  key: string;
  title: string;
  department: string;
  mandatory?: boolean;
  materials?: MaterialOfItem[];
  description?: string;
  /** What to do and where when the item turns standalone (单独事项). */
  standalone?: string;
  /** The item's 办理时限 in working days from 受理. */
  timeLimit?: { workdays: number };
  /** The item's own 实施编码, when it has one. */
  implCode?: string;
}

/** `GET /matters`: one published matter. */
export interface MatterSummary {
  key: string;
  title: string;
  version: number;
  forms: { key: string; title: string }[];
  linkedItems: LinkedItemDef[];
  contact?: MatterContactInfo;
  /** 实名 level (1–3) required to file it; unset = 1. */
  minAuthLevel?: number;
  /** 实施编码 in the national catalogue (shown on the 受理回执, sent to the province). */
  implCode?: string;
}

export interface MatterForm {
  key: string;
  title: string;
  version: number;
  hash: string;
  schema: FormSchema;
}

/** `GET /matters/:key[?version=N]`: a published matter with its forms and flow. */
export interface Matter {
  key: string;
  title: string;
  version: number;
  forms: MatterForm[];
  linkedItems: LinkedItemDef[];
  flow: { key: string; version: number; xml: string };
  contact?: MatterContactInfo;
  /** 实名 level (1–3) required to file it; unset = 1. */
  minAuthLevel?: number;
  /** 实施编码 in the national catalogue (shown on the 受理回执, sent to the province). */
  implCode?: string;
}

/** `GET /admin/forms|flows`: one definition with its draft and latest published version. */
export interface DefinitionSummary { key: string; title: string; updatedAt: string; updatedBy: string; version: number | null; publishedAt: string | null }

/** `GET /admin/matters`: one matter draft. */
export interface MatterDraftSummary extends DefinitionSummary { flow: string; forms: string[] }

export interface VersionInfo { version: number; publishedAt: string; hash?: string }

/** `PUT /admin/forms/:key` body. */
export interface FormDraftBody { title: string; schema: FormSchema }
/** `PUT /admin/flows/:key` body. */
export interface FlowDraftBody { title: string; xml: string }

/** `GET /admin/forms/:key`. */
export interface FormDoc { key: string; title: string; draft: { schema: FormSchema; updatedAt?: string }; versions: VersionInfo[] }
/** `GET /admin/flows/:key`. */
export interface FlowDoc { key: string; title: string; draft: { xml: string; updatedAt?: string }; versions: VersionInfo[] }

/** A matter's draft (what `PUT /admin/matters/:key` takes besides the title). */
/** A matter's 承诺时限: working days from 受理, and the warning to the departments before it ends (default 2). */
export interface MatterTimeLimitInfo { workdays: number; warnWorkdays?: number }
export interface MatterDraft { forms: Array<{ key: string; title?: string }>; flow: string; linkedItems: LinkedItemDef[]; contact?: MatterContactInfo; timeLimit?: MatterTimeLimitInfo; minAuthLevel?: number; implCode?: string; shortCode?: string }
/** `PUT /admin/matters/:key` body. */
export interface MatterDraftBody extends MatterDraft { title: string }
/** `GET /admin/matters/:key`. */
export interface MatterDoc {
  key: string; title: string; draft: MatterDraft; versions: VersionInfo[];
  /** Derived from a provincial template: its key and the version merged up to (docs/templates.md). */
  template?: { key: string; version: number };
}

/** `POST /admin/matters/:key/publish` answer (422 `publish-problems` lists `problems`). */
export interface Published { version: number }

/** `POST /matters/:key/precheck` body: a few answers, nothing stored (runtime `PrecheckAnswers`). */
export interface PrecheckRequest {
  idNumber?: string;
  birth?: string;
  sex?: 'male' | 'female';
  identity: 'cadre' | 'worker' | 'flexible';
  specialWorkType?: 'underground' | 'highAltitude' | 'highTemperature' | 'heavyLabour' | 'harmful';
  specialWorkYears?: number;
  disabilityAppraisal?: boolean;
  contributionMonths?: number;
  hasArchive?: boolean;
  onlyChildCertificate?: boolean;
}

/** `POST /matters/:key/precheck` answer. */
export interface PrecheckAnswer {
  matter: { key: string; title: string; contact?: MatterContactInfo };
  birth: string;
  sex: 'male' | 'female';
  category: 'male' | 'f55' | 'f50';
  statutory: { years: number; months: number; retireAt: string; age: string };
  routes: { route: PrecheckRouteKey; title: string; earliest?: string; possibleNow: boolean; reasons: string[] }[];
  possibleNow: boolean;
  route?: PrecheckRouteKey;
  earliest: string;
  minContributionMonths: number;
  contributionMet?: boolean;
  materials: { name: string; kind: 'required' | 'on-request'; waivable?: boolean; items: string[] }[];
  /** The month the answer was computed for ('YYYY-MM', China time). */
  today: string;
}
