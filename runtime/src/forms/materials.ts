/**
 * Materials and 容缺受理 (accepting a case with a non-key material promised, handed in later):
 * which materials may be promised, and which a submission promises. Shared by the portal (it
 * offers the promise) and the server (it enforces it and asks for the material afterwards).
 */
import { evaluateCondition } from './conditions';
import type { FieldSchema, MaterialSpec } from './types';
import { walkSchema } from './walk';
import { AUTHORIZATION_LETTER } from '../contract/cases';

/** A linked item's materials as a matter lists them (`waivable` ones may be promised). */
export interface MatterMaterials {
  materials?: { name: string; kind?: string; waivable?: boolean }[];
}

const norm = (s: string) => s.replace(/[\s《》（）()“”"]/g, '');

/**
 * The schema with `promiseAllowed` switched on for every upload material the matter marks
 * `waivable` (matched by name, ignoring spaces, brackets and quotes).
 */
export function withWaivable<T extends FieldSchema>(schema: T, items: MatterMaterials[]): T {
  const waivable = new Set(items.flatMap((i) => (i.materials ?? []).filter((m) => m.waivable).map((m) => norm(m.name))));
  if (!waivable.size) return schema;
  const copy = structuredClone(schema);
  for (const node of walkSchema(copy)) {
    for (const m of node.schema['x-materials'] ?? []) if (waivable.has(norm(m.name))) m.promiseAllowed = true;
  }
  return copy;
}

/** The materials' names by code, as the form's upload fields list them (`x-materials`); the window's 授权委托书 too. */
export function materialNames(schema: FieldSchema | undefined): Record<string, string> {
  const out: Record<string, string> = { [AUTHORIZATION_LETTER]: '授权委托书' };
  if (!schema) return out;
  for (const node of walkSchema(schema)) for (const m of node.schema['x-materials'] ?? []) if (m.code && !(m.code in out)) out[m.code] = m.name;
  return out;
}

export interface PromisedMaterial {
  /** Data path of the upload field, e.g. `normalMaterials`. */
  path: string;
  /** Index of the entry in the field's value. */
  index: number;
  name: string;
  material?: string;
  spec?: MaterialSpec;
}

/** Every upload entry the data marks `promised`, with the material it stands for. */
export function promisedMaterials(schema: FieldSchema, data: Record<string, unknown>): PromisedMaterial[] {
  const out: PromisedMaterial[] = [];
  for (const node of walkSchema(schema)) {
    if (node.schema['x-field-type'] !== 'upload' || node.rows) continue;
    const value = node.path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], data);
    if (!Array.isArray(value)) continue;
    value.forEach((entry: { promised?: boolean; name?: string; material?: string }, index) => {
      if (entry?.promised !== true) return;
      const spec = node.schema['x-materials']?.find((m) => m.code === entry.material);
      out.push({ path: node.path, index, name: spec?.name ?? entry.name ?? '', material: entry.material, spec });
    });
  }
  return out;
}

/** A linked item's material as the matter lists it, with whether this applicant must bring it. */
export interface ApplicableMaterial {
  name: string;
  kind?: string;
  waivable?: boolean;
}

/**
 * The materials of a linked item that apply to this form and these answers (the portal's
 * checklist): a material the form collects under another name (六安's 单位 vs 灵活就业 lists) is
 * left out, one whose `requiredWhen` does not hold is left out, one whose `requiredWhen` holds is
 * `required`. A manifest material matches a form material when its name (without spaces, brackets,
 * quotes) starts with the form's. A form that lists no materials at all leaves the list as it is.
 */
export function applicableMaterials<M extends ApplicableMaterial>(materials: M[], schema: FieldSchema, values: Record<string, unknown>): M[] {
  const specs: { name: string; spec: MaterialSpec }[] = [];
  for (const node of walkSchema(schema)) {
    if (node.schema['x-field-type'] !== 'upload' || node.rows) continue;
    for (const spec of node.schema['x-materials'] ?? []) if (spec?.name) specs.push({ name: norm(spec.name), spec });
  }
  if (!specs.length) return materials;
  const get = (p: string) => values[p];
  const out: M[] = [];
  for (const m of materials) {
    const n = norm(m.name);
    const match = specs.filter((s) => n.startsWith(s.name)).sort((a, b) => b.name.length - a.name.length)[0];
    if (!match) continue;
    const when = match.spec.requiredWhen;
    if (!when) out.push(m);
    else if (evaluateCondition(when, get)) out.push({ ...m, kind: 'required' });
  }
  return out;
}
