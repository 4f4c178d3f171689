/**
 * The embedded MongoDB-compatible server:
 * - mongoose insert and find-by-id throughput over TCP (journal fsync on) vs the same
 *   operations on the raw in-process store (no wire, no BSON, no journal): the server's overhead;
 * - indexed lookups at 1k / 10k / 100k documents vs an unindexed scan, in-process: a tasklist
 *   query on a multikey index (`tasks.department` + `tasks.state`; ~6% of cases hold an open
 *   task, as in a mostly finished case base) and a case number on a unique index;
 * - the longest event-loop stall during a compaction of ~55 MB (chunked, async) vs the old
 *   one-go synchronous snapshot (`compact({ blocking: true })`), alternating, same store.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { ObjectId } from 'bson';
import { startEmbeddedServer, DurableStore, Store, Transactions, DataView } from '@lianban/embedded-db';
import { compare, failedRow, repeat, type Benchmark, type BenchResult } from './lib';

const depts = ['hrss', 'medical', 'housing-fund', 'health', 'window'];

function caseDoc(i: number) {
  return {
    _id: new ObjectId(),
    caseNo: `CZ2026${String(i).padStart(8, '0')}`,
    status: i % 7 === 0 ? 'completed' : 'in-progress',
    tasks: [0, 1, 2].map((j) => ({ department: depts[(i + j) % 5], state: (i + j) % 50 === 0 ? 'open' : 'done' })),
    data: { name: '张三', idNumber: '340100196001010011' },
  };
}

/** Operations per second of `n` async operations, `concurrency` at a time. */
async function throughput(n: number, concurrency: number, op: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) await op(next++);
  }));
  return (n / (performance.now() - t0)) * 1000;
}

/** Median microseconds per call of `fn` over `times` calls. */
function microsPerCall(times: number, fn: (i: number) => unknown): number {
  const t0 = performance.now();
  for (let i = 0; i < times; i++) fn(i);
  return ((performance.now() - t0) * 1000) / times;
}

function rawStore(indexed: boolean, n: number) {
  const store = new Store();
  const view = new DataView(store, new Transactions(store));
  if (indexed) {
    store.apply([{ o: 'index', ns: 'b.cases', spec: { v: 2, key: { 'tasks.department': 1, 'tasks.state': 1 }, name: 'tasks' } }]);
    store.apply([{ o: 'index', ns: 'b.cases', spec: { v: 2, key: { caseNo: 1 }, name: 'caseNo_1', unique: true } }]);
  }
  const batch = Array.from({ length: n }, (_, i) => ({ o: 'put' as const, ns: 'b.cases', d: caseDoc(i) }));
  store.apply(batch);
  return view;
}

/** A ~9 KB case with a timeline: what makes the bulk of a large database. */
function bigCaseDoc(i: number) {
  return {
    ...caseDoc(i),
    timeline: Array.from({ length: 32 }, (_, j) => ({ at: new Date(1_780_000_000_000 + j), kind: 'step', by: `staff-${j % 7}`, text: '材料齐全，予以受理'.repeat(8) })),
  };
}

/** Longest gap between event-loop turns (ms) while `run` goes on. */
async function longestStall(run: () => Promise<void>): Promise<number> {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  try {
    await run();
    longest = Math.max(longest, performance.now() - last);
  } finally {
    clearInterval(timer);
  }
  return longest;
}

