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
