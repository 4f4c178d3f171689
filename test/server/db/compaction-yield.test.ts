/**
 * A compaction does not land between the round trips of a request (#24). With the server and the
 * database in one process a request is ~10 turns of the event loop; a compaction that serialised
 * one slice on every turn multiplied each request's time by the slice count (the 100k-case
 * tasklist at 7.8× the 1k figure while a ~800 MB snapshot was written). Now the next slice waits
 * for a quiet turn — at most `compactMaxWaitMs` — so a busy stretch meets one slice per wait.
 */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ObjectId } from 'bson';
import { DurableStore } from '@lianban/embedded-db';
import { tempDir } from './harness';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** Busy for `ms` of wall time (a request's synchronous work on one turn). */
function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) { /* work */ }
}

describe('compaction beside a busy event loop', () => {
  it('should serialise its slices in quiet turns, not one on every turn of a chain of round trips', async () => {
    const dir = tempDir('lianban-compact-yield-');
    dirs.push(dir);
    let chunks = 0;
    const durable = await DurableStore.open({ dir, sync: false, compactChunkBytes: 16 * 1024, compactMaxWaitMs: 40, onCompactionStep: (step) => void (step === 'chunk' && chunks++) });
    // ~3000 documents of ~4 KB: a few hundred chunks of 16 KB
    const ops = Array.from({ length: 3000 }, (_, i) => ({ o: 'put' as const, ns: 'app.cases', d: { _id: new ObjectId(), no: `CZ${i}`, text: '材料齐全，予以受理'.repeat(150) } }));
    for (let i = 0; i < ops.length; i += 500) durable.store.apply(ops.slice(i, i + 500));
    const compaction = durable.compact();
    // a request-like chain: 200 turns, each with ~0.5 ms of work after the previous turn's I/O
    await new Promise((r) => setImmediate(r));
    const before = chunks;
    const t0 = performance.now();
    for (let turn = 0; turn < 200; turn++) {
      await new Promise((r) => setImmediate(r));
      busy(0.5);
    }
    const chainMs = performance.now() - t0;
    const during = chunks - before;
    await compaction;
    const total = chunks;
    await durable.close();
    // one slice per turn before (≈ 200 here); now one per 40 ms of continuous work, at most
    expect(total).toBeGreaterThan(100);
    expect(during).toBeLessThanOrEqual(Math.ceil(chainMs / 40) + 2);
  });
});
