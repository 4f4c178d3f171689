/**
 * Compiled filters, cached. `compileFilter(filter).test(doc)` answers exactly what
 * `new Query(filter, mingoOptions).test(doc)` answers, cheaper:
 *
 * - **By shape, values bound at run time.** A filter that is a conjunction of plain conditions —
 *   `field: scalar`, `$eq $ne $in $nin` of scalars, `$gt $gte $lt $lte` of a number, string or
 *   date, `$exists: true|false` — is reduced to its shape (field paths, operators, value
 *   classes; e.g. `{_id: <ObjectId>, rev: <number>}`) and its values. The shape's plan (paths split,
 *   operators chosen) is cached (bounded LRU); each call only collects the values. A document is
 *   answered by the plan when every path runs through plain embedded documents to a scalar
 *   (string, number, boolean, Date, ObjectId, null or missing) whose comparison is unambiguous,
 *   or — for `$eq`/`$in` of non-null scalars only — through arrays of plain documents
 *   (`{'tasks.id': x}`: some element's value equals; a completion's look-up of its case, which
 *   mingo compiled anew for every task id, #24); anything else — another operator over an array,
 *   an array or an embedded document or a Long at the end, a range over another type — is handed
 *   to mingo with the same filter, so the plan never has to reproduce mingo's corners (array
 *   traversal beyond that, type bracketing), only the plain cases.
 * - **Everything else by value.** Other filters (`$or`, `$elemMatch`, `$regex`, embedded-document
 *   equality, …) are compiled by mingo once per distinct filter (its BSON bytes, which tell
 *   types apart: 1, 1.5, Long(1) and "1" are different keys) and kept in a bounded LRU. Filters
 *   whose meaning depends on when they run (`$expr` may read `$$NOW`) or that carry scripts
 *   (`$where`, `$function`, refused by `mingoOptions` anyway) are compiled fresh every time,
 *   as are very large ones.
 *
 * A compiled filter depends on nothing but the filter: no data, so no invalidation on writes.
 */
import { BSON, ObjectId, type Document } from 'bson';
import { Query } from 'mingo';
import { isPlainDoc } from './keys';
import { mingoOptions } from './mingo-options';

export interface Matcher {
  test(doc: Document): boolean;
}

type Op = 'eq' | 'ne' | 'in' | 'nin' | 'gt' | 'gte' | 'lt' | 'lte' | 'exists';
type Cls = 'string' | 'number' | 'boolean' | 'date' | 'objectId' | 'null';
interface Step { path: string[]; op: Op }

/** Entries per cache; both are small (a plan is a few arrays, a mingo Query a few closures). */
const MAX_ENTRIES = 500;
/** Filters larger than this (BSON bytes) are not kept. */
const MAX_KEY_BYTES = 4096;
const UNSURE = 2;

class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: string, v: V): void {
    this.map.set(key, v);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
  }
  get size(): number {
    return this.map.size;
  }
  clear(): void {
    this.map.clear();
  }
}

const plans = new Lru<Step[]>(MAX_ENTRIES);
const queries = new Lru<Query>(MAX_ENTRIES);

/** Cache sizes (tests and serverStatus-style introspection). */
export function matcherCacheSizes(): { shapes: number; filters: number } {
  return { shapes: plans.size, filters: queries.size };
}

/** Empties both caches (tests). */
export function clearMatcherCaches(): void {
  plans.clear();
  queries.clear();
}

/** The compiled form of `filter` (see the file header). Throws as mingo does on a bad filter. */
export function compileFilter(filter: Document): Matcher {
  const shape = shapeOf(filter);
  if (shape) {
    let plan = plans.get(shape.key);
    if (!plan) plans.set(shape.key, (plan = shape.steps()));
    return planMatcher(plan, shape.values, filter);
  }
  return mingoQuery(filter);
}

/** mingo's compiled `filter`, from the by-value cache when it may be kept. */
function mingoQuery(filter: Document): Query {
  if (!cacheable(filter, 0)) return new Query(filter, mingoOptions);
  let key: string;
  try {
    const bytes = BSON.serialize(filter);
    if (bytes.length > MAX_KEY_BYTES) return new Query(filter, mingoOptions);
    key = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
  } catch {
    return new Query(filter, mingoOptions); // let mingo say what is wrong with it
  }
  let q = queries.get(key);
  if (!q) queries.set(key, (q = new Query(filter, mingoOptions)));
  return q;
}

