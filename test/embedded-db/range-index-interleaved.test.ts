/**
 * Range lookups against a scan through any interleaving of inserts, replacements, deletes and
 * range finds, over numbers, dates and strings (single values and arrays): index-answered finds
 * return exactly what a mingo scan returns (storage/sorted-values.ts keeps the distinct values).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Query } from 'mingo';
import { DataView, Store, Transactions } from '@lianban/embedded-db';

const value = fc.oneof(
  fc.integer({ min: -40, max: 40 }),
  fc.integer({ min: 0, max: 60 }).map((n) => new Date(Date.UTC(2026, 0, 1) + n * 3_600_000)),
  fc.stringMatching(/^[a-f]{1,2}$/),
);
const range = fc.oneof(
  fc.tuple(fc.integer({ min: -40, max: 40 }), fc.integer({ min: -40, max: 40 })),
  fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 })).map(([a, b]) => [new Date(Date.UTC(2026, 0, 1) + a * 3_600_000), new Date(Date.UTC(2026, 0, 1) + b * 3_600_000)] as const),
  fc.tuple(fc.stringMatching(/^[a-f]{1,2}$/), fc.stringMatching(/^[a-f]{1,2}$/)),
);
const step = fc.oneof(
  fc.record({ kind: fc.constant('put' as const), id: fc.integer({ min: 0, max: 30 }), v: fc.oneof(value, fc.array(value, { maxLength: 3 })) }, { noNullPrototype: true }),
  fc.record({ kind: fc.constant('del' as const), id: fc.integer({ min: 0, max: 30 }) }, { noNullPrototype: true }),
  fc.record({ kind: fc.constant('find' as const), lo: fc.boolean(), hi: fc.boolean(), r: range }, { noNullPrototype: true }),
);

describe('range lookups over many distinct values', () => {
  it('answer as a scan does through any interleaving of writes and range finds', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const store = new Store();
        const txns = new Transactions(store);
        const ns = 'db.r';
        const view = () => new DataView(store, txns);
        store.ensure(ns).createIndex({ key: { v: 1 }, name: 'v_1' });
        const check = (filter: Record<string, unknown>) => {
          const all = [...store.get(ns)!.latest()].map(([, d]) => d);
          const q = new Query(filter, { scriptEnabled: false });
          expect(view().find(ns, filter).map((d) => d._id)).toEqual(all.filter((d) => q.test(d)).map((d) => d._id));
        };
        for (const s of steps) {
          if (s.kind === 'find') {
            const [a, b] = s.r;
            check({ v: { [s.lo ? '$gte' : '$gt']: a, [s.hi ? '$lte' : '$lt']: b } });
            check({ v: { $gte: a } });
            check({ v: { $lt: b } });
            continue;
          }
          const existing = view().get(ns, s.id);
          if (s.kind === 'del') {
            if (existing) view().remove(ns, existing);
          } else if (existing) view().replace(ns, { _id: s.id, v: s.v });
          else view().insert(ns, { _id: s.id, v: s.v });
        }
        check({ v: { $gte: -1000 } });
        check({ v: { $gt: new Date(0) } });
        check({ v: { $gte: '' } });
      }),
      { numRuns: 400 },
    );
  });

});
