/** Index-answered queries must return exactly what a full mingo scan returns, in the same order. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Decimal128, ObjectId } from 'bson';
import { Query } from 'mingo';
import { Store, Transactions, DataView } from '@lianban/embedded-db';

const ids = Array.from({ length: 3 }, () => new ObjectId());
const scalar = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom(0.5, -0, 2.0),
  fc.constantFrom('a', 'b', 'B', ''),
  fc.constantFrom(new Date(0), new Date(1000)),
  fc.constantFrom(...ids),
  fc.boolean(),
);
const value = fc.oneof(scalar, fc.constant(null), fc.array(scalar, { maxLength: 3 }), fc.constant(Decimal128.fromString('1')), fc.record({ x: scalar }, { noNullPrototype: true }));
const task = fc.record({ dept: fc.constantFrom('hrss', 'medical', 'health'), state: fc.constantFrom<string | null>('open', 'done', null) }, { requiredKeys: ['dept'], noNullPrototype: true });
const doc = fc.record({ a: value, b: value, tasks: fc.array(task, { maxLength: 3 }) }, { requiredKeys: [], noNullPrototype: true });

const cond = fc.oneof(
  scalar,
  scalar.map((v) => ({ $eq: v })),
  fc.array(scalar, { minLength: 1, maxLength: 3 }).map((vs) => ({ $in: vs })),
  fc.tuple(fc.constantFrom('$gt', '$gte', '$lt', '$lte'), scalar).map(([op, v]) => ({ [op]: v })),
  fc.tuple(scalar, scalar).map(([lo, hi]) => ({ $gte: lo, $lt: hi })),
  fc.constant(null),
);
const filter = fc.oneof(
  fc.record({ a: cond, b: cond }, { requiredKeys: [], noNullPrototype: true }),
  fc.record({ 'tasks.dept': fc.constantFrom('hrss', 'medical'), 'tasks.state': fc.constantFrom('open', 'done') }, { requiredKeys: [], noNullPrototype: true }),
  fc.constantFrom('hrss', 'health').map((dept) => ({ tasks: { $elemMatch: { dept, state: 'open' } } })),
  fc.constantFrom<unknown>(null, { $eq: null }, { $in: [null, 'open'] }).map((state) => ({ 'tasks.state': state })),
  fc.constantFrom('hrss', 'health').map((dept) => ({ tasks: { $elemMatch: { dept, state: null } } })),
  fc.tuple(cond, cond).map(([x, y]) => ({ $or: [{ a: x }, { b: y }] })),
  fc.tuple(cond, cond).map(([x, y]) => ({ $and: [{ a: x }, { a: y }] })),
);

describe('query planner', () => {
  it('should let two array elements meet the two bounds of a range', () => {
    const store = new Store();
    store.apply([{ o: 'index', ns: 'p.c', spec: { v: 2, name: 'b_1', key: { b: 1 } } }]);
    const view = new DataView(store, new Transactions(store));
    view.insert('p.c', { _id: 0, b: [-0, 0.5] });
    view.insert('p.c', { _id: 1, b: 0.7 });
    expect(view.find('p.c', { b: { $gte: 0.5, $lt: 0.5 } }).map((d) => d._id)).toEqual([0]);
  });


  it('should return exactly the documents and order of a full scan, for random data and filters', () => {
    fc.assert(
      fc.property(fc.array(doc, { maxLength: 40 }), fc.array(filter, { minLength: 1, maxLength: 5 }), fc.array(fc.nat(), { maxLength: 10 }), (docs, filters, deletions) => {
        const store = new Store();
        for (const [name, key] of [['a_1', { a: 1 }], ['b_1', { b: -1 }], ['tasks', { 'tasks.dept': 1, 'tasks.state': 1 }]] as const) {
          store.apply([{ o: 'index', ns: 'p.c', spec: { v: 2, name, key } }]);
        }
        const view = new DataView(store, new Transactions(store));
        const all = docs.map((d, i) => ({ _id: i, ...d }));
        for (const d of all) view.insert('p.c', d);
        // churn: deletions and re-inserts exercise index maintenance
        for (const n of deletions) {
          if (!all.length) break;
          const victim = all.splice(n % all.length, 1)[0]!;
          view.remove('p.c', victim);
        }
        for (const f of filters) {
          const expected = all.filter((d) => new Query(f).test(d)).map((d) => d._id);
          expect(view.find('p.c', f).map((d) => d._id)).toEqual(expected);
        }
      }),
      { numRuns: 300 },
    );
  });
});
