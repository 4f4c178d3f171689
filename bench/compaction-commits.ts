/**
 * How long commits wait while the embedded database compacts (#24): `npx tsx
 * bench/compaction-commits.ts [--cases 6000] [--runs 3]`. Fills an in-process `DurableStore`
 * (fsync on) with ~9-KB cases (~55 MB of snapshot for 6000), then compacts it `runs` times while
 * a writer commits one 4-KB document every 10 ms, and prints per compaction its duration and the
 * commits' wait for durability: p50, p99, max, and when the slowest ones happened (ms from the
 * compaction's start). A compaction that lets the snapshot's megabytes reach the disk in one go
 * makes a commit's journal sync queue behind them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DurableStore } from '@lianban/embedded-db';

const { values: args } = parseArgs({ options: { cases: { type: 'string', default: '6000' }, runs: { type: 'string', default: '3' } } });
const cases = Number(args.cases);
const runs = Number(args.runs);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const caseDoc = (i: number) => ({
  _id: `c${i}`, caseNo: `CZ${i}`, status: 'running',
  tasks: Array.from({ length: 4 }, (_, k) => ({ department: 'hrss', state: 'open', k })),
  data: Object.fromEntries(Array.from({ length: 40 }, (_, k) => [`f${k}`, `值 ${k} ${i}`])),
  timeline: Array.from({ length: 32 }, (_, j) => ({ at: new Date(1_780_000_000_000 + j), kind: 'step', by: `staff-${j % 7}`, text: '材料齐全，予以受理'.repeat(8) })),
});

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lianban-compaction-commits-'));
const durable = await DurableStore.open({ dir });
try {
  for (let i = 0; i < cases; i += 500) durable.store.apply(Array.from({ length: Math.min(500, cases - i) }, (_, j) => ({ o: 'put' as const, ns: 'b.cases', d: caseDoc(i + j) })));
  for (let r = 0; r < runs; r++) {
    const waits: { at: number; ms: number }[] = [];
    let stop = false;
    let k = 0;
    let started = 0;
    const writer = (async () => {
      while (!stop) {
        const t0 = performance.now();
        await durable.log([{ o: 'put', ns: 'b.x', d: { _id: `x${r}-${k++}`, v: 'y'.repeat(4000) } }]);
        waits.push({ at: t0 - started, ms: performance.now() - t0 });
        await sleep(10);
      }
    })();
    await sleep(300);
    started = performance.now();
    await durable.compact();
    const took = performance.now() - started;
    await sleep(300);
    stop = true;
    await writer;
    const sorted = waits.map((w) => w.ms).sort((a, b) => a - b);
    const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!.toFixed(1);
    const slowest = [...waits].sort((a, b) => b.ms - a.ms).slice(0, 3).map((w) => `${w.ms.toFixed(1)} ms at ${w.at.toFixed(0)}`).join(', ');
    console.log(`compaction ${r + 1}: ${took.toFixed(0)} ms; ${waits.length} commits: p50 ${q(0.5)}, p99 ${q(0.99)}, max ${q(1)} ms (slowest: ${slowest})`);
  }
} finally {
  await durable.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
