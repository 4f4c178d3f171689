/**
 * Range lookups on an index with many distinct values (the sorted values are kept in blocks
 * that split past ~1000): after random inserts, updates and deletes, every range query answers
 * exactly what a scan answers.
 */
import { describe, expect, it } from 'vitest';
import { DataView, Store, Transactions } from '@lianban/embedded-db';

/** A small deterministic generator, so a failure can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('range lookups over many distinct values', () => {
  it('should answer every range exactly like a scan after random inserts, updates and deletes', () => {
    const store = new Store();
    const view = new DataView(store, new Transactions(store));
    const ns = 't.c';
    store.apply([{ o: 'index', ns, spec: { v: 2, key: { k: 1 }, name: 'k_1' } }, { o: 'index', ns, spec: { v: 2, key: { n: 1 }, name: 'n_1' } }]);
    const rand = rng(7);
    const key = () => Math.floor(rand() * 1e6).toString(36);
    const live = new Map<number, { _id: number; k: string; n: number }>();
    for (let i = 0; i < 6000; i++) {
      const r = rand();
      if (r < 0.7 || live.size < 10) {
        const d = { _id: i, k: key(), n: Math.floor(rand() * 3000) };
        view.insert(ns, d);
        live.set(i, d);
      } else if (r < 0.85) {
        const id = [...live.keys()][Math.floor(rand() * live.size)]!;
        const d = { ...live.get(id)!, k: key(), n: Math.floor(rand() * 3000) };
        view.replace(ns, d);
        live.set(id, d);
      } else {
        const id = [...live.keys()][Math.floor(rand() * live.size)]!;
        view.remove(ns, live.get(id)!);
        live.delete(id);
      }
    }
    const ids = (docs: { _id?: unknown }[]) => docs.map((d) => d._id as number).sort((a, b) => a - b);
    for (let q = 0; q < 200; q++) {
      const [a, b] = [key(), key()].sort();
      const filter = q % 3 === 0 ? { k: { $gte: a, $lt: b } } : q % 3 === 1 ? { k: { $gt: a } } : { k: { $lte: b } };
      const expected = [...live.values()].filter((d) => (q % 3 === 0 ? d.k >= a! && d.k < b! : q % 3 === 1 ? d.k > a! : d.k <= b!));
      expect(ids(view.find(ns, filter))).toEqual(ids(expected));
      const lo = Math.floor(rand() * 3000);
      const hi = lo + Math.floor(rand() * 500);
      expect(ids(view.find(ns, { n: { $gt: lo, $lte: hi } }))).toEqual(ids([...live.values()].filter((d) => d.n > lo && d.n <= hi)));
    }
  });
});
