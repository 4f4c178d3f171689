/**
 * Provincial templates (省级模板, docs/templates.md): the operator publishes a matter of the
 * platform as a versioned template (`/platform/templates`); a city's administrator derives the
 * city's matter from it and later takes or leaves each change of a newer version
 * (`/admin/templates`, `/admin/matters/:key/template-diff|template-merge`).
 */
import type { TemplateChange } from '../matters/index';
import type { MatterDraft } from './definitions';

/** `PUT /platform/templates/:key` body: the template's draft, its forms and flow included. */
export interface TemplateDraftBody {
  title: string;
  matter: MatterDraft;
  forms: { key: string; title: string; schema: Record<string, unknown> }[];
  flow: { key: string; title: string; xml: string };
}

/** A template in `GET /platform/templates` and `GET /admin/templates`; `version` is the latest published (null: none yet). */
export interface TemplateSummary {
  key: string;
  title: string;
  version: number | null;
  publishedAt: string | null;
  publishedBy?: string;
}

/** `POST /platform/templates` body: publish the platform's matter `key` as the template's next version. */
export interface TemplatePublishBody { key: string }
/** `POST /platform/templates` answer. */
export interface TemplatePublished { key: string; version: number }

/** `POST /admin/templates/:key/derive` body: the template version (latest when absent). */
export interface TemplateDeriveBody { version?: number }
/** `POST /admin/templates/:key/derive` answer: the city's new matter draft, derived from `template`. */
export interface TemplateDerived { matter: string; template: { key: string; version: number } }

/** One change of the template: `id` is its path; `conflict` when the city changed the same unit differently (the core's `TemplateChange`). */
export type TemplateChangeInfo = TemplateChange;

/** `GET /admin/matters/:key/template-diff`: template version `base` (derived from) → `latest`, against the city's draft. */
export interface TemplateDiff {
  matter: string;
  template: { key: string; title: string; base: number; latest: number };
  changes: TemplateChangeInfo[];
}

/** `POST /admin/matters/:key/template-merge` body; `version` is the `latest` the diff showed (409 when the template moved on). */
export interface TemplateMergeBody {
  accept: string[];
  version: number;
  /** `theirs`: accepted conflicts take the template's value (else a conflict among `accept` is refused). */
  resolve?: 'theirs';
}

/** `POST /admin/matters/:key/template-merge` answer. */
export interface TemplateMerged {
  matter: string;
  template: { key: string; version: number };
  applied: string[];
  skipped: { id: string; reason: string }[];
}

// ---------------------------------------------------------------- the operator's page (designer 「省级模板」)

/** `GET /platform/templates`: a template with its versions, the state of its draft and the cities' matters derived from it. */
export interface TemplateOverview extends TemplateSummary {
  /** Every published version, newest first. */
  versions: { version: number; publishedAt: string; publishedBy: string }[];
  /** The draft differs from the newest version (or none is published yet): 「发布新版本」 would publish it. */
  draftChanged: boolean;
  /** The city's matter the draft was last made from (`POST /platform/templates/:key/from-city`), if it was. */
  source?: { city: string; matter: string; version: number; at: string; by: string };
  /** The cities' matters derived from the template, with the version each has merged up to. */
  derived: { city: string; matter: string; version: number }[];
}

/** `GET /platform/cities/:key/matters`: a city's published matter (its newest version). */
export interface CityMatterSummary {
  key: string;
  title: string;
  version: number;
  publishedAt: string;
  publishedBy: string;
  /** The provincial template the matter was derived from, if it was. */
  template?: { key: string; version: number };
}

/** `POST /platform/templates/:key/from-city` body: the city and its published matter whose newest version becomes the template's draft. */
export interface TemplateFromCityBody { city: string; matter: string; /** The template's title (default: the matter's). */ title?: string }

/** `GET /platform/templates/:key/draft-changes`: what publishing the draft would change compared with the newest version (`version` null: none yet). */
export interface TemplateDraftChanges {
  key: string;
  version: number | null;
  changes: TemplateChangeInfo[];
}
