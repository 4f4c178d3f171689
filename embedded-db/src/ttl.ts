/**
 * TTL indexes (`expireAfterSeconds`): once a minute, documents whose indexed date (the earliest,
 * for an array) is older than the limit are deleted, as MongoDB's TTL monitor does.
 */
import type { Document } from 'bson';
import type { Engine } from './engine';

const PERIOD_MS = 60_000;
const lastSweep = new WeakMap<Engine, number>();

/** Deletes expired documents of every TTL index, at most once per minute per server. */
export async function sweepTtl(engine: Engine, now = Date.now(), force = false): Promise<void> {
  if (!force && now - (lastSweep.get(engine) ?? 0) < PERIOD_MS) return;
  lastSweep.set(engine, now);
  for (const coll of engine.state.store.collections.values()) {
    for (const spec of coll.indexes.specs()) {
      if (typeof spec.expireAfterSeconds !== 'number') continue;
      const field = Object.keys(spec.key)[0]!;
      const cutoff = new Date(now - spec.expireAfterSeconds * 1000);
      const [db, ...rest] = coll.ns.split('.');
      const filter: Document = { [field]: { $lt: cutoff } };
      await engine.run(db!, { delete: rest.join('.'), deletes: [{ q: filter, limit: 0 }], $db: db }, { id: 0, remote: 'ttl-monitor', auth: { user: '__system' } });
    }
  }
}
