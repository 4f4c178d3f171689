/**
 * The scale curve's case base, shared by bench/scale.bench.ts and bench/scale-probe.ts: finished
 * 常州 cases cloned from a real submission (historical: changed over the two years before the run,
 * so the statistics folder does not take them for new work), bulk-loaded into the in-process embedded
 * store as an insert command would (unique checks, indexes, journal) without the wire; then the
 * wait until the background statistics folder has folded what was submitted after them.
 */
import { ObjectId } from 'bson';
import { DataView } from '@lianban/embedded-db';
import type { startServer } from '@lianban/server';

type Server = Awaited<ReturnType<typeof startServer>>;
type Document = Record<string, unknown>;

/** A maker of finished clones of `real` (a stored case): the i-th has its own number and task ids. */
export function finishedClones(real: Document): (i: number) => Document {
  const { _id: _drop, ...shape } = real;
  const DAY = 86_400_000;
  const dayBefore = Date.now() - DAY;
  // spread over the two years before (a city's case base grows over years, not in one day)
  return (i) => ({
    ...shape, _id: new ObjectId(), no: `CZ2025${String(i).padStart(8, '0')}`, status: 'completed',
    createdAt: new Date(dayBefore - (i % 730) * DAY), updatedAt: new Date(dayBefore - (i % 730) * DAY),
    tasks: (shape.tasks as { id: string }[]).map((t) => ({ ...t, id: `${t.id}-${i}`, state: 'done', outcome: 'approved', completedAt: new Date() })),
  });
}

/** Bulk-loads clones `from` … `to - 1` into the cases collection, 5000 per journal write. */
export async function bulkLoad(server: Server, from: number, to: number, make: (i: number) => Document): Promise<void> {
  const state = server.db.embedded!.engine.state;
  const ns = `${server.db.connection!.db!.databaseName}.cases`;
  for (let n = from; n < to;) {
    const view = new DataView(state.store, state.txns);
    const count = Math.min(5000, to - n);
    for (let k = 0; k < count; k++) view.insert(ns, make(n + k));
    await state.durable.log(view.ops);
    n += count;
  }
}

/** Waits (at most 60 s) until a fold of `tenant` begun after now has ended. */
export async function foldedSinceNow(server: Server, tenant: string): Promise<void> {
  const since = new Date();
  for (let t = 0; t < 300; t++) {
    const st = await server.db.connection!.collection<{ _id: string; watermark: Date | null }>('stats_state').findOne({ _id: tenant });
    if (st?.watermark && st.watermark > since) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Finishes, as the historical clones are, every case of `tenant` that still has an open task (the
 * warm-up's and the earlier sizes' submissions, whose completions opened their next tasks in the
 * same department): so each size's queue holds only its own new submissions — the same open work at
 * every size, and the ratio is the growth with the case base, not with the queue.
 */
export async function finishOpenCases(server: Server, tenant: string): Promise<number> {
  const cases = server.db.connection!.collection<Document>('cases');
  const open = await cases.find({ tenant, 'tasks.state': 'open' }).toArray();
  for (const c of open) {
    const tasks = (c.tasks as { state: string }[]).map((t) => (t.state === 'open' ? { ...t, state: 'done', outcome: 'approved', completedAt: new Date() } : t));
    await cases.updateOne({ _id: c._id }, { $set: { tasks, status: 'completed' } });
  }
  return open.length;
}
