/**
 * Canonical keys for BSON values: two values get the same key exactly when MongoDB treats
 * them as equal for `_id` identity and unique indexes (1, 1.0 and Long(1) are one key; field
 * order inside embedded documents matters). Keys are strings so they can live in a `Map`.
 */
import { Binary, Decimal128, Long, ObjectId, Timestamp } from 'bson';

/** Value classes an index can answer equality and range queries for on its own. */
export type ScalarClass = 'number' | 'string' | 'date' | 'objectId' | 'boolean';

/** The scalar class of `v`, or null for values queries on them must not be answered from an index alone. */
export function scalarClass(v: unknown): ScalarClass | null {
  if (typeof v === 'number') return Number.isNaN(v) ? null : 'number';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'boolean';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : 'date';
  if (v instanceof ObjectId) return 'objectId';
  return null;
}

/** Canonical key of any BSON value. */
export function keyOf(v: unknown): string {
  if (v === null || v === undefined) return 'z';
  switch (typeof v) {
    case 'number':
      return 'n' + (Object.is(v, -0) ? 0 : v);
    case 'bigint':
      return 'n' + v.toString();
    case 'string':
      return 's' + v;
    case 'boolean':
      return v ? 'b1' : 'b0';
  }
  if (v instanceof ObjectId) return 'o' + v.toHexString();
  if (v instanceof Date) return 'd' + v.getTime();
  if (Long.isLong(v)) return 'n' + v.toString();
  if (v instanceof Decimal128) return 'n' + v.toString();
  if (v instanceof Binary) return 'x' + v.sub_type + ':' + Buffer.from(v.buffer).toString('base64');
  if (v instanceof Timestamp) return 't' + v.toString();
  if (v instanceof RegExp) return 'r' + v.source + '/' + v.flags;
  if (Array.isArray(v)) return '[' + v.map(keyOf).join(',') + ']';
  if (typeof v === 'object') {
    const bsontype = (v as { _bsontype?: string })._bsontype;
    if (bsontype) return '?' + bsontype + ':' + JSON.stringify(v);
    let out = '{';
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) out += JSON.stringify(k) + ':' + keyOf(x) + ',';
    return out + '}';
  }
  return '?' + String(v);
}

/** Orders two scalars of the same class the way mingo compares them (JS order within a class). */
export function compareScalars(a: unknown, b: unknown): number {
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (a instanceof ObjectId && b instanceof ObjectId) return a.toHexString() < b.toHexString() ? -1 : a.toHexString() > b.toHexString() ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return (a as number | string) < (b as number | string) ? -1 : (a as number | string) > (b as number | string) ? 1 : 0;
}

/**
 * Every value found at a dotted `path`, descending into arrays at every level and adding the
 * elements of an array found at the end (MongoDB multikey semantics, deliberately generous:
 * an index built from these keys may return extra candidates, never miss one).
 * Returns `[undefined]` when the path is missing.
 */
export function valuesAtPath(doc: unknown, path: string, wholeArrays = true): unknown[] {
  const out: unknown[] = [];
  walk(doc, path.split('.'), 0, out, wholeArrays);
  return out.length ? out : [undefined];
}

function walk(cur: unknown, parts: string[], i: number, out: unknown[], wholeArrays: boolean): void {
  if (i === parts.length) {
    if (Array.isArray(cur)) {
      if (cur.length === 0) out.push(undefined);
      for (const el of cur) out.push(el);
      if (wholeArrays) out.push(cur);
    } else out.push(cur);
    return;
  }
  if (cur === null || typeof cur !== 'object') return;
  const part = parts[i]!;
  if (Array.isArray(cur)) {
    if (/^\d+$/.test(part) && Number(part) < cur.length) walk(cur[Number(part)], parts, i + 1, out, wholeArrays);
    for (const el of cur) if (el !== null && typeof el === 'object') walk(el, parts, i, out, wholeArrays);
    return;
  }
  if (isPlainDoc(cur) && part in cur) walk((cur as Record<string, unknown>)[part], parts, i + 1, out, wholeArrays);
}

/** A plain embedded document (not an array, Date or BSON value class). */
export function isPlainDoc(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Deep copy of a document: plain objects, arrays and Dates are copied, BSON value classes
 * (immutable) are shared. Stored documents are never mutated, updates work on a copy.
 */
export function cloneDoc<T>(v: T): T {
  if (Array.isArray(v)) return v.map(cloneDoc) as T;
  if (v instanceof Date) return new Date(v.getTime()) as T;
  if (isPlainDoc(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) out[k] = cloneDoc(v[k]);
    return out as T;
  }
  if (v instanceof Binary) return new Binary(Buffer.from(v.buffer), v.sub_type) as T;
  return v;
}
