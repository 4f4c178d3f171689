/**
 * Masking personal data for viewers other than the applicant: every field whose type is
 * `sensitive` (ID numbers today) shows its type's mask. The server decides who sees what
 * (case views); which fields and how is the field-type table's.
 *
 *   maskSensitiveData({ idNumber: '341502196501150039' }, schema)   // { idNumber: '341502********0039' }
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

/** A copy of the data with every sensitive field masked. */
export function maskSensitiveData(data: Record<string, unknown>, schema: FieldSchema): Record<string, unknown> {
  const copy = structuredClone(data);
  for (const f of sensitiveFields(schema)) maskAt(copy, f.path, f.config);
  return copy;
}
