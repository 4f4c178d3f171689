/**
 * Scale curves: how a staff member's queue and one flow step grow with the size of the case base.
 *
 * The real server (embedded database, demo templates) in this process. The case base grows to
 * 1k, 10k and 100k cases: finished 常州 cases cloned from a real submission (same size and shape,
 * every task done), bulk-loaded into the embedded store as an insert command would (unique
 * checks, indexes, journal) but without the wire. At each size, the cases still open from before
 * (the warm-up's, the earlier sizes': their completions open next tasks in the same department) are
 * finished as the clones are, and 30 fresh cases are submitted through the API, so the 市人社局
 * queue holds the same open work at every size (30 tasks), then:
 * - `GET /tasks` as 市人社局 staff: the department queue (multikey index, `$elemMatch`), 30 times;
 * - `POST /tasks/:id/complete` of those 30 tasks one after another: an engine step as the server
 *   does it (find the case by task id, restore the flow state, step, save with revision check,
 *   audit, in one transaction).
 * The finished cases are historical (changed over the two years before), and each size waits until the background
 * statistics folder has folded the 30 new submissions, so the figures are the queue and the step,
 * not a fold running beside them. Baseline: the same figure at 1k cases, so the ratio is the growth; the target is near-flat
 * growth (≤ 2× at 100 times the data). Medians of the 30 requests, with min and max.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ObjectId } from 'bson';
import { configFromEnv, startServer } from '@lianban/server';
import { loadCity } from '@lianban/templates';
import { compare, median, type Benchmark, type BenchResult } from './lib';
import { bulkLoad, finishedClones, finishOpenCases, foldedSinceNow } from './scale-seed';

const SIZES = [1_000, 10_000, 100_000];
const OPEN = 30;
/** Open cases of the long queue measured after the sizes. */
const LONG = 5_000;
const PASSWORD = 'Bench-Scale-2026';