async function compactionStall(): Promise<BenchResult> {
  const name = 'longest event-loop stall during a compaction of ~55 MB';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lianban-bench-compact-'));
  try {
    const durable = await DurableStore.open({ dir });
    try {
      const n = 6000;
      for (let i = 0; i < n; i += 500) durable.store.apply(Array.from({ length: 500 }, (_, j) => ({ o: 'put' as const, ns: 'b.cases', d: bigCaseDoc(i + j) })));
      const ours: number[] = [];
      const base: number[] = [];
      for (let r = 0; r < 3; r++) {
        ours.push(await longestStall(() => durable.compact()));
        base.push(await longestStall(() => durable.compact({ blocking: true })));
      }
      const files = fs.readdirSync(dir).filter((f) => f.startsWith('snapshot-'));
      const mb = fs.statSync(path.join(dir, files[0]!)).size / 1024 / 1024;
      return compare({ name, unit: 'ms', samples: ours, baselineSamples: base, baselineName: 'one-go synchronous snapshot (before)', target: { on: 'value', op: '<=', value: 50 }, note: `${n} cases, ${mb.toFixed(0)} MB snapshot, fsync on; chunks ≤ 4 MiB / ~8 ms, async writes; alternating runs` });
    } finally {
      await durable.close();
    }
  } catch (err) {
    return failedRow(name, 'ms', err);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const bench: Benchmark = {
  name: 'embedded database',
  async run() {
    const results: BenchResult[] = [];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lianban-bench-db-'));
    const server = await startEmbeddedServer({ dbpath: dir, port: 0 });
    const conn = await mongoose.createConnection(server.uri, { dbName: 'bench' }).asPromise();
    try {
      const Case = conn.model('Case', new mongoose.Schema({ caseNo: String, status: String, tasks: [{ department: String, state: String }], data: {} }));
      await Case.init();
      const ids: unknown[] = [];
      const N = 1500;
      const insertOurs = await repeat(3, async (r) => throughput(N, 16, async (i) => ids.push((await Case.create(caseDoc(r * N + i)))._id)));
      const findOurs = await repeat(3, async () => throughput(N, 16, async (i) => Case.findById(ids[i]).lean()));
      const rawView = rawStore(false, 0);
      const rawIds: unknown[] = [];
      const insertBase = await repeat(3, async (r) => throughput(N, 1, async (i) => {
        const d = caseDoc(r * N + i);
        rawView.insert('b.cases', d);
        rawIds.push(d._id);
      }));
      const findBase = await repeat(3, async () => throughput(N, 1, async (i) => rawView.get('b.cases', rawIds[i])));
      results.push(compare({ name: 'mongoose insert (embedded server, fsync) vs raw in-process store', unit: 'docs/s', samples: insertOurs, baselineSamples: insertBase, baselineName: 'raw store insert', note: `${N} Case.create, 16 in flight, group commit` }));
      results.push(compare({ name: 'mongoose findById (embedded server) vs raw in-process store', unit: 'ops/s', samples: findOurs, baselineSamples: findBase, baselineName: 'raw store get', note: `${N} lean findById, 16 in flight` }));

      for (const n of [1_000, 10_000, 100_000]) {
        const indexed = rawStore(true, n);
        const plain = rawStore(false, n);
        const times = n >= 100_000 ? 20 : 200;
        const tasklist = { 'tasks.department': 'hrss', 'tasks.state': 'open' };
        const ours = await repeat(5, () => microsPerCall(times, () => indexed.find('b.cases', tasklist)));
        const base = await repeat(5, () => microsPerCall(Math.max(5, times / 10), () => plain.find('b.cases', tasklist)));
        results.push(compare({ name: `tasklist query (multikey index) at ${n / 1000}k cases`, unit: 'µs', samples: ours, baselineSamples: base, baselineName: 'unindexed scan', target: { on: 'ratio', op: '<=', value: n >= 10_000 ? 0.5 : 1 }, note: `${indexed.find('b.cases', tasklist).length} matches; in-process, no wire` }));
        const byNo = await repeat(5, () => microsPerCall(times * 5, (i) => indexed.find('b.cases', { caseNo: `CZ2026${String((i * 7919) % n).padStart(8, '0')}` })));
        const byNoScan = await repeat(5, () => microsPerCall(Math.max(5, times / 10), (i) => plain.find('b.cases', { caseNo: `CZ2026${String((i * 7919) % n).padStart(8, '0')}` })));
        results.push(compare({ name: `caseNo lookup (unique index) at ${n / 1000}k cases`, unit: 'µs', samples: byNo, baselineSamples: byNoScan, baselineName: 'unindexed scan', target: { on: 'ratio', op: '<=', value: n >= 10_000 ? 0.1 : 0.5 } }));
      }
    } finally {
      await conn.close();
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
    results.push(await compactionStall());
    return results;
  },
};
export default bench;
