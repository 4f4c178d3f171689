/**
 * Document templates of a city, as data (services/document-templates.ts): one record per kind and
 * version, never changed once written — saving a template adds the next version, so a document
 * issued from version 3 names it (`templateVersion`) and can be read against it later. Version 1
 * of each kind the city ships is seeded from templates/<city>/documents/ (dated 1970: in force
 * before any edit).
 */
import { Schema } from 'mongoose';

export interface DocumentTemplateDoc {
  tenant: string;
  /** `receipt` | `rejection` | `completion` | `correction` | a city's own kind (`[a-z][a-z0-9-]`). */
  kind: string;
  version: number;
  title: string;
  paragraphs: string[];
  /** Who saved it (`templates/` for the shipped default). */
  createdBy: string;
  /** From when it is in force: a document uses the version in force at the date it states. */
  createdAt: Date;
}

export const documentTemplateSchema = new Schema<DocumentTemplateDoc>({
  tenant: { type: String, required: true },
  kind: { type: String, required: true },
  version: { type: Number, required: true },
  title: { type: String, required: true },
  paragraphs: [String],
  createdBy: String,
  createdAt: Date,
}, { versionKey: false });
documentTemplateSchema.index({ tenant: 1, kind: 1, version: 1 }, { unique: true });
