import { createHash } from 'node:crypto';
import type { ClientSession } from 'mongoose';
import type { Models } from '../models';
import { currentRequestId } from '../http/request-context';

/** Who did something, from where: taken from the request by the controllers. */
export interface Actor {
  tenant: string;
  name: string;
  ip?: string;
}

/**
 * Appends one audit record. Callers await it: an action that cannot be audited does not happen.
 * Inside a request the record carries its `requestId` (the answer's `X-Request-Id`, the log lines').
 */
export async function audit(models: Models, actor: Actor, action: string, target?: string, details?: Record<string, unknown>, session?: ClientSession): Promise<void> {
  await models.Audit.create([{ tenant: actor.tenant, at: new Date(), actor: actor.name, action, target, ip: actor.ip, requestId: currentRequestId(), details }], { session });
}

/** One field of case data (or a flow variable) a change set: recorded in the audit as is. */
export interface DataChange { path: string; before: unknown; after: unknown }

/** A value larger than this (as JSON) is recorded by its size and hash instead of in full. */
export const MAX_AUDITED_VALUE_CHARS = 4096;

function audited(value: unknown): unknown {
  if (value === undefined) return null;
  const json = JSON.stringify(value);
  if (json === undefined || json.length <= MAX_AUDITED_VALUE_CHARS) return value;
  return { omitted: 'too-large', chars: json.length, sha256: createHash('sha256').update(json).digest('hex') };
}

/**
 * The top-level fields that differ between `before` and `after`, as `{path, before, after}` with
 * `path` = `<prefix>.<field>` (a field added has `before: null`, one removed `after: null`).
 * Values are kept unmasked — ID numbers included: the audit log is the protected record that
 * must say what the data was (no API route serves it; it is read in the database by auditors).
 * A value over `MAX_AUDITED_VALUE_CHARS` of JSON is recorded as its size and SHA-256.
 */
export function dataChanges(before: Record<string, unknown> | null | undefined, after: Record<string, unknown> | null | undefined, prefix: string): DataChange[] {
  const a = before ?? {};
  const b = after ?? {};
  const out: DataChange[] = [];
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (JSON.stringify(a[key] ?? null) === JSON.stringify(b[key] ?? null)) continue;
    out.push({ path: prefix ? `${prefix}.${key}` : key, before: audited(a[key]), after: audited(b[key]) });
  }
  return out;
}
