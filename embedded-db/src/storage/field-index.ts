/**
 * One indexed field path: which documents hold which value there (multikey: every array
 * element counts), plus the distinct numbers, strings and dates in sorted order for ranges.
 * It answers "which ids may match" — a superset; the caller always filters with mingo.
 */
import { keyOf, scalarClass, valuesAtPath, isPlainDoc } from './keys';
import { SortedValues } from './sorted-values';

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
  /** Distinct values of the range classes, sorted. */
  private readonly sorted: Record<RangeClass, SortedValues> = { number: new SortedValues(), string: new SortedValues(), date: new SortedValues() };
  /** Ids holding values whose matching we leave to mingo alone (Decimal128, regexes, NaN …), with counts. */
  private readonly odd = new Map<string, number>();
  /**
   * Ids that may match `{path: null}`: the value is null or missing, or the path crosses an
   * array (an element without the field matches null). A superset, like everything here.
   */
  private readonly nullish = new Set<string>();

  /** The path's top-level field. */
  private readonly top: string;

  /**
   * `answersNull` false: the structure of a partial index's field — documents without a value
   * there are not recorded at all (no `nullish` set over a whole collection), and `{path: null}`
   * is never answered from it (`lookupEq` with null gives null: no narrowing).
   */
  constructor(path: string, readonly answersNull = true) {
    this.path = path;
    this.top = path.split('.')[0]!;
  }

  add(id: string, doc: Record<string, unknown>): void {
    if (this.answersNull && mayBeNull(doc, this.path)) this.nullish.add(id);
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
        if (cls === 'number' || cls === 'string' || cls === 'date') this.sorted[cls].insert(v);
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
    if (this.answersNull && mayBeNull(after, this.path)) this.nullish.add(id);
    else this.nullish.delete(id);
    for (const [k, v] of old) {
      if (next.has(k)) continue;
      const ids = this.eq.get(k);
      if (!ids) continue;
      ids.delete(id);
      if (ids.size === 0) {
        this.eq.delete(k);
        const cls = scalarClass(v);
        if (cls === 'number' || cls === 'string' || cls === 'date') this.sorted[cls].remove(v);
      }
    }
    for (const [k, v] of next) {
      if (old.has(k)) continue;
      let ids = this.eq.get(k);
      if (!ids) {
        this.eq.set(k, (ids = new Set()));
        const cls = scalarClass(v);
        if (cls === 'number' || cls === 'string' || cls === 'date') this.sorted[cls].insert(v);
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
        if (cls === 'number' || cls === 'string' || cls === 'date') this.sorted[cls].remove(v);
      }
    }
  }

  /**
   * Ids that may equal one of `values` (scalars or null). Read-only: may be the index's own set;
   * several values give a lazy union (nothing is copied: a `$in` over a large and a small value
   * intersected with a small set costs the small set, not the large one).
   */
  lookupEq(values: unknown[]): IdSet | null {
    if (!this.answersNull && values.includes(null)) return null;
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
    const out = new Set<string>(this.odd.keys());
    for (const v of this.sorted[cls as RangeClass].range(lower, upper)) for (const id of this.eq.get(keyOf(v)) ?? []) out.add(id);
    return out;
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
