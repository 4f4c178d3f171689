/**
 * `npx tsx bench/latency.ts [--rate 100] [--seconds 10] [--runs 1]`: only the open-loop rounds of
 * `server.bench.ts` (#24), with where their requests waited — a minute instead of the whole
 * server benchmark, for looking into the latency. The database in its own process (`npm run
 * db`), the server (esbuild bundle) against it, as the benchmark's rows; a warm-up at the same
 * rate first (not reported: the first seconds of a new process are JIT and pool growth). Each run
 * prints the submissions' and the completions' round: p50, p99, max from the scheduled send, and
 * the event loops, GC, fsyncs and per-request split (bench/stalls.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadCity } from '@lianban/templates';
import { childLogin, startChild, startDbChild } from '@lianban/test/server/child-server';
import { attempt } from './lib';
import { openLoop } from './open-loop';
import { BENCH_METRICS_TOKEN } from './probe';
import { describeOpenRound, openLoad, stop, TaskStock } from './server.bench';

const { values: args } = parseArgs({ options: { rate: { type: 'string', default: '100' }, seconds: { type: 'string', default: '10' }, runs: { type: 'string', default: '1' } } });
const open = { rate: Number(args.rate), seconds: Number(args.seconds), drainSeconds: 30 };

const dirs = [0, 1].map(() => fs.mkdtempSync(path.join(os.tmpdir(), 'lianban-latency-')));
const children: import('node:child_process').ChildProcess[] = [];
try {
  const db = await startDbChild(dirs[0]!);
  children.push(db.child);
  const server = await startChild(dirs[1]!, { LIANBAN_METRICS_TOKEN: BENCH_METRICS_TOKEN, MONGODB_URI: db.uri });
  children.push(server.child);
  const { url } = server;
  const city = loadCity('changzhou');
  const form = city.forms.find((f) => f.key === 'changzhou-retirement')!;
  const body = JSON.stringify({ matter: 'changzhou-retirement', form: 'changzhou-retirement', data: { ...form.example, hasOnlyChildCertificate: false, onlyChildCertificateFile: undefined } });
  const session = await attempt('signing in', async () => ({ applicant: await childLogin(url, 'changzhou.applicant'), hrss: await childLogin(url, 'changzhou.hrss') }));
  const stock = new TaskStock(url, session.get().applicant, session.get().hrss, body);
  // warm-up: 3 s of submissions at the rate (their cases feed the completions)
  await openLoop({
    url, rate: open.rate, seconds: 3, method: 'POST', path: () => '/api/v1/cases', headers: { 'content-type': 'application/json', cookie: session.get().applicant }, body,
    onAnswer: (status, text) => { if (status === 201) stock.addCase((JSON.parse(text) as { no: string }).no); },
  });
  for (let run = 1; run <= Number(args.runs); run++) {
    const r = await openLoad(url, body, 'latency', session, stock, db.uri, open, { server: server.child.pid!, database: db.child.pid!, bench: process.pid });
    for (const [what, a] of [['POST /cases', r.submits], ['POST /tasks/:id/complete', r.completes]] as const) {
      console.log(`run ${run}, ${what}: ${a.ok ? describeOpenRound(a.get()) : `FAILED: ${a.error}`}\n`);
    }
  }
} finally {
  for (const c of children.reverse()) await stop(c);
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
}
