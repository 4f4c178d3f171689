/**
 * One indexed field path: which documents hold which value there (multikey: every array
 * element counts), plus the distinct numbers, strings and dates in sorted order for ranges.
 * It answers "which ids may match" — a superset; the caller always filters with mingo.
 */
import { compareScalars, keyOf, scalarClass, valuesAtPath, isPlainDoc } from './keys';

/** A read-only set of ids: a `Set`, or a lazy union whose `size` is an upper bound (for ordering intersections). */
export interface IdSet {
  readonly size: number;
  has(id: string): boolean;
  [Symbol.iterator](): Iterator<string>;
}

/** The union of `parts`, evaluated lazily: `has` asks each part, iteration skips repeats. */
export class UnionIds implements IdSet {
  readonly size: number;
  constructor(private readonly parts: IdSet[]) {
    this.size = parts.reduce((n, p) => n + p.size, 0);
  }
  has(id: string): boolean {
    return this.parts.some((p) => p.has(id));
  }
  *[Symbol.iterator](): Iterator<string> {
    const seen = new Set<string>();
    for (const p of this.parts) for (const id of p) if (!seen.has(id)) {
      seen.add(id);
      yield id;
    }
  }
}

function mapKeys(m: Map<string, unknown>): IdSet {
  return { get size() { return m.size; }, has: (id) => m.has(id), [Symbol.iterator]: () => m.keys() };
}

type RangeClass = 'number' | 'string' | 'date';
const rangeClasses: RangeClass[] = ['number', 'string', 'date'];

export class FieldIndex {
  readonly path: string;
  /** keyOf(value) → ids holding that value. */
  private readonly eq = new Map<string, Set<string>>();
  /**
   * Distinct values of the range classes: sorted, except for the last `unsorted[cls]` ones, which
   * were appended since (see `settle`). Inserting each new value at its place was a splice of
   * the whole array per distinct value — quadratic when loading many distinct dates or ids.
   */
  private readonly sorted: Record<RangeClass, unknown[]> = { number: [], string: [], date: [] };
  private readonly unsorted: Record<RangeClass, number> = { number: 0, string: 0, date: 0 };
  /** Ids holding values whose matching we leave to mingo alone (Decimal128, regexes, NaN …), with counts. */
  private readonly odd = new Map<string, number>();
  /**
   * Ids that may match `{path: null}`: the value is null or missing, or the path crosses an
   * array (an element without the field matches null). A superset, like everything here.
   */
  private readonly nullish = new Set<string>();

  /** The path's top-level field. */
  private readonly top: string;

  constructor(path: string) {
    this.path = path;
    this.top = path.split('.')[0]!;
  }

  add(id: string, doc: Record<string, unknown>): void {
    if (mayBeNull(doc, this.path)) this.nullish.add(id);
    for (const v of this.indexValues(doc)) {
      const cls = scalarClass(v);
      if (cls === null) {
        this.odd.set(id, (this.odd.get(id) ?? 0) + 1);
        continue;
      }
      const k = keyOf(v);
      let ids = this.eq.get(k);
      if (!ids) {
        ids = new Set();
        this.eq.set(k, ids);
        if (cls === 'number' || cls === 'string' || cls === 'date') this.append(cls, v);
      }
      ids.add(id);
    }
  }

  /**
   * `id`'s document changes from `before` to `after`: only the differences touch the index.
   * Nothing at all when the path's top-level field is the same value in both (copy-on-write
   * updates share unchanged fields), since everything indexed here comes from that field.
   */
  replace(id: string, before: Record<string, unknown>, after: Record<string, unknown>): void {
    if (before[this.top] === after[this.top] && this.top in before === this.top in after) return;
    const old = this.keyed(before);
    const next = this.keyed(after);
    if (!old || !next) {
      this.remove(id, before);
      this.add(id, after);
      return;
    }
    if (mayBeNull(after, this.path)) this.nullish.add(id);
    else this.nullish.delete(id);
    for (const [k, v] of old) {
      if (next.has(k)) continue;
      const ids = this.eq.get(k);
      if (!ids) continue;
      ids.delete(id);
      if (ids.size === 0) {
        this.eq.delete(k);
        const cls = scalarClass(v);
        if (cls === 'number' || cls === 'string' || cls === 'date') this.removeValue(cls, v);
      }
    }
    for (const [k, v] of next) {
      if (old.has(k)) continue;
      let ids = this.eq.get(k);
      if (!ids) {
        this.eq.set(k, (ids = new Set()));
        const cls = scalarClass(v);
        if (cls === 'number' || cls === 'string' || cls === 'date') this.append(cls, v);
      }
      ids.add(id);
    }
  }

  /** The indexed values of `doc` by key, or null when one of them is odd (then the plain remove + add is used). */
  private keyed(doc: Record<string, unknown>): Map<string, unknown> | null {
    const out = new Map<string, unknown>();
    for (const v of this.indexValues(doc)) {
      if (scalarClass(v) === null) return null;
      out.set(keyOf(v), v);
    }
    return out;
  }

