/**
 * `npx tsx bench/db-hot.ts [--requests 300] [--concurrency 10] [--cpu-prof] [--db-src src]`: where the embedded
 * database's CPU goes under the server's hot path (issue #24). The database runs in a process
 * of its own (`npm run db`, as in production), the server in another (MONGODB_URI), and this
 * one only sends requests: submissions (`POST /cases`, 常州 example), queue look-ups
 * (`GET /tasks?q=<case no>`) and completions (`POST /tasks/:id/complete`), `concurrency` at a
 * time. Before and after each phase it reads the database's `serverStatus.lianban` (its CPU time
 * and the time per command; embedded-db/src/stats.ts) and prints, per request: database CPU,
 * commands received, and per command type the count and µs. `--cpu-prof` writes the database's
 * V8 CPU profile into `$TMPDIR/lianban-db-prof/` (open it in Chrome DevTools → Performance, or speedscope).
 * Not part of `npm run bench` (no baseline, one run): a profiling instrument. Figures from a
 * busy machine vary; compare before/after in the same conditions.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import mongoose from 'mongoose';
import { loadCity } from '@lianban/templates';
import { childLogin, startChild, waitForOutput } from '@lianban/test/server/child-server';
// eslint-disable-next-line import-x/no-relative-packages -- the database's build script, plain JS beside its workspace
import { dbBundle } from '../embedded-db/build.mjs';
import { stop } from './server.bench';

const { values: args } = parseArgs({
  options: {
    requests: { type: 'string', default: '300' },
    concurrency: { type: 'string', default: '10' },
    'cpu-prof': { type: 'boolean', default: false },
    /** Another copy of the database's sources under embedded-db/ (e.g. `src-base`, an older version for a before/after run). */
    'db-src': { type: 'string', default: 'src' },
  },
});
const N = Number(args.requests);
const C = Number(args.concurrency);
const repo = path.resolve(import.meta.dirname, '..');

interface Status { cpu: { user: number; system: number }; steps: Record<string, { count: number; micros: number }> }

async function parallel<T>(n: number, k: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(k, n) }, async () => {
    while (next < n) {
      const i = next++;
      out[i] = await fn(i);
    }
  }));
  return out;
}

const dbDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lianban-dbhot-db-'));
const serverDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lianban-dbhot-srv-'));
const profDir = path.join(os.tmpdir(), 'lianban-db-prof');
// `src` runs as `npm run db` does (the esbuild bundle, plain node); another copy of the sources runs through tsx
// (whose loader thread writes a profile of its own: take the database's main-thread file, the larger one)
const entry = args['db-src'] === 'src' ? [await dbBundle()] : ['--import', 'tsx', path.join(repo, 'embedded-db', args['db-src']!, 'cli.ts')];
const db = spawn(process.execPath, [...(args['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []), ...entry, '--port', '0', '--dbpath', dbDir, '--print-uri'], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
let server: ChildProcess | undefined;
let admin: mongoose.Connection | undefined;
try {
  const uri = (await waitForOutput(db, /URI: (mongodb:\/\/\S+)/, 'database'))[1]!;
  const started = await startChild(serverDir, { MONGODB_URI: uri });
  server = started.child;
  const url = started.url;
  admin = await mongoose.createConnection(uri).asPromise();
  const status = async (): Promise<Status> => (await admin!.db!.admin().command({ serverStatus: 1 })).lianban as Status;

  const applicant = await childLogin(url, 'changzhou.applicant');
  const hrss = await childLogin(url, 'changzhou.hrss');
  const form = loadCity('changzhou').forms.find((f) => f.key === 'changzhou-retirement')!;
  const body = JSON.stringify({ matter: 'changzhou-retirement', form: 'changzhou-retirement', data: { ...form.example, hasOnlyChildCertificate: false, onlyChildCertificateFile: undefined } });
  const send = async (method: string, p: string, cookie: string, payload?: string): Promise<unknown> => {
    const res = await fetch(`${url}${p}`, { method, headers: { 'content-type': 'application/json', cookie }, body: payload });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${text.slice(0, 200)}`);
    return JSON.parse(text);
  };
  const submit = () => send('POST', '/api/v1/cases', applicant, body).then((r) => (r as { no: string }).no);
  const taskOf = async (no: string) => {
    const tasks = (await send('GET', `/api/v1/tasks?q=${encodeURIComponent(no)}`, hrss)) as { id: string; state: string; outcomes: string[] }[];
    const t = tasks.find((x) => x.state === 'open' && x.outcomes.includes('approved'));
    if (!t) throw new Error(`case ${no}: no open approval task`);
    return t.id;
  };
  const complete = (id: string) => send('POST', `/api/v1/tasks/${id}/complete`, hrss, JSON.stringify({ outcome: 'approved' }));

  // warm-up: JIT and caches of both processes
  const warm = await parallel(40, C, () => submit());
  const warmTasks = await parallel(warm.length, C, (i) => taskOf(warm[i]!));
  await parallel(warmTasks.length, C, (i) => complete(warmTasks[i]!));

  const rows: { phase: string; requests: number; seconds: number; before: Status; after: Status }[] = [];
  const phase = async <T>(name: string, n: number, fn: (i: number) => Promise<T>): Promise<T[]> => {
    const before = await status();
    const t0 = performance.now();
    const out = await parallel(n, C, fn);
    const seconds = (performance.now() - t0) / 1000;
    rows.push({ phase: name, requests: n, seconds, before, after: await status() });
    return out;
  };
  const nos = await phase('submission POST /cases', N, () => submit());
  const tasks = await phase('queue look-up GET /tasks?q=', N, (i) => taskOf(nos[i]!));
  await phase('completion POST /tasks/:id/complete', N, (i) => complete(tasks[i]!));

  console.log(`\nmachine: ${os.cpus().length} cores, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}; ${N} requests per phase, ${C} at a time; database in its own process\n`);
  for (const r of rows) {
    const cpuMs = (r.after.cpu.user + r.after.cpu.system - r.before.cpu.user - r.before.cpu.system) / 1000;
    const lines: Record<string, { 'per request': string; 'µs each': string; 'µs per request': string }> = {};
    let commands = 0;
    let accounted = 0;
    for (const [name, a] of Object.entries(r.after.steps)) {
      const b = r.before.steps[name] ?? { count: 0, micros: 0 };
      const count = a.count - b.count - (name === 'serverStatus' ? 1 : 0);
      if (count <= 0) continue;
      const micros = a.micros - b.micros;
      if (!name.startsWith('(')) commands += count;
      accounted += micros;
      lines[name] = { 'per request': (count / r.requests).toFixed(2), 'µs each': (micros / count).toFixed(0), 'µs per request': (micros / r.requests).toFixed(0) };
    }
    lines['(other: event loop, GC, sockets, fsync calls)'] = { 'per request': '', 'µs each': '', 'µs per request': ((cpuMs * 1000 - accounted) / r.requests).toFixed(0) };
    console.log(`${r.phase}: ${(r.requests / r.seconds).toFixed(0)} req/s, database CPU ${(cpuMs / r.requests).toFixed(2)} ms per request, ${(commands / r.requests).toFixed(1)} commands per request`);
    console.table(lines);
  }
} finally {
  await admin?.close();
  if (server) await stop(server);
  await stop(db);
  fs.rmSync(dbDir, { recursive: true, force: true });
  fs.rmSync(serverDir, { recursive: true, force: true });
  if (args['cpu-prof']) console.log(`CPU profile of the database: ${profDir}`);
}