const uncacheableOps = new Set(['$expr', '$where', '$function', '$accumulator']);

/**
 * Whether the filter's BSON bytes identify its meaning: no `$expr`/scripts anywhere, no value
 * BSON would write the same as another (undefined is written as null), nothing too deep.
 */
function cacheable(v: unknown, depth: number): boolean {
  if (depth > 20) return false;
  if (v === undefined || typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') return false;
  if (Array.isArray(v)) return v.every((x) => cacheable(x, depth + 1));
  if (isPlainDoc(v)) {
    for (const [k, x] of Object.entries(v)) if (uncacheableOps.has(k) || !cacheable(x, depth + 1)) return false;
    return true;
  }
  return true;
}

/** The class of a scalar the plan can compare on its own, or null. */
function classOf(v: unknown): Cls | null {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'number':
      return Number.isNaN(v) ? null : 'number';
    case 'boolean':
      return 'boolean';
  }
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : 'date';
  if (v instanceof ObjectId) return 'objectId';
  return null;
}

const rangeOps: Record<string, Op> = { $gt: 'gt', $gte: 'gte', $lt: 'lt', $lte: 'lte' };
const forbiddenSegments = new Set(['', '__proto__', 'constructor', 'prototype']);

/** The shape key, the values in plan order, and how to build the plan — or null when mingo must do it all. */
function shapeOf(filter: Document): { key: string; values: unknown[]; steps: () => Step[] } | null {
  if (!isPlainDoc(filter)) return null;
  let key = '';
  const values: unknown[] = [];
  const pending: { field: string; op: Op }[] = [];
  for (const field of Object.keys(filter)) {
    // (a segment naming something every object inherits, `toString`…, is mingo's to resolve)
    if (field.startsWith('$') || field.split('.').some((s) => forbiddenSegments.has(s) || s in Object.prototype)) return null;
    const cond = filter[field];
    const cls = classOf(cond);
    if (cls) {
      key += `${JSON.stringify(field)}=${cls};`;
      values.push(cond);
      pending.push({ field, op: 'eq' });
      continue;
    }
    if (!isPlainDoc(cond)) return null;
    const ops = Object.keys(cond);
    if (ops.length === 0 || !ops.every((o) => o.startsWith('$'))) return null;
    for (const o of ops) {
      const v = cond[o];
      let op: Op;
      let tag: string;
      if (o === '$eq' || o === '$ne') {
        const c = classOf(v);
        if (!c) return null;
        op = o === '$eq' ? 'eq' : 'ne';
        tag = c;
      } else if (o === '$in' || o === '$nin') {
        if (!Array.isArray(v) || v.length > 1000 || !v.every((x) => classOf(x) !== null)) return null;
        op = o === '$in' ? 'in' : 'nin';
        tag = 'list';
      } else if (o in rangeOps) {
        const c = classOf(v);
        if (c !== 'number' && c !== 'string' && c !== 'date') return null;
        op = rangeOps[o]!;
        tag = c;
      } else if (o === '$exists') {
        if (typeof v !== 'boolean') return null;
        op = 'exists';
        tag = 'bool';
      } else return null;
      key += `${JSON.stringify(field)}${op}${tag};`;
      values.push(v);
      pending.push({ field, op });
    }
  }
  return { key, values, steps: () => pending.map(({ field, op }) => ({ path: field.split('.'), op })) };
}

function planMatcher(plan: Step[], values: unknown[], filter: Document): Matcher {
  let fallback: Query | undefined;
  return {
    test(doc: Document): boolean {
      const r = runPlan(plan, values, doc);
      if (r !== UNSURE) return r === 1;
      fallback ??= mingoQuery(filter);
      return fallback.test(doc);
    },
  };
}

