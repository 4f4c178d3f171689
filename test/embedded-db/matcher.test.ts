/**
 * The compiled-filter cache (embedded-db/src/storage/matcher.ts) must answer exactly what a
 * fresh mingo Query answers — for every filter, including ones that share a cached shape or
 * plan with different values, and for documents the plan has to hand to mingo.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Decimal128, Long, ObjectId } from 'bson';
import { Query } from 'mingo';
import { clearMatcherCaches, compileFilter, matcherCacheSizes, DataView, Store, Transactions } from '@lianban/embedded-db';

const ids = Array.from({ length: 3 }, () => new ObjectId());
const scalar = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom(0.5, -0, 2.0),
  fc.constantFrom('a', 'b', 'B', '', '1', 'é', '😀'),
  fc.constantFrom(new Date(0), new Date(1000)),
  fc.constantFrom(...ids),
  fc.constantFrom(new ObjectId(ids[0]!.toHexString())),
  fc.boolean(),
);
const value = fc.oneof(
  scalar, scalar, fc.constant(null), fc.array(scalar, { maxLength: 3 }),
  fc.constantFrom(Decimal128.fromString('1'), Long.fromNumber(1), /a/),
  fc.record({ x: scalar, y: fc.oneof(scalar, fc.array(scalar, { maxLength: 2 })) }, { requiredKeys: [], noNullPrototype: true }),
);
// `t`: an array of documents on the path (`t.id`, `t.s.x`, as `{'tasks.id': …}`), sometimes with
// scalars, arrays or null among its elements, arrays within, or no array at all
const element = fc.record({ id: value, s: fc.oneof(value, fc.record({ x: value }, { requiredKeys: [], noNullPrototype: true }), fc.array(fc.record({ x: value }, { requiredKeys: [], noNullPrototype: true }), { maxLength: 2 })) }, { requiredKeys: [], noNullPrototype: true });
const t = fc.oneof(fc.array(element, { maxLength: 3 }), fc.array(element, { maxLength: 3 }), fc.array(fc.oneof(element, scalar, fc.constant(null), fc.array(element, { maxLength: 1 })), { maxLength: 3 }), value, element);
const doc = fc.record({ a: value, b: value, c: fc.oneof(value, fc.record({ d: value }, { requiredKeys: [], noNullPrototype: true })), t }, { requiredKeys: [], noNullPrototype: true });

const cond = fc.oneof(
  scalar,
  fc.constant(null),
  fc.tuple(fc.constantFrom('$eq', '$ne'), fc.oneof(scalar, fc.constant(null))).map(([op, v]) => ({ [op]: v })),
  fc.tuple(fc.constantFrom('$in', '$nin'), fc.array(fc.oneof(scalar, fc.constant(null)), { minLength: 1, maxLength: 3 })).map(([op, vs]) => ({ [op]: vs })),
  // long lists: strings and ObjectIds only are looked up in a set, others one by one
  fc.tuple(fc.constantFrom('$in', '$nin'), fc.oneof(
    fc.array(fc.oneof(fc.constantFrom('a', 'b', 'B', '', '1', 'é'), fc.constantFrom(...ids), fc.constantFrom(new ObjectId(ids[0]!.toHexString()))), { minLength: 9, maxLength: 14 }),
    fc.array(fc.oneof(scalar, fc.constant(null)), { minLength: 9, maxLength: 14 }),
  )).map(([op, vs]) => ({ [op]: vs })),
  fc.tuple(fc.constantFrom('$gt', '$gte', '$lt', '$lte'), scalar).map(([op, v]) => ({ [op]: v })),
  fc.tuple(scalar, scalar).map(([lo, hi]) => ({ $gte: lo, $lt: hi })),
  fc.boolean().map((b) => ({ $exists: b })),
  // shapes the plan does not take: mingo alone, cached by value
  fc.constant({ $regex: 'a' }),
  fc.array(scalar, { maxLength: 2 }),
  fc.record({ x: scalar }, { noNullPrototype: true }),
  fc.constant({ $elemMatch: { $gte: 1 } }),
);
const filter = fc.oneof(
  fc.record({ a: cond, b: cond, 'c.d': cond, 'c.x': cond }, { requiredKeys: [], noNullPrototype: true }),
  fc.record({ a: cond, 't.id': cond, 't.s.x': cond, 't.0.id': cond }, { requiredKeys: [], noNullPrototype: true }),
  fc.tuple(cond, cond).map(([x, y]) => ({ $or: [{ a: x }, { b: y }] })),
);

describe('compiled filters', () => {
  beforeEach(() => clearMatcherCaches());

  it('answer exactly what a fresh mingo Query answers (property, shared caches)', () => {
    fc.assert(
      fc.property(filter, fc.array(doc, { minLength: 1, maxLength: 8 }), (f, docs) => {
        const expected = docs.map((d) => new Query(f, { scriptEnabled: false }).test(d));
        // twice: the second call takes the cached plan or query
        expect(docs.map((d) => compileFilter(f).test(d))).toEqual(expected);
        expect(docs.map((d) => compileFilter(f).test(d))).toEqual(expected);
      }),
      { numRuns: 1500 },
    );
  });

  it('a path through an array of documents (`tasks.id`) is answered by the plan, without mingo', () => {
    const docs = [
      { _id: 1, tenant: 'luan', tasks: [{ id: 'a', state: 'done' }, { id: 'b', state: 'open' }] },
      { _id: 2, tenant: 'luan', tasks: [{ id: 'c', sub: [{ x: 1 }, { x: 2 }] }] },
      { _id: 3, tenant: 'changzhou', tasks: [{ id: 'b' }] },
      { _id: 4, tenant: 'luan', tasks: [] },
    ];
    const ids = (f: Record<string, unknown>) => docs.filter((d) => compileFilter(f).test(d)).map((d) => d._id);
    expect(ids({ tenant: 'luan', 'tasks.id': 'b' })).toEqual([1]);
    expect(ids({ tenant: 'luan', 'tasks.id': { $in: ['c', 'x'] } })).toEqual([2]);
    expect(ids({ 'tasks.sub.x': 2 })).toEqual([2]);
    expect(ids({ 'tasks.id': 'z' })).toEqual([]);
    // one shape, and no filter compiled by mingo for these values
    expect(matcherCacheSizes().filters).toBe(0);
  });

  it('one cached shape, different values: each filter gets its own answer', () => {
    const docs = [{ _id: ids[0], rev: 1 }, { _id: ids[0], rev: 2 }, { _id: ids[1], rev: 1 }];
    const first = compileFilter({ _id: ids[0], rev: 1 });
    const second = compileFilter({ _id: ids[1], rev: 1 });
    const third = compileFilter({ _id: ids[0], rev: 2 });
    expect(matcherCacheSizes().shapes).toBe(1); // one plan for all three
    expect(docs.map((d) => first.test(d))).toEqual([true, false, false]);
    expect(docs.map((d) => second.test(d))).toEqual([false, false, true]);
    expect(docs.map((d) => third.test(d))).toEqual([false, true, false]);
    // same shape, value of another class: another plan (1 and '1' must not meet)
    expect(compileFilter({ _id: ids[0], rev: '1' }).test(docs[0]!)).toBe(false);
    expect(matcherCacheSizes().shapes).toBe(2);
  });

  it('mingo-only filters are cached by value, and their values are told apart by type', () => {
    const a = compileFilter({ tags: { $elemMatch: { $eq: 1 } } });
    const b = compileFilter({ tags: { $elemMatch: { $eq: 1 } } });
    expect(a).toBe(b);
    expect(compileFilter({ tags: { $elemMatch: { $eq: '1' } } })).not.toBe(a);
    expect(compileFilter({ tags: { $elemMatch: { $eq: Long.fromNumber(1) } } })).not.toBe(a);
    expect(a.test({ tags: [1] })).toBe(true);
    expect(compileFilter({ tags: { $elemMatch: { $eq: '1' } } }).test({ tags: [1] })).toBe(false);
  });

  it('a filter changed after it was compiled is compiled again, not answered from the cache', () => {
    const f: Record<string, unknown> = { $or: [{ a: 1 }, { b: 1 }] };
    expect(compileFilter(f).test({ a: 1 })).toBe(true);
    f.$or = [{ a: 2 }, { b: 1 }];
    expect(compileFilter(f).test({ a: 1 })).toBe(false);
  });

  it('$expr is never cached ($$NOW is read when the query is compiled)', () => {
    const f = { $expr: { $lt: ['$at', '$$NOW'] } };
    expect(compileFilter(f)).not.toBe(compileFilter(f));
    expect(matcherCacheSizes().filters).toBe(0);
  });

  it('the caches are bounded', () => {
    for (let i = 0; i < 2000; i++) compileFilter({ [`f${i}`]: 1 });
    for (let i = 0; i < 2000; i++) compileFilter({ $or: [{ a: i }, { b: i }] });
    expect(matcherCacheSizes().shapes).toBeLessThanOrEqual(500);
    expect(matcherCacheSizes().filters).toBeLessThanOrEqual(500);
  });

  it('finds through the store see every write: a cached filter is never a cached result', () => {
    const store = new Store();
    const view = () => new DataView(store, new Transactions(store));
    const ns = 'db.cases';
    view().insert(ns, { _id: 1, state: 'open', rev: 1 });
    view().insert(ns, { _id: 2, state: 'open', rev: 1 });
    const open = { state: 'open' };
    expect(view().find(ns, open).map((d) => d._id)).toEqual([1, 2]);
    view().replace(ns, { _id: 1, state: 'done', rev: 2 });
    expect(view().find(ns, open).map((d) => d._id)).toEqual([2]);
    expect(view().find(ns, { _id: 1, rev: 1 })).toEqual([]);
    expect(view().find(ns, { _id: 1, rev: 2 }).map((d) => d.state)).toEqual(['done']);
    view().replace(ns, { _id: 2, state: 'open', tags: ['x'], rev: 2 });
    // an array now lies on another path of the same shape: that document goes to mingo
    expect(view().find(ns, { state: 'open', tags: 'x' }).map((d) => d._id)).toEqual([2]);
    view().remove(ns, { _id: 2 });
    expect(view().find(ns, open)).toEqual([]);
  });
});
