/**
 * Masking personal data for viewers other than the applicant: every field whose type is
 * `sensitive` (ID numbers today) shows its type's mask. The server decides who sees what
 * (case views); which fields and how is the field-type table's.
 *
 * Fields computed from an ID number reveal part of it: a full birth date (`birthDateFromId`) is
 * shown to the month only (`1965-01-**`), as `birthMonthFromId` shows it anyway; gender and ages
 * stay (with the masked ID they leave thousands of candidates — test/server/masking.test.ts).
 *
 *   maskSensitiveData({ idNumber: '341502196501150039' }, schema)   // { idNumber: '341502************' }
 */
import { maskValue, type FieldTypeConfig } from './field-types/index';
import type { FieldSchema } from './types';
import { walkSchema } from './walk';

/** A sensitive field: its data path in segments (`*` stands for every row of a rows field) and its type. */
export interface SensitiveField {
  path: string[];
  config: FieldTypeConfig;
}

/** The sensitive fields of a form schema. */
export function sensitiveFields(schema: FieldSchema): SensitiveField[] {
  return walkSchema(schema).filter((n) => n.keyed && n.config?.sensitive).map((n) => ({ path: n.path.split('.'), config: n.config! }));
}

function maskAt(data: unknown, path: string[], config: FieldTypeConfig): void {
  if (data === null || typeof data !== 'object' || path.length === 0) return;
  const [head, ...rest] = path;
  if (head === '*') {
    if (Array.isArray(data)) data.forEach((row) => maskAt(row, rest, config));
    return;
  }
  const obj = data as Record<string, unknown>;
  if (rest.length === 0) obj[head!] = maskValue(config, obj[head!]);
  else maskAt(obj[head!], rest, config);
}

/** Masks of values computed from a sensitive field (`x-compute.compute` → mask) that would reveal more of it. */
const DERIVED_MASKS: Record<string, (value: unknown) => unknown> = {
  birthDateFromId: (v) => (typeof v === 'string' && /^\d{4}-\d{2}/.test(v) ? `${v.slice(0, 7)}-**` : null),
};

/** Computed fields whose value reveals more of a sensitive field than its mask: their paths and masks. */
function derivedFields(schema: FieldSchema): SensitiveField[] {
  return walkSchema(schema).flatMap((n) => {
    const compute = (n.schema['x-compute'] as { compute?: unknown } | undefined)?.compute;
    const mask = typeof compute === 'string' ? DERIVED_MASKS[compute] : undefined;
    return n.keyed && mask ? [{ path: n.path.split('.'), config: { ...(n.config ?? {}), mask } as FieldTypeConfig }] : [];
  });
}

/** A copy of the data with every sensitive field (and what is computed from one) masked. */
export function maskSensitiveData(data: Record<string, unknown>, schema: FieldSchema): Record<string, unknown> {
  const copy = structuredClone(data);
  for (const f of [...sensitiveFields(schema), ...derivedFields(schema)]) maskAt(copy, f.path, f.config);
  return copy;
}
