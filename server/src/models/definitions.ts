/**
 * What administrators design: forms, flows and matters, each a draft plus immutable published
 * versions. Publishing a matter snapshots its forms and flow into a `MatterVersion`; a case
 * records the matter version it started on and keeps it (BRIEF: "Cases already running keep
 * the version they started with").
 */
import { Schema } from 'mongoose';
import type { MaterialWhen, MatterContact, MatterTimeLimit } from '@lianban/runtime';

export interface PublishedRef { version: number; hash: string; publishedAt: Date; publishedBy: string }

export interface FormDefDoc {
  tenant: string;
  key: string;
  title: string;
  schema: Record<string, unknown>;
  updatedAt: Date;
  updatedBy: string;
  versions: (PublishedRef & { schema: Record<string, unknown>; title: string })[];
}

export interface FlowDefDoc {
  tenant: string;
  key: string;
  title: string;
  xml: string;
  updatedAt: Date;
  updatedBy: string;
  versions: (PublishedRef & { xml: string; title: string })[];
}

/** A linked item of a matter (关联事项): department, materials, opt-in field. */
export interface LinkedItem {
  key: string;
  title: string;
  department: string;
  /** Mandatory items have no opt-in field. */
  mandatory?: boolean;
  /** Materials: 必需 (required) or 依申请 (on-request); `waivable` ones may be promised (容缺). */
  materials?: { name: string; kind: 'required' | 'on-request'; waivable?: boolean; when?: MaterialWhen }[];
  description?: string;
  /** What to do and where when the item turns standalone (单独事项). */
  standalone?: string;
  /** The item's 办理时限 in working days (matters/deadlines.ts). */
  timeLimit?: { workdays: number };
  /** The item's own 实施编码 (matters/impl-code.ts). */
  implCode?: string;
}


export interface MatterDefDoc {
  tenant: string;
  key: string;
  title: string;
  forms: { key: string; title?: string }[];
  flow: string;
  linkedItems: LinkedItem[];
  contact?: MatterContact;
  timeLimit?: MatterTimeLimit;
  /** 实名 level 1–3 required to file (services/auth-level.ts); unset = 1. */
  minAuthLevel?: number;
  /** 实施编码 (national catalogue) and the short code of the case number's `{matter}`. */
  implCode?: string;
  shortCode?: string;
  updatedAt: Date;
  updatedBy: string;
  published: { version: number; publishedAt: Date }[];
  /** The provincial template this matter was derived from and the version it has merged up to (services/templates.ts). */
  template?: { key: string; version: number };
}

export interface MatterVersionDoc {
  tenant: string;
  key: string;
  version: number;
  title: string;
  forms: { key: string; title: string; version: number; hash: string; schema: Record<string, unknown> }[];
  flow: { key: string; version: number; hash: string; xml: string };
  linkedItems: LinkedItem[];
  contact?: MatterContact;
  timeLimit?: MatterTimeLimit;
  minAuthLevel?: number;
  implCode?: string;
  shortCode?: string;
  publishedAt: Date;
  publishedBy: string;
}

const published = { version: Number, hash: String, publishedAt: Date, publishedBy: String, title: String };

export const formDefSchema = new Schema<FormDefDoc>({
  tenant: { type: String, required: true },
  key: { type: String, required: true },
  title: { type: String, required: true },
  schema: { type: Schema.Types.Mixed, required: true },
  updatedAt: Date,
  updatedBy: String,
  versions: [{ ...published, schema: Schema.Types.Mixed, _id: false }],
}, { versionKey: false, minimize: false });
formDefSchema.index({ tenant: 1, key: 1 }, { unique: true });

export const flowDefSchema = new Schema<FlowDefDoc>({
  tenant: { type: String, required: true },
  key: { type: String, required: true },
  title: { type: String, required: true },
  xml: { type: String, required: true },
  updatedAt: Date,
  updatedBy: String,
  versions: [{ ...published, xml: String, _id: false }],
}, { versionKey: false });
flowDefSchema.index({ tenant: 1, key: 1 }, { unique: true });

const linkedItemSchema = new Schema<LinkedItem>({
  key: String, title: String, department: String, mandatory: Boolean, description: String, standalone: String, implCode: String,
  timeLimit: { type: { workdays: Number, _id: false }, default: undefined },
  materials: [{ name: String, kind: { type: String, enum: ['required', 'on-request'] }, waivable: Boolean, when: { type: Schema.Types.Mixed, default: undefined }, _id: false }],
}, { _id: false });

export const matterDefSchema = new Schema<MatterDefDoc>({
  tenant: { type: String, required: true },
  key: { type: String, required: true },
  title: { type: String, required: true },
  forms: [{ key: String, title: String, _id: false }],
  flow: { type: String, required: true },
  linkedItems: [linkedItemSchema],
  contact: { type: { phone: String, address: String, hours: String, _id: false }, default: undefined },
  timeLimit: { type: { workdays: Number, warnWorkdays: Number, _id: false }, default: undefined },
  minAuthLevel: { type: Number, min: 1, max: 3 },
  implCode: String,
  shortCode: String,
  updatedAt: Date,
  updatedBy: String,
  published: [{ version: Number, publishedAt: Date, _id: false }],
  template: { type: { key: String, version: Number, _id: false }, default: undefined },
}, { versionKey: false });
matterDefSchema.index({ tenant: 1, key: 1 }, { unique: true });

export const matterVersionSchema = new Schema<MatterVersionDoc>({
  tenant: { type: String, required: true },
  key: { type: String, required: true },
  version: { type: Number, required: true },
  title: String,
  forms: [{ key: String, title: String, version: Number, hash: String, schema: Schema.Types.Mixed, _id: false }],
  flow: { key: String, version: Number, hash: String, xml: String },
  linkedItems: [linkedItemSchema],
  contact: { type: { phone: String, address: String, hours: String, _id: false }, default: undefined },
  timeLimit: { type: { workdays: Number, warnWorkdays: Number, _id: false }, default: undefined },
  minAuthLevel: { type: Number, min: 1, max: 3 },
  implCode: String,
  shortCode: String,
  publishedAt: Date,
  publishedBy: String,
}, { versionKey: false, minimize: false });
matterVersionSchema.index({ tenant: 1, key: 1, version: -1 }, { unique: true });
