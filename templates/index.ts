/**
 * @lianban/templates — the shipped matters of each city, as data: forms (Formily JSON schema with
 * our `x-*` conventions) with a fictitious example submission each, flows (BPMN 2.0 with `lb:`
 * attributes and diagram layout) and matter manifests (the shape of `PUT /admin/matters/:key`).
 * This module only reads the files; there is no template logic in code.
 *
 *   const { cities } = loadTemplates();
 *   for (const city of cities) for (const form of city.forms) saveForm(city.key, form.key, form.title, form.schema);
 *
 * Layout: `<city>/forms/<form>.json` + `<form>.example.json`, `<city>/flows/<flow>.bpmn`,
 * `<city>/matters/<matter>.json`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export type CityKey = 'luan' | 'changzhou';

/** A material of a linked item: 必需提供 (`required`) or 依申请提供 (`on-request`). */
export interface MaterialManifest {
  name: string;
  kind: 'required' | 'on-request';
  /** 容缺: may be promised now and handed in later. */
  waivable?: boolean;
  /** When it applies to an applicant (the pre-check's 一次告知书; README "Manifest fields"). */
  when?: { route?: ('normal' | 'special-work' | 'illness')[]; applicant?: ('unit' | 'flexible')[]; archive?: boolean; onlyChildCertificate?: boolean };
}

export interface LinkedItemManifest {
  key: string;
  title: string;
  /** Department key of the city (candidate group). */
  department: string;
  /** Mandatory items have no opt-in field on the form. */
  mandatory?: boolean;
  materials?: MaterialManifest[];
  description?: string;
  /** What the applicant does, and where, when the item turns standalone (单独事项). */
  standalone?: string;
  /** The item's 办理时限 in working days from 受理. */
  timeLimit?: { workdays: number };
}

/** A matter manifest, the body of `PUT /admin/matters/:key` plus its key. */
export interface MatterManifest {
  key: string;
  title: string;
  forms: { key: string; title: string }[];
  /** Flow key. */
  flow: string;
  linkedItems: LinkedItemManifest[];
  /** 咨询电话, office address and hours, shown on the portal's matter and case pages. */
  contact?: { phone?: string; address?: string; hours?: string };
  /** 承诺时限 in working days from 受理 (docs/deadlines.md). */
  timeLimit?: { workdays: number; warnWorkdays?: number };
  /** 实名 level (1–3) an applicant's sign-in must have to file the matter (统一身份认证); unset = 1. */
  minAuthLevel?: number;
  /** 实施编码 in the national catalogue (docs/integrations.md 「省级数据交换」); unset: not sent to the province. */
  implCode?: string;
  /** Short code for the case number's `{matter}` token. */
  shortCode?: string;
}

export interface FormTemplate {
  key: string;
  title: string;
  /** The form schema (`FormSchema` of `@lianban/runtime`, with `x-linked-item` as a string key). */
  schema: Record<string, unknown>;
  /** A valid fictitious submission. */
  example: Record<string, unknown>;
}

export interface FlowTemplate {
  key: string;
  title: string;
  xml: string;
}

export interface CityTemplates {
  key: CityKey;
  forms: FormTemplate[];
  flows: FlowTemplate[];
  matters: MatterManifest[];
}

export const CITY_KEYS: readonly CityKey[] = ['luan', 'changzhou'];

/** The folder the templates live in (this package's root). */
export const TEMPLATES_DIR = fileURLToPath(new URL('.', import.meta.url));

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;
const list = (dir: string, suffix: string): string[] =>
  readdirSync(dir).filter((n) => n.endsWith(suffix)).sort();

function unescapeXml(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The title of a flow: its process name (`<bpmn:process name="…">`), else the key. */
function flowTitle(xml: string, key: string): string {
  const m = /<bpmn:process\b[^>]*\bname="([^"]*)"/.exec(xml);
  return m ? unescapeXml(m[1]!) : key;
}

/** Reads one city's templates. */
export function loadCity(city: CityKey, root: string = TEMPLATES_DIR): CityTemplates {
  const dir = join(root, city);
  const matters = list(join(dir, 'matters'), '.json').map((n) => readJson<MatterManifest>(join(dir, 'matters', n)));
  const formTitles = new Map(matters.flatMap((m) => m.forms.map((f) => [f.key, f.title] as const)));
  const forms = list(join(dir, 'forms'), '.json').filter((n) => !n.endsWith('.example.json')).map((n): FormTemplate => {
    const key = n.slice(0, -'.json'.length);
    const schema = readJson<Record<string, unknown>>(join(dir, 'forms', n));
    return {
      key,
      title: formTitles.get(key) ?? (typeof schema.title === 'string' ? schema.title : key),
      schema,
      example: readJson<Record<string, unknown>>(join(dir, 'forms', `${key}.example.json`)),
    };
  });
  const flows = list(join(dir, 'flows'), '.bpmn').map((n): FlowTemplate => {
    const key = n.slice(0, -'.bpmn'.length);
    const xml = readFileSync(join(dir, 'flows', n), 'utf8');
    return { key, title: flowTitle(xml, key), xml };
  });
  return { key: city, forms, flows, matters };
}

/** Every city's templates, read from disk (the server seeds them in demo mode). */
export function loadTemplates(root: string = TEMPLATES_DIR): { cities: CityTemplates[] } {
  return { cities: CITY_KEYS.map((c) => loadCity(c, root)) };
}

export { loadCityDocuments, type CityDocuments, type DocumentSettings, type DocumentTemplate } from './documents';
