/**
 * Provincial templates (省级模板): immutable versions of a matter of the platform, with its forms
 * and flow, that cities derive their matters from (services/templates.ts, docs/templates.md).
 */
import { Schema } from 'mongoose';
import type { MatterShape } from '@lianban/runtime';

export interface MatterTemplateDoc {
  key: string;
  version: number;
  title: string;
  matter: MatterShape;
  forms: { key: string; title: string; schema: Record<string, unknown> }[];
  flow: { key: string; title: string; xml: string };
  publishedAt: Date;
  publishedBy: string;
}

export const matterTemplateSchema = new Schema<MatterTemplateDoc>({
  key: { type: String, required: true },
  version: { type: Number, required: true },
  title: { type: String, required: true },
  matter: { type: Schema.Types.Mixed, required: true },
  forms: [{ key: String, title: String, schema: Schema.Types.Mixed, _id: false }],
  flow: { key: String, title: String, xml: String },
  publishedAt: Date,
  publishedBy: String,
}, { versionKey: false, minimize: false });
matterTemplateSchema.index({ key: 1, version: 1 }, { unique: true });