async function login(url: string, username: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

/** Milliseconds of one awaited request, failing on a non-2xx answer. */
async function timed(what: string, send: () => Promise<Response>): Promise<{ ms: number; body: unknown }> {
  const t0 = performance.now();
  const res = await send();
  const body = await res.json();
  const ms = performance.now() - t0;
  if (!res.ok) throw new Error(`${what}: ${res.status} ${JSON.stringify(body)}`);
  return { ms, body };
}

const bench: Benchmark = {
  name: 'Scale curves (1k / 10k / 100k cases)',
  async run() {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lianban-bench-scale-'));
    const server = await startServer({ ...configFromEnv({}), port: 0, host: '127.0.0.1', dataDir, demo: true, demoPassword: PASSWORD, webRoot: '/nonexistent' });
    const url = server.url;
    const form = loadCity('changzhou').forms.find((f) => f.key === 'changzhou-retirement')!;
    const body = JSON.stringify({ matter: 'changzhou-retirement', form: 'changzhou-retirement', data: { ...form.example, hasOnlyChildCertificate: false, onlyChildCertificateFile: undefined } });
    const cases = server.db.connection!.collection('cases');
    // the demo notification provider logs every message; keep the benchmark's output readable
    const log = console.log;
    console.log = (...args: unknown[]) => { if (!String(args[0]).startsWith('[通知')) log(...args); };
    try {
      const applicant = await login(url, 'changzhou.applicant');
      const hrss = await login(url, 'changzhou.hrss');
      const json = (cookie: string) => ({ 'content-type': 'application/json', cookie });
      const submit = async () => (await timed('submit', () => fetch(`${url}/api/v1/cases`, { method: 'POST', headers: json(applicant), body }))).body as { id: string; no: string };

      // the shape of a finished case: a real submission with every task done
      const real = await cases.findOne({ _id: new ObjectId((await submit()).id) });
      if (!real) throw new Error('submitted case not found');
      // historical cases (finished over the two years before the run): the statistics
      // folder looks only at cases changed since its last fold, so they are not its work here —
      // the first fold of a big city is measured by stats.bench.ts
      const finished = finishedClones(real);
      const docBytes = Buffer.byteLength(JSON.stringify(finished(0)));

      // warm-up (JIT, caches): a few submissions, queue reads and completions not measured
      for (let i = 0; i < 10; i++) await submit();
      for (let i = 0; i < 10; i++) await fetch(`${url}/api/v1/tasks?limit=200`, { headers: { cookie: hrss } }).then((r) => r.json());
      const warm = (await (await fetch(`${url}/api/v1/tasks?limit=200`, { headers: { cookie: hrss } })).json()) as { id: string }[];
      for (const t of warm) await timed('warm-up', () => fetch(`${url}/api/v1/tasks/${t.id}/complete`, { method: 'POST', headers: json(hrss), body: JSON.stringify({ outcome: 'approved' }) }));

      const queue: Record<number, number[]> = {};
      const step: Record<number, number[]> = {};
      const seeding: string[] = [];
      let have = await cases.countDocuments();
      for (const size of SIZES) {
        const t0 = performance.now();
        // bulk load: what an insert command does (unique checks, indexes, journal), without the wire
        await bulkLoad(server, have, size - OPEN, finished);
        await finishOpenCases(server, 'changzhou');
        const mine = new Set<string>();
        for (let i = 0; i < OPEN; i++) mine.add((await submit()).no);
        have = await cases.countDocuments();
        // the background statistics folder has folded the new submissions (a fold begun after them ended)
        await foldedSinceNow(server, 'changzhou');
        seeding.push(`${size / 1000}k: ${have} cases in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

        queue[size] = [];
        let open: { id: string; caseNo: string; state: string }[] = [];
        for (let i = 0; i < OPEN; i++) {
          const r = await timed('queue', () => fetch(`${url}/api/v1/tasks?limit=200`, { headers: { cookie: hrss } }));
          queue[size].push(r.ms);
          open = r.body as typeof open;
        }
        const todo = open.filter((t) => mine.has(t.caseNo) && t.state === 'open');
        if (todo.length < OPEN) throw new Error(`queue at ${size}: ${todo.length} of the ${OPEN} new tasks`);
        step[size] = [];
        for (const t of todo) {
          step[size].push((await timed('complete', () => fetch(`${url}/api/v1/tasks/${t.id}/complete`, { method: 'POST', headers: json(hrss), body: JSON.stringify({ outcome: 'approved' }) }))).ms);
        }
      }

      // The whole list as the staff tasklist loads it: state=all, every page of 200.
      const wholeList = async () => {
        const t0 = performance.now();
        let cursor: string | null = null;
        let n = 0;
        do {
          const res: Response = await fetch(`${url}/api/v1/tasks?state=all&limit=200${cursor ? `&cursor=${cursor}` : ''}`, { headers: { cookie: hrss } });
          if (!res.ok) throw new Error(`whole list: ${res.status}`);
          n += ((await res.json()) as unknown[]).length;
          cursor = res.headers.get('x-next-cursor');
        } while (cursor);
        return { ms: performance.now() - t0, n };
      };
      const wholeShort: number[] = [];
      for (let i = 0; i < 5; i++) wholeShort.push((await wholeList()).ms);
      // A long queue: LONG open cases of the department on top of the 100k (a first page reads the
      // order of all of the department's open tasks; the later pages of a pass read only their own).
      const { _id: _drop, ...shape } = real;
      const dayBefore = new Date(Date.now() - 86_400_000);
      await bulkLoad(server, 0, LONG, (i) => ({
        ...shape, _id: new ObjectId(), no: `CZ2024${String(i).padStart(8, '0')}`, createdAt: dayBefore, updatedAt: dayBefore,
        tasks: (shape.tasks as { id: string }[]).map((t) => ({ ...t, id: `${t.id}-long-${i}` })),
      }));
      const long: number[] = [];
      for (let i = 0; i < OPEN; i++) {
        const r = await timed('long queue', () => fetch(`${url}/api/v1/tasks?limit=50`, { headers: { cookie: hrss } }));
        if ((r.body as unknown[]).length !== 50) throw new Error('long queue: not a full page');
        long.push(r.ms);
      }
      const wholeLong: number[] = [];
      let listed = 0;
      for (let i = 0; i < 5; i++) { const w = await wholeList(); wholeLong.push(w.ms); listed = w.n; }
      if (listed < LONG) throw new Error(`whole list: ${listed} tasks, fewer than the ${LONG} open`);

      const results: BenchResult[] = [];
      const note = `real server in-process, embedded database; finished cases of ${docBytes} B JSON each; ${OPEN} open tasks in the queue at every size; seeding ${seeding.join(', ')}`;
      for (const size of SIZES) {
        results.push(compare({
          name: `staff queue GET /tasks at ${size / 1000}k cases (vs 1k)`, unit: 'ms', samples: queue[size]!, baselineSamples: queue[SIZES[0]!]!, baselineName: 'same at 1k cases',
          target: size === SIZES[0] ? undefined : { on: 'ratio', op: '<=', value: 2 }, note: size === SIZES[0] ? note : undefined,
        }));
      }
      for (const size of SIZES) {
        results.push(compare({
          name: `engine step POST /tasks/:id/complete at ${size / 1000}k cases (vs 1k)`, unit: 'ms', samples: step[size]!, baselineSamples: step[SIZES[0]!]!, baselineName: 'same at 1k cases',
          target: size === SIZES[0] ? undefined : { on: 'ratio', op: '<=', value: 2 },
          note: size === SIZES[0] ? `sequential, one at a time; median ${median(step[size]!).toFixed(1)} ms` : undefined,
        }));
      }
      results.push(compare({
        name: `staff queue GET /tasks with ${LONG} open cases (vs ${OPEN}, both at 100k)`, unit: 'ms', samples: long, baselineSamples: queue[SIZES.at(-1)!]!, baselineName: `${OPEN} open cases`,
        note: 'first page (limit 50); informative, no target: a first page reads the order of every open task of the department',
      }));
      results.push(compare({
        name: `whole staff tasklist (state=all, pages of 200) with ${LONG} open cases (vs ${OPEN})`, unit: 'ms', samples: wholeLong, baselineSamples: wholeShort, baselineName: `${OPEN} open cases`,
        note: `${listed} tasks; what the tasklist page loads; informative, no target: the first page reads the whole queue's order, each later page of the pass only its own tasks`,
      }));
      return results;
    } finally {
      console.log = log;
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
export default bench;
