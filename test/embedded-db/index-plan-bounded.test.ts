/**
 * The documents a query examines stay bounded as the collection grows (#24): the staff
 * tasklist's `$elemMatch` over the multikey index, and the sweeps over partial indexes (the
 * step-effects sweep `{'pending.at': {$lt: now}}`, the exchange collector `{exchangeDue: true}`),
 * which scanned every case before (a partial index enforced uniqueness but was not used for
 * lookups: ~0.5 s of blocked event loop every 5 s at 100k cases). Results stay those of a scan.
 */
import { describe, expect, it, vi } from 'vitest';
import { candidates, DataView, Store, Transactions } from '@lianban/embedded-db';

const ns = 't.cases';
const now = new Date('2026-12-05T12:00:00Z');

function caseBase(size: number, open: number) {
  const store = new Store();
  const view = new DataView(store, new Transactions(store));
  store.apply([
    { o: 'index', ns, spec: { v: 2, key: { tenant: 1, 'tasks.department': 1, 'tasks.state': 1 }, name: 'queue' } },
    { o: 'index', ns, spec: { v: 2, key: { 'pending.at': 1 }, name: 'pending', partialFilterExpression: { 'pending.at': { $type: 'date' } } } },
    { o: 'index', ns, spec: { v: 2, key: { exchangeDue: 1 }, name: 'exchange', partialFilterExpression: { exchangeDue: { $exists: true } } } },
    { o: 'index', ns, spec: { v: 2, key: { tenant: 1, no: 1 }, name: 'no', unique: true } },
  ]);
  for (let i = 0; i < size; i++) {
    const isOpen = i % Math.floor(size / open) === 0;
    view.insert(ns, {
      _id: i, tenant: 'changzhou', no: `CZ${i}`,
      tasks: [{ id: `a-${i}`, department: 'applicant', state: 'done' }, { id: `h-${i}`, department: 'hrss', state: isOpen ? 'open' : 'done' }],
      ...(isOpen ? { pending: { at: new Date(+now - 60_000), ops: [] }, exchangeDue: true } : {}),
    });
  }
  return { store, view, coll: store.get(ns)! };
}

const queue = { tenant: 'changzhou', tasks: { $elemMatch: { state: { $in: ['open', 'claimed'] }, department: { $in: ['hrss'] } } } };
const sweep = { 'pending.at': { $lt: now } };

describe('index plans stay bounded as the case base grows', () => {
  it('should examine only the open cases for the tasklist and the sweeps, at 2k and 40k cases alike', () => {
    for (const size of [2_000, 40_000]) {
      const { view, coll } = caseBase(size, 20);
      for (const filter of [queue, sweep, { exchangeDue: true }]) {
        const ids = candidates(coll, filter);
        expect(ids, JSON.stringify(filter)).not.toBeNull();
        expect(ids!.size, `${JSON.stringify(filter)} at ${size}`).toBeLessThanOrEqual(20);
        expect(view.find(ns, filter)).toHaveLength(20);
      }
    }
  });

  it('should answer like a scan after the partial field changes, and never narrow {field: null} from a partial index', () => {
    const { store, view, coll } = caseBase(1_000, 10);
    const pendingIds = view.find(ns, sweep).map((d) => d._id as number);
    expect(pendingIds).toHaveLength(10);
    // the fold clears one case's pending, another case gets some, a third is deleted
    const [first, second] = pendingIds;
    const cleared = { ...view.get(ns, first)! };
    delete cleared.pending;
    view.replace(ns, cleared);
    view.replace(ns, { ...view.get(ns, 7)!, pending: { at: new Date(+now - 1000), ops: [] } });
    view.remove(ns, view.get(ns, second)!);
    const expected = new Set([...pendingIds.filter((id) => id !== first && id !== second), 7]);
    expect(new Set(view.find(ns, sweep).map((d) => d._id))).toEqual(expected);
    expect(candidates(coll, sweep)!.size).toBe(expected.size);
    // a later date than every pending one: nothing
    expect(view.find(ns, { 'pending.at': { $lt: new Date(+now - 3_600_000) } })).toHaveLength(0);
    // documents without the field are not in a partial index's structure: {field: null} scans
    expect(candidates(coll, { 'pending.at': null })).toBeNull();
    expect(view.find(ns, { 'pending.at': null })).toHaveLength(1_000 - 1 - expected.size);
    // dropping the index drops its lookups
    store.apply([{ o: 'dropIndex', ns, name: 'pending' }]);
    expect(candidates(coll, sweep)).toBeNull();
    expect(new Set(view.find(ns, sweep).map((d) => d._id))).toEqual(expected);
  });

  it('should answer the queue searched by case number from the number alone, without the queue sets', () => {
    const { view, coll } = caseBase(40_000, 20);
    const lookedUp: string[] = [];
    const field = coll.indexes.field.bind(coll.indexes);
    const spy = vi.spyOn(coll.indexes, 'field').mockImplementation((path: string) => { lookedUp.push(path); return field(path); });
    try {
      // an open case and a finished one: the matcher decides, the candidates are the number's
      for (const [no, found] of [['CZ2000', 1], ['CZ2001', 0]] as const) {
        lookedUp.length = 0;
        const filter = { ...queue, no };
        expect(candidates(coll, filter)!.size).toBe(1);
        expect(lookedUp).not.toContain('tasks.department');
        expect(lookedUp).not.toContain('tasks.state');
        expect(view.find(ns, filter)).toHaveLength(found);
      }
      // without the number the queue's sets are used, as before
      lookedUp.length = 0;
      expect(candidates(coll, queue)!.size).toBe(20);
      expect(lookedUp).toContain('tasks.department');
    } finally {
      spy.mockRestore();
    }
  });
});
