/**
 * Materials and 容缺受理 (accepting a case with a non-key material promised, handed in later):
 * which materials may be promised, and which a submission promises. Shared by the portal (it
 * offers the promise) and the server (it enforces it and asks for the material afterwards).
 */
import type { FieldSchema, MaterialSpec } from './types';
import { walkSchema } from './walk';

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
