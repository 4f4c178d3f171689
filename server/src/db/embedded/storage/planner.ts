/**
 * Chooses candidate documents for a filter from the indexes: `_id` and indexed fields with
 * equality (`v`, `$eq`, `$in`), ranges (`$gt/$gte/$lt/$lte`), `$elemMatch` on an array of
 * embedded documents, `$and`, and `$or` when every branch is indexed. The answer is a superset
 * of the matches (or null: scan everything); callers always filter the candidates with mingo,
 * so results are exactly those of a full scan.
 */
import type { Document } from 'bson';
import type { Collection } from './collection';
import { isPlainDoc, keyOf, scalarClass } from './keys';

/** Id keys that may match `filter`, or null when no index narrows it. */
export function candidates(coll: Collection, filter: Document | undefined, idOnly = false): Set<string> | null {
  if (!filter || !isPlainDoc(filter)) return null;
  if (idOnly) return '_id' in filter ? fromField(coll, '_id', filter._id) : null;
  return fromAnd(coll, filter, '');
}

function fromAnd(coll: Collection, filter: Document, prefix: string): Set<string> | null {
  let best: Set<string> | null = null;
  const narrow = (s: Set<string> | null) => {
    if (s && (!best || s.size < best.size)) best = s;
  };
  for (const [field, cond] of Object.entries(filter)) {
    if (field === '$and' && Array.isArray(cond) && !prefix) for (const sub of cond) if (isPlainDoc(sub)) narrow(fromAnd(coll, sub, ''));
    if (field === '$or' && Array.isArray(cond) && !prefix) narrow(fromOr(coll, cond));
    if (field.startsWith('$')) continue;
    narrow(fromField(coll, prefix + field, cond));
  }
  return best;
}

function fromOr(coll: Collection, branches: unknown[]): Set<string> | null {
  const out = new Set<string>();
  for (const b of branches) {
    const s = isPlainDoc(b) ? fromAnd(coll, b, '') : null;
    if (!s) return null;
    for (const id of s) out.add(id);
  }
  return out;
}

function fromField(coll: Collection, path: string, cond: unknown): Set<string> | null {
  const ops = isPlainDoc(cond) && Object.keys(cond).some((k) => k.startsWith('$')) ? cond : null;
  if (!ops) return equality(coll, path, [cond]);
  let best: Set<string> | null = null;
  const narrow = (s: Set<string> | null) => {
    if (s && (!best || s.size < best.size)) best = s;
  };
  if ('$eq' in ops) narrow(equality(coll, path, [ops.$eq]));
  if ('$in' in ops && Array.isArray(ops.$in)) narrow(equality(coll, path, ops.$in));
  if ('$elemMatch' in ops && isPlainDoc(ops.$elemMatch) && !Object.keys(ops.$elemMatch).some((k) => k.startsWith('$'))) {
    narrow(fromAnd(coll, ops.$elemMatch, path + '.'));
  }
  const lower = '$gte' in ops ? { v: ops.$gte, inclusive: true } : '$gt' in ops ? { v: ops.$gt, inclusive: false } : null;
  const upper = '$lte' in ops ? { v: ops.$lte, inclusive: true } : '$lt' in ops ? { v: ops.$lt, inclusive: false } : null;
  if ((lower || upper) && path !== '_id') {
    const index = coll.indexes.field(path);
    if (index && [lower, upper].every((b) => !b || scalarClass(b.v) !== null)) narrow(index.lookupRange(lower, upper));
  }
  return best;
}

/** Ids that may equal one of `values`; null unless every value is a plain scalar (no null, regex, array, document). */
function equality(coll: Collection, path: string, values: unknown[]): Set<string> | null {
  if (!values.every((v) => scalarClass(v) !== null)) return null;
  if (path === '_id') {
    const out = new Set<string>();
    for (const v of values) {
      const id = keyOf(v);
      if (coll.records.has(id)) out.add(id);
    }
    return out;
  }
  return coll.indexes.field(path)?.lookupEq(values) ?? null;
}
