/**
 * Shared helpers of the template suites: the shipped templates, the seed documents (verbatim
 * copies in ./seeds, see README there), a token stream of a form schema in display order, and
 * the way the server turns a submission into a case (validated data + requested items).
 */
import { readFileSync } from 'node:fs';
import {
  deploy, requestedItems, walkSchema, YES_NO, type Definition, type FieldSchema, type StepResult, type Wait,
} from '@lianban/runtime';
import { compileValidator } from '@lianban/runtime/validate';
import { loadTemplates, type CityKey, type CityTemplates, type FormTemplate } from '@lianban/templates';

export const NOW = '2026-06-15T09:00:00+08:00';

export const templates = loadTemplates();

export function city(key: CityKey): CityTemplates {
  return templates.cities.find((c) => c.key === key)!;
}

export function form(cityKey: CityKey, key: string): FormTemplate {
  const f = city(cityKey).forms.find((x) => x.key === key);
  if (!f) throw new Error(`no form ${key}`);
  return f;
}

export const asSchema = (f: FormTemplate) => f.schema as unknown as FieldSchema;

/** Departments of the demo cities (API.md "Demo mode"). */
export const DEPARTMENTS: Record<CityKey, string[]> = {
  luan: ['window', 'hrss', 'medical', 'housing-fund'],
  changzhou: ['hrss', 'medical', 'housing-fund', 'health'],
};

/** Linked-item keys of API.md. */
export const LINKED_ITEMS: Record<CityKey, string[]> = {
  luan: ['retirement-normal', 'retirement-early', 'medical-insurance-transfer', 'housing-fund-withdrawal'],
  changzhou: ['retirement-approval', 'pension-determination', 'retirement-certificate', 'socialized-management',
    'housing-fund-withdrawal', 'medical-insurance-transfer', 'only-child-certificate'],
};

// ---- seeds ---------------------------------------------------------------------------------

const seed = (name: string) => readFileSync(new URL(`./seeds/${name}`, import.meta.url), 'utf8');
export const LUAN_SEED = seed('luan.txt');
export const CHANGZHOU_SEED = seed('changzhou.txt');

/** Printed text without any whitespace (the extracted tables break labels over lines). */
export const squash = (s: string) => s.replace(/\s+/gu, '');

/** The part of a seed between two markers (end exclusive; to the end without one), squashed. */
export function between(text: string, from: string, to?: string, fromOccurrence = 1): string {
  let a = -1;
  for (let i = 0; i < fromOccurrence; i++) a = text.indexOf(from, a + 1);
  if (a < 0) throw new Error(`marker not found: ${from}`);
  const b = to === undefined ? text.length : text.indexOf(to, a + from.length);
  if (b < 0) throw new Error(`marker not found: ${to}`);
  return squash(text.slice(a, b));
}

// ---- schema tokens -------------------------------------------------------------------------

export interface Token {
  kind: 'title' | 'option' | 'text';
  text: string;
  /** Data key (or section key) of the node the token comes from. */
  key: string;
}

/**
 * What a person sees of a form, in display order: the form title, then per node its title,
 * its options (是/否 for yes/no fields), its description and material names; the print note last.
 */
export function tokens(schema: FieldSchema): Token[] {
  const out: Token[] = [];
  const push = (kind: Token['kind'], text: string | undefined, key: string) => {
    if (text) out.push({ kind, text: squash(text), key });
  };
  push('title', schema.title, '');
  push('text', schema.description, '');
  for (const n of walkSchema(schema)) {
    const s = n.schema;
    push('title', s.title, n.key);
    const options = s['x-field-type'] === 'yesNo' ? YES_NO : (s.enum ?? []);
    for (const o of options) push('option', o.label, n.key);
    push('text', s.description, n.key);
    for (const m of (s['x-materials'] ?? [])) push('text', m.name, n.key);
  }
  push('text', (schema['x-form'] as { printNote?: string } | undefined)?.printNote, '');
  return out;
}

/** An expected printed element: `T` a field/section title, `O` an option, `X` text anywhere (description, help, note). */
export type Expected = [kind: 'T' | 'O' | 'X', text: string];

/**
 * Finds the expected elements in order in the token stream. Returns the ones not found in
 * order (empty when the schema shows every printed element in the printed order).
 */
export function missingInOrder(stream: Token[], expected: Expected[]): string[] {
  const missing: string[] = [];
  let at = 0;
  for (const [kind, raw] of expected) {
    const text = squash(raw);
    let i = at;
    for (; i < stream.length; i++) {
      const t = stream[i]!;
      if (kind === 'T' && t.kind === 'title' && t.text === text) break;
      if (kind === 'O' && t.kind === 'option' && t.text === text) break;
      if (kind === 'X' && t.text.includes(text)) break;
    }
    if (i === stream.length) missing.push(`${kind}:${raw} (after token ${at}: ${stream[at - 1]?.text ?? '-'})`);
    else at = i;
  }
  return missing;
}

// ---- cases ---------------------------------------------------------------------------------

/**
 * What the server does on submission: validate (derived values recomputed, hidden values
 * dropped), then start the flow with the stored data as variables and the requested items =
 * the matter's mandatory items + every `x-linked-item` field answered 是 (true), as the server
 * decides them (`requestedItems` of runtime/src/matters).
 */
export function submission(cityKey: CityKey, formKey: string, data: Record<string, unknown>): { vars: Record<string, unknown>; items: string[] } {
  const f = form(cityKey, formKey);
  const result = compileValidator(asSchema(f)).validate(data);
  if (!result.valid) throw new Error(`${formKey}: ${JSON.stringify(result.errors)}`);
  const matter = city(cityKey).matters[0]!;
  return { vars: result.value, items: requestedItems(matter.linkedItems, asSchema(f), result.value) };
}

export async function flowDefinition(cityKey: CityKey): Promise<Definition> {
  const flow = city(cityKey).flows[0]!;
  const { definition, problems } = await deploy(flow.xml);
  if (!definition) throw new Error(JSON.stringify(problems));
  return definition;
}

/** The one open wait at `elementId`. */
export function waitAt(r: StepResult, elementId: string): Wait {
  const found = r.waits.filter((w) => w.elementId === elementId);
  if (found.length !== 1) throw new Error(`expected one wait at ${elementId}, got: ${r.waits.map((w) => w.elementId).join(',') || 'none'}`);
  return found[0]!;
}

export const waiting = (r: StepResult) => r.waits.map((w) => w.elementId).sort();

/** The state as the server stores and loads it. */
export const saved = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
