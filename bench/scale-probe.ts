/**
 * Where the scale bench's 100k time goes (#24), as counts and CPU rather than wall-clock:
 * `npx tsx bench/scale-probe.ts [sizes=1000,100000] [profileDir]`. The scale bench's seeding
 * (historical finished 常州 cases bulk-loaded into the in-process embedded store), then at each
 * size: per `GET /tasks` and per completion the wall time, this process's CPU (server and
 * database share it here), documents the tasklist filter's index plan proposes, whether a
 * compaction was running and how many records hold old versions (`Store.prune` walks them).
 * With a profile directory, a CPU profile of the measured rounds of the last size is written there.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Session } from 'node:inspector/promises';
import { ObjectId } from 'bson';
import { configFromEnv, startServer } from '@lianban/server';
import { candidates, DataView } from '@lianban/embedded-db';
import { loadCity } from '@lianban/templates';
import { median } from './lib';
import { bulkLoad, finishedClones, finishOpenCases, foldedSinceNow } from './scale-seed';

const sizes = (process.argv[2] ?? '1000,100000').split(',').map(Number);
const profDir = process.argv[3];
const OPEN = 30;
const PASSWORD = 'Bench-Scale-2026';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lianban-scale-probe-'));
const server = await startServer({ ...configFromEnv({}), port: 0, host: '127.0.0.1', dataDir, demo: true, demoPassword: PASSWORD, webRoot: '/nonexistent' });
const url = server.url;
const log = console.log;
console.log = (...args: unknown[]) => { if (!String(args[0]).startsWith('[通知')) log(...args); };
const login = async (username: string) => {
  const res = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
  return res.headers.get('set-cookie')!.split(';')[0]!;
};
const form = loadCity('changzhou').forms.find((f) => f.key === 'changzhou-retirement')!;
const body = JSON.stringify({ matter: 'changzhou-retirement', form: 'changzhou-retirement', data: { ...form.example, hasOnlyChildCertificate: false, onlyChildCertificateFile: undefined } });
const cases = server.db.connection!.collection('cases');
const state = server.db.embedded!.engine.state;
const applicant = await login('changzhou.applicant');
const hrss = await login('changzhou.hrss');
const json = (cookie: string) => ({ 'content-type': 'application/json', cookie });
const submit = async () => (await (await fetch(`${url}/api/v1/cases`, { method: 'POST', headers: json(applicant), body })).json()) as { id: string; no: string };

// full scans: a find over a large collection that no index narrows (the planner proposes no candidates)
const store = state.store as unknown as { history: Map<string, Set<string>>; pins: Map<number, number>; prune: () => void };
const durable = state.durable as unknown as { compaction: Promise<void> | null };
let pruneMs = 0;
let prunes = 0;
const origPrune = store.prune.bind(store);
store.prune = () => { const t = performance.now(); origPrune(); pruneMs += performance.now() - t; prunes++; };
const findOrig = DataView.prototype.find;
const scans = new Map<string, { n: number; ms: number }>();
let finds = 0;
DataView.prototype.find = function (this: DataView, n: string, filter?: Record<string, unknown>) {
  const coll = state.store.get(n);
  const t0 = performance.now();
  const out = findOrig.call(this, n, filter);
  if (coll && coll.count > 5000 && filter && !candidates(coll, filter)) {
    const k = `${n} ${JSON.stringify(filter).slice(0, 300)}`;
    const e = scans.get(k) ?? { n: 0, ms: 0 };
    e.n++; e.ms += performance.now() - t0;
    scans.set(k, e);
  }
  finds++;
  return out;
};

const real = await cases.findOne({ _id: new ObjectId((await submit()).id) });
const finished = finishedClones(real!);
for (let i = 0; i < 10; i++) await submit();
let have = await cases.countDocuments();
for (const size of sizes) {
  await bulkLoad(server, have, size - OPEN, finished);
  await finishOpenCases(server, 'changzhou');
  const mine = new Set<string>();
  for (let i = 0; i < OPEN; i++) mine.add((await submit()).no);
  have = await cases.countDocuments();
  await foldedSinceNow(server, 'changzhou');
  if (process.env.WAIT_COMPACTION) { const t = performance.now(); while (durable.compaction) await durable.compaction.catch(() => undefined); log(`  waited ${((performance.now() - t) / 1000).toFixed(1)} s for the compaction`); }
  const session = profDir && size === sizes.at(-1) ? new Session() : null;
  if (session) { session.connect(); await session.post('Profiler.enable'); await session.post('Profiler.start'); }
  const row = (what: string, send: () => Promise<Response>) => async () => {
    const c0 = process.cpuUsage(); const p0 = pruneMs; const f0 = finds; const t0 = performance.now();
    const compacting = !!durable.compaction;
    const hist = [...store.history.values()].reduce((a, s) => a + s.size, 0);
    const res = await send(); const out = await res.json();
    const ms = performance.now() - t0; const c = process.cpuUsage(c0);
    if (!res.ok) throw new Error(`${what} ${res.status} ${JSON.stringify(out)}`);
    return { ms, cpu: (c.user + c.system) / 1000, prune: pruneMs - p0, finds: finds - f0, compacting, hist, out };
  };
  const takeJournalTimes = async () => ((await server.db.connection!.db!.admin().command({ serverStatus: 1 })).lianban.journal) as { groups: number; syncMs: number; syncMaxMs: number };
  const j0 = await takeJournalTimes();
  const q = [];
  let open: { id: string; caseNo: string; state: string }[] = [];
  for (let i = 0; i < OPEN; i++) { const r = await row('queue', () => fetch(`${url}/api/v1/tasks?limit=200`, { headers: { cookie: hrss } }))(); q.push(r); open = r.out as typeof open; }
  log(`  queue length ${open.length}, of them this size's open: ${open.filter((t) => mine.has(t.caseNo) && t.state === 'open').length}`);
  const s = [];
  for (const t of open.filter((t) => mine.has(t.caseNo) && t.state === 'open')) s.push(await row('complete', () => fetch(`${url}/api/v1/tasks/${t.id}/complete`, { method: 'POST', headers: json(hrss), body: JSON.stringify({ outcome: 'approved' }) }))());
  const j1 = await takeJournalTimes();
  log(`  journal: ${j1.groups - j0.groups} fsyncs, mean ${((j1.syncMs - j0.syncMs) / Math.max(1, j1.groups - j0.groups)).toFixed(1)} ms, longest ${j1.syncMaxMs.toFixed(0)} ms`);
  if (session) {
    const { profile } = await session.post('Profiler.stop');
    fs.mkdirSync(profDir!, { recursive: true });
    fs.writeFileSync(path.join(profDir!, `scale-${size}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
  for (const [name, rs] of [['GET /tasks', q], ['complete', s]] as const) {
    log(`${size} ${name}: wall ${median(rs.map((r) => r.ms)).toFixed(1)} ms, cpu ${median(rs.map((r) => r.cpu)).toFixed(1)} ms, prune ${median(rs.map((r) => r.prune)).toFixed(2)} ms (${rs.reduce((a, r) => a + r.prune, 0).toFixed(0)} total), finds ${median(rs.map((r) => r.finds))}, compacting ${rs.filter((r) => r.compacting).length}/${rs.length}, history ${median(rs.map((r) => r.hist))}`);
  }
  for (const [k, e] of scans) log(`  full scan ×${e.n} (${e.ms.toFixed(0)} ms): ${k}`);
  scans.clear();
  log(`  prunes ${prunes}, heap ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`);
}
console.log = log;
await server.close();
fs.rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
