/**
 * Index maintenance by difference (FieldIndex.replace) and copy-on-write documents: after any
 * sequence of inserts, replacements (sharing unchanged top-level fields, as updates now do)
 * and deletes, index-answered finds return exactly what a mingo scan returns.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Query } from 'mingo';
import { DataView, Store, Transactions } from '@lianban/embedded-db';

const scalar = fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom('a', 'b'), fc.constantFrom(new Date(0), new Date(5)), fc.constant(null));
const task = fc.record({ dept: fc.constantFrom('hrss', 'medical'), state: fc.constantFrom('open', 'done') }, { noNullPrototype: true });
const body = fc.record({ a: fc.oneof(scalar, fc.array(scalar, { maxLength: 2 })), tasks: fc.array(task, { maxLength: 3 }), t: fc.constantFrom('luan', 'changzhou') }, { requiredKeys: ['t'], noNullPrototype: true });
const step = fc.record({ id: fc.integer({ min: 0, max: 5 }), kind: fc.constantFrom('put', 'put', 'keepTasks', 'del'), doc: body }, { noNullPrototype: true });
const filters = [
  { t: 'changzhou' },
  { a: 1 },
  { a: null },
  { a: { $in: ['a', 2] } },
  { a: { $gte: 1, $lt: 3 } },
  { a: { $gt: new Date(0) } },
  { 'tasks.state': 'open' },
  { t: 'luan', tasks: { $elemMatch: { dept: { $in: ['hrss', 'medical'] }, state: { $in: ['open'] } } } },
];

describe('index maintenance by difference', () => {
  it('keeps index-answered finds equal to a scan through inserts, replacements and deletes', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 25 }), (steps) => {
        const store = new Store();
        const txns = new Transactions(store);
        const ns = 'db.c';
        const view = () => new DataView(store, txns);
        store.ensure(ns).createIndex({ key: { a: 1 }, name: 'a_1' });
        store.ensure(ns).createIndex({ key: { t: 1, 'tasks.dept': 1, 'tasks.state': 1 }, name: 'q' });
        for (const s of steps) {
          const existing = view().get(ns, s.id);
          if (s.kind === 'del') {
            if (existing) view().remove(ns, existing);
          } else if (!existing) view().insert(ns, { _id: s.id, ...s.doc });
          // keepTasks: a new version sharing the stored `tasks` array, as a copy-on-write update does
          else view().replace(ns, s.kind === 'keepTasks' ? { ...existing, a: s.doc.a, t: s.doc.t } : { _id: s.id, ...s.doc });
        }
        const all = [...store.get(ns)!.latest()].map(([, d]) => d);
        for (const f of filters) {
          const q = new Query(f, { scriptEnabled: false });
          expect(view().find(ns, f).map((d) => d._id)).toEqual(all.filter((d) => q.test(d)).map((d) => d._id));
        }
      }),
      { numRuns: 400 },
    );
  });
});