/** 1 match, 0 no match, UNSURE: leave this document to mingo. */
function runPlan(plan: Step[], values: unknown[], doc: Document): number {
  for (let i = 0; i < plan.length; i++) {
    const step = plan[i]!;
    // resolve through plain documents only
    let cur: unknown = doc;
    let depth = 0;
    for (; depth < step.path.length; depth++) {
      if (cur === undefined || Array.isArray(cur)) break;
      if (!isPlainDoc(cur)) return UNSURE;
      const seg = step.path[depth]!;
      cur = Object.prototype.hasOwnProperty.call(cur, seg) ? cur[seg] : undefined;
    }
    const v = values[i];
    if (Array.isArray(cur) && depth < step.path.length) {
      // an array of documents on the way (`tasks.id`): only a positive test of non-null values
      // is answered here — some element's value equals — everything else is mingo's
      const r = throughArray(cur, step.path, depth, step.op, v);
      if (r === UNSURE) return UNSURE;
      if (r === 0) return 0;
      continue;
    }
    if (cur !== undefined && cur !== null && classOf(cur) === null) return UNSURE;
    let ok: boolean;
    switch (step.op) {
      case 'eq':
        ok = same(cur, v);
        break;
      case 'ne':
        ok = !same(cur, v);
        break;
      case 'in':
        ok = inList(cur, v as unknown[]);
        break;
      case 'nin':
        ok = !inList(cur, v as unknown[]);
        break;
      case 'exists':
        ok = (cur !== undefined) === v;
        break;
      default: {
        const a = classOf(cur);
        if (a === null || a === 'null' || a !== classOf(v)) return UNSURE;
        const c = a === 'date' ? (cur as Date).getTime() - (v as Date).getTime() : (cur as number | string) < (v as number | string) ? -1 : (cur as number | string) > (v as number | string) ? 1 : 0;
        ok = step.op === 'gt' ? c > 0 : step.op === 'gte' ? c >= 0 : step.op === 'lt' ? c < 0 : c <= 0;
      }
    }
    // a conjunct answered for sure decides the conjunction, whatever the others would say
    if (!ok) return 0;
  }
  return 1;
}

/**
 * `$eq`/`$in` of non-null scalars over a path with arrays of plain documents on it, as MongoDB
 * reads `{'tasks.id': x}`: 1 when the path's value in some element (through every array level)
 * is a scalar equal to the value (one of the list), 0 when no element's is — missing or another
 * scalar. UNSURE for anything else: another operator, null among the values, an element that is
 * not a plain document, a numeric segment (an array index), an array or document at the end.
 */
function throughArray(arr: unknown[], path: string[], depth: number, op: Op, v: unknown): number {
  if (op !== 'eq' && op !== 'in') return UNSURE;
  const wanted = op === 'eq' ? [v] : (v as unknown[]);
  if (wanted.some((x) => x === null)) return UNSURE;
  let found = 0;
  const visit = (cur: unknown, at: number): boolean => {
    if (at === path.length) {
      if (cur === undefined || cur === null) return true;
      if (classOf(cur) === null) return false;
      if (wanted.some((x) => same(cur, x))) found = 1;
      return true;
    }
    if (cur === undefined) return true;
    if (Array.isArray(cur)) {
      if (/^\d+$/.test(path[at]!)) return false;
      for (const el of cur) if (!isPlainDoc(el) || !visit(el, at)) return false;
      return true;
    }
    if (!isPlainDoc(cur)) return false;
    const seg = path[at]!;
    return visit(Object.prototype.hasOwnProperty.call(cur, seg) ? cur[seg] : undefined, at + 1);
  };
  return visit(arr, depth) ? found : UNSURE;
}

/** Equality of a resolved scalar (or null/undefined) and a filter scalar, as mingo's `$eq` sees them. */
function same(a: unknown, b: unknown): boolean {
  if (a === undefined || a === null) return b === null;
  if (b === null) return false;
  if (a instanceof Date) return b instanceof Date && a.getTime() === b.getTime();
  if (a instanceof ObjectId) return b instanceof ObjectId && a.equals(b);
  return a === b;
}

/** `$in` lists longer than this, of strings and ObjectIds only, are looked up in a set. */
const LIST_SET = 8;
const listSets = new WeakMap<unknown[], Set<string> | null>();
const setKey = (x: unknown): string | undefined => (typeof x === 'string' ? `s${x}` : x instanceof ObjectId ? `o${x.toHexString()}` : undefined);

/**
 * Whether `cur` equals one of `list` (`same`). A long list of strings and ObjectIds is a set of
 * their keys, made once per list: the staff queue's history matched each of 1000 cases against
 * 1000 ids one by one (a million comparisons per page, #24).
 */
function inList(cur: unknown, list: unknown[]): boolean {
  if (list.length <= LIST_SET) return list.some((x) => same(cur, x));
  let set = listSets.get(list);
  if (set === undefined) {
    const keys = list.map(setKey);
    set = keys.every((k) => k !== undefined) ? new Set(keys as string[]) : null;
    listSets.set(list, set);
  }
  if (!set) return list.some((x) => same(cur, x));
  const k = setKey(cur);
  return k !== undefined && set.has(k);
}
