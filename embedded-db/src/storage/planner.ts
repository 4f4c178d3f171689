/**
 * Chooses candidate documents for a filter from the indexes: `_id` and indexed fields with
 * equality (`v`, `$eq`, `$in`, null included), ranges (`$gt/$gte/$lt/$lte`), `$elemMatch` on an array of
 * embedded documents, `$and`, and `$or` when every branch is indexed. The answer is a superset
 * of the matches (or null: scan everything); callers always filter the candidates with mingo,
 * so results are exactly those of a full scan.
 */
import type { Document } from 'bson';
import type { Collection } from './collection';
import type { IdSet } from './field-index';
import { isPlainDoc, keyOf, scalarClass } from './keys';

/** Id keys that may match `filter`, or null when no index narrows it. */
export function candidates(coll: Collection, filter: Document | undefined, idOnly = false): IdSet | null {
  if (!filter || !isPlainDoc(filter)) return null;
  if (idOnly) return '_id' in filter ? fromField(coll, '_id', filter._id) : null;
  return fromAnd(coll, filter, '');
}

type Ids = IdSet;

/**
 * Candidates this few are returned without narrowing them further: the caller's matcher checks
 * them anyway, and the other conditions' sets may cost far more to build than they save.
 */
const FEW = 64;

/** An equality (`v`, `$eq`, `$in`): its candidates come straight from an index's entries. */
const isEquality = (cond: unknown) => !isPlainDoc(cond) || Object.keys(cond).every((k) => k === '$eq' || k === '$in') || !Object.keys(cond).some((k) => k.startsWith('$'));

/**
 * Every condition must hold, so the candidates are the intersection of what each one allows. The
 * equalities first: when they already leave at most FEW candidates (a case by its number), the
 * ranges, `$elemMatch`es and `$or`s are not looked up — the staff queue's search by case number
 * intersected the department's and the state's sets of every open task (thousands) before the one
 * case the number names narrowed them (100–170 ms at 15k cases, #24).
 */
function fromAnd(coll: Collection, filter: Document, prefix: string): Ids | null {
  const sets: Ids[] = [];
  const add = (s: Ids | null) => s && sets.push(s);
  const entries = Object.entries(filter).filter(([field]) => !field.startsWith('$'));
  for (const [field, cond] of entries) if (isEquality(cond)) add(fromField(coll, prefix + field, cond));
  let few = intersect(sets);
  // the equalities' exact intersection when it is cheap to make (the lazy one's size is an upper bound)
  if (few instanceof IntersectIds && few.size <= 4096) few = new Set(few);
  if (few && few.size <= FEW) return few;
  for (const [field, cond] of Object.entries(filter)) {
    if (field === '$and' && Array.isArray(cond) && !prefix) for (const sub of cond) if (isPlainDoc(sub)) add(fromAnd(coll, sub, ''));
    if (field === '$or' && Array.isArray(cond) && !prefix) add(fromOr(coll, cond));
  }
  for (const [field, cond] of entries) if (!isEquality(cond)) add(fromField(coll, prefix + field, cond));
  return intersect(sets);
}

function intersect(sets: Ids[]): Ids | null {
  if (sets.length === 0) return null;
  if (sets.length === 1) return sets[0]!;
  return new IntersectIds(sets);
}

/**
 * The intersection of `parts`, evaluated lazily: iteration walks the smallest and asks the others,
 * `size` is the smallest's (an upper bound, for ordering further intersections). A department's
 * and a state's sets of 100k cases each used to be intersected into a new set of 100k before a
 * range of 12k narrowed them (the staff queue's history, #24); now only the 12k are walked.
 */
class IntersectIds implements Ids {
  readonly size: number;
  private readonly smallest: Ids;
  private readonly others: Ids[];
  constructor(parts: Ids[]) {
    const [smallest, ...others] = [...parts].sort((a, b) => a.size - b.size);
    this.smallest = smallest!;
    this.others = others;
    this.size = smallest!.size;
  }
  has(id: string): boolean {
    return this.smallest.has(id) && this.others.every((s) => s.has(id));
  }
  *[Symbol.iterator](): Iterator<string> {
    for (const id of this.smallest) if (this.others.every((s) => s.has(id))) yield id;
  }
}

function fromOr(coll: Collection, branches: unknown[]): Ids | null {
  const out = new Set<string>();
  for (const b of branches) {
    const s = isPlainDoc(b) ? fromAnd(coll, b, '') : null;
    if (!s) return null;
    for (const id of s) out.add(id);
  }
  return out;
}

function fromField(coll: Collection, path: string, cond: unknown): Ids | null {
  const ops = isPlainDoc(cond) && Object.keys(cond).some((k) => k.startsWith('$')) ? cond : null;
  if (!ops) return equality(coll, path, [cond]);
  const sets: Ids[] = [];
  const narrow = (s: Ids | null) => s && sets.push(s);
  if ('$eq' in ops) narrow(equality(coll, path, [ops.$eq]));
  if ('$in' in ops && Array.isArray(ops.$in)) narrow(equality(coll, path, ops.$in));
  if ('$elemMatch' in ops && isPlainDoc(ops.$elemMatch) && !Object.keys(ops.$elemMatch).some((k) => k.startsWith('$'))) {
    narrow(fromAnd(coll, ops.$elemMatch, path + '.'));
  }
  const lower = '$gte' in ops ? { v: ops.$gte, inclusive: true } : '$gt' in ops ? { v: ops.$gt, inclusive: false } : null;
  const upper = '$lte' in ops ? { v: ops.$lte, inclusive: true } : '$lt' in ops ? { v: ops.$lt, inclusive: false } : null;
  if ((lower || upper) && path !== '_id') {
    const index = coll.indexes.field(path);
    // Each bound on its own: in an array, one element may meet the lower bound and another the
    // upper ({b: [-0, 0.5]} matches {$gte: 0.5, $lt: 0.5}), so the range is not one interval.
    if (index && [lower, upper].every((b) => !b || scalarClass(b.v) !== null)) {
      if (lower) narrow(index.lookupRange(lower, null));
      if (upper) narrow(index.lookupRange(null, upper));
    }
  }
  return intersect(sets);
}

/** Ids that may equal one of `values`; null unless every value is a plain scalar or null (no regex, array, document). */
function equality(coll: Collection, path: string, values: unknown[]): Ids | null {
  if (!values.every((v) => v === null || scalarClass(v) !== null)) return null;
  if (path === '_id') {
    if (values.includes(null)) return null;
    const out = new Set<string>();
    for (const v of values) {
      const id = keyOf(v);
      if (coll.records.has(id)) out.add(id);
    }
    return out;
  }
  return coll.indexes.field(path)?.lookupEq(values) ?? null;
}