  remove(id: string, doc: Record<string, unknown>): void {
    this.nullish.delete(id);
    for (const v of this.indexValues(doc)) {
      const cls = scalarClass(v);
      if (cls === null) {
        const n = (this.odd.get(id) ?? 1) - 1;
        if (n <= 0) this.odd.delete(id);
        else this.odd.set(id, n);
        continue;
      }
      const k = keyOf(v);
      const ids = this.eq.get(k);
      if (!ids) continue;
      ids.delete(id);
      if (ids.size === 0) {
        this.eq.delete(k);
        if (cls === 'number' || cls === 'string' || cls === 'date') this.removeValue(cls, v);
      }
    }
  }

  /**
   * Ids that may equal one of `values` (scalars or null). Read-only: may be the index's own set;
   * several values give a lazy union (nothing is copied: a `$in` over a large and a small value
   * intersected with a small set costs the small set, not the large one).
   */
  lookupEq(values: unknown[]): IdSet {
    const parts: IdSet[] = [];
    if (this.odd.size) parts.push(mapKeys(this.odd));
    for (const v of values) {
      const ids = v === null ? this.nullish : this.eq.get(keyOf(v));
      if (ids?.size) parts.push(ids);
    }
    return parts.length === 0 ? new Set() : parts.length === 1 ? parts[0]! : new UnionIds(parts);
  }

  /** Ids that may fall within the bounds (all bounds of one range class), or null if unusable. */
  lookupRange(lower: { v: unknown; inclusive: boolean } | null, upper: { v: unknown; inclusive: boolean } | null): Set<string> | null {
    const cls = scalarClass(lower?.v ?? upper?.v);
    if (!rangeClasses.includes(cls as RangeClass)) return null;
    if (lower && upper && scalarClass(upper.v) !== scalarClass(lower.v)) return null;
    const arr = this.settle(cls as RangeClass);
    let from = 0;
    let to = arr.length;
    if (lower) from = lowerBound(arr, lower.v, lower.inclusive);
    if (upper) to = lowerBound(arr, upper.v, !upper.inclusive);
    const out = new Set<string>(this.odd.keys());
    for (let i = from; i < to; i++) for (const id of this.eq.get(keyOf(arr[i]))!) out.add(id);
    return out;
  }

  /** A new distinct value: appended, sorted in when next needed. */
  private append(cls: RangeClass, v: unknown): void {
    this.sorted[cls].push(v);
    this.unsorted[cls]++;
  }

  private removeValue(cls: RangeClass, v: unknown): void {
    removeSorted(this.settle(cls), v);
  }

  /**
   * The sorted distinct values of `cls`: the values appended since the last call are sorted
   * (k log k) and merged in (one pass). Loading n values costs n log n instead of n².
   */
  private settle(cls: RangeClass): unknown[] {
    const arr = this.sorted[cls];
    const k = this.unsorted[cls];
    if (k === 0) return arr;
    this.unsorted[cls] = 0;
    const n = arr.length - k;
    const tail = arr.slice(n).sort(compareScalars);
    if (n === 0 || compareScalars(arr[n - 1], tail[0]) <= 0) {
      for (let j = 0; j < k; j++) arr[n + j] = tail[j];
      return arr;
    }
    // merge from the end: the largest of the sorted part or of the tail goes last
    let i = n - 1;
    let j = k - 1;
    for (let w = arr.length - 1; j >= 0; w--) {
      if (i >= 0 && compareScalars(arr[i], tail[j]) > 0) arr[w] = arr[i--];
      else arr[w] = tail[j--];
    }
    return arr;
  }

  /** Values indexed for `doc`: array elements rather than whole arrays; null/missing/embedded docs are never index-answered. */
  private indexValues(doc: Record<string, unknown>): Set<unknown> {
    const out = new Set<unknown>();
    for (const v of valuesAtPath(doc, this.path)) {
      if (v === null || v === undefined || Array.isArray(v) || isPlainDoc(v)) continue;
      out.add(v);
    }
    return out;
  }
}

/** Whether `{path: null}` may match `doc`: a null or missing value, or an array on the way. */
function mayBeNull(doc: unknown, path: string): boolean {
  let cur: unknown = doc;
  for (const part of path.split('.')) {
    if (cur === null || cur === undefined) return true;
    if (Array.isArray(cur)) return true;
    if (!isPlainDoc(cur)) return true;
    cur = cur[part];
  }
  return cur === null || cur === undefined || Array.isArray(cur);
}

/** First position whose value is ≥ v (inclusive) or > v (not inclusive). */
function lowerBound(arr: unknown[], v: unknown, inclusive: boolean): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const c = compareScalars(arr[mid], v);
    if (c < 0 || (!inclusive && c === 0)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function removeSorted(arr: unknown[], v: unknown): void {
  const i = lowerBound(arr, v, true);
  if (i < arr.length && compareScalars(arr[i], v) === 0) arr.splice(i, 1);
}
