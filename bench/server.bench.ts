/**
 * The HTTP API under load, on loopback: the real server in a child process (embedded database,
 * demo templates), autocannon in this one.
 * - submissions: `POST /cases` with the 常州 example, 50 connections — req/s, p50, p99 (target p99 ≤ 50 ms)
 * - completions: `POST /tasks/:id/complete` of distinct open tasks — req/s (target ≥ 300/s), p50, p99
 * Baseline in the same run: the raw engine step (`complete` on the 常州 flow, in-process) — the
 * ratio shows what the HTTP, auth, validation and database layers cost per step.
 * Both loads run twice: with the embedded database inside the server process (`npm start`), and
 * with it in a process of its own (`npm run db` + MONGODB_URI, as in production, where the
 * database has its own machine); the second set's baseline is the first.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { complete, deploy, start, type FlowState } from '@lianban/runtime';
import { loadCity } from '@lianban/templates';
import { childLogin, startChild, startDbChild } from '@lianban/test/server/child-server';
import { compare, opsPerSecond, repeat, type Benchmark } from './lib';

const login = childLogin;

interface Load { submits: autocannon.Result[]; completes: autocannon.Result[] }

/** Three rounds of submissions, then three rounds of completions, against the server at `url`. */
async function load(url: string, body: string): Promise<Load> {
  const applicant = await login(url, 'changzhou.applicant');
  const submits: autocannon.Result[] = [];
  for (let round = 0; round < 3; round++) {
    const r = await autocannon({
      url: `${url}/api/v1/cases`, method: 'POST', connections: 50, duration: 4,
      headers: { 'content-type': 'application/json', cookie: applicant }, body,
    });
    if (r.non2xx) throw new Error(`${r.non2xx} submissions failed`);
    submits.push(r);
  }
  const hrss = await login(url, 'changzhou.hrss');
  const tasks = (await (await fetch(`${url}/api/v1/tasks`, { headers: { cookie: hrss } })).json() as { id: string }[]).map((t) => t.id);
  let next = 0;
  const completes: autocannon.Result[] = [];
  for (let round = 0; round < 3; round++) {
    const r = await autocannon({
      // by duration, not amount: autocannon ends an amount-bound run on a whole-second tick
      url, connections: 20, duration: 2,
      requests: [{
        method: 'POST', headers: { 'content-type': 'application/json', cookie: hrss },
        setupRequest: (req) => ({ ...req, path: `/api/v1/tasks/${tasks[next++]}/complete`, body: JSON.stringify({ outcome: 'approved' }) }),
      }],
    });
    if (r.non2xx) throw new Error(`${r.non2xx} completions failed${next > tasks.length ? ` (ran out of the ${tasks.length} open tasks)` : ''}`);
    completes.push(r);
  }
  return { submits, completes };
}

async function stop(child: import('node:child_process').ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

const bench: Benchmark = {
  name: 'HTTP API under load',
  async run() {
    const dirs = [0, 1, 2].map(() => fs.mkdtempSync(path.join(os.tmpdir(), 'lianban-bench-')));
    const city = loadCity('changzhou');
    const form = city.forms.find((f) => f.key === 'changzhou-retirement')!;
    const data = { ...form.example, hasOnlyChildCertificate: false, onlyChildCertificateFile: undefined };
    const body = JSON.stringify({ matter: 'changzhou-retirement', form: 'changzhou-retirement', data });
    const children: import('node:child_process').ChildProcess[] = [];
    try {
      // 1. the database inside the server process
      const one = await startChild(dirs[0]!);
      children.push(one.child);
      const inProcess = await load(one.url, body);
      await stop(one.child);
      // 2. the database in a process of its own
      const db = await startDbChild(dirs[1]!);
      children.push(db.child);
      const two = await startChild(dirs[2]!, { MONGODB_URI: db.uri });
      children.push(two.child);
      const separate = await load(two.url, body);

      // baseline: one engine step on the same flow, in-process
      const { definition } = await deploy(city.flows.find((f) => f.key === 'changzhou-retirement')!.xml);
      let started = start(definition!, data, { items: ['retirement-approval', 'pension-determination', 'retirement-certificate'] });
      // the push on receipt is a service task the server completes at once
      for (let s = started.waits.find((w) => w.kind === 'serviceTask'); s; s = started.waits.find((w) => w.kind === 'serviceTask')) {
        started = complete(definition!, started.state, s.id, { outcome: 'pushed' });
      }
      const waitId = started.waits.find((w) => w.kind === 'userTask')!.id;
      const stateJson = JSON.stringify(started.state);
      const engineSteps = await repeat(3, () => opsPerSecond(() => JSON.stringify(complete(definition!, JSON.parse(stateJson) as FlowState, waitId, { outcome: 'approved' }).state)));

      const total = (rs: autocannon.Result[]) => rs.reduce((n, r) => n + r.requests.total, 0);
      const note = (l: Load) => `autocannon on loopback, server in a child process (2 cores shared); 3 rounds: ${total(l.submits)} submissions, ${total(l.completes)} completions`;
      const rps = (rs: autocannon.Result[]) => rs.map((r) => r.requests.average);
      const p = (rs: autocannon.Result[], k: 'p50' | 'p99') => rs.map((r) => r.latency[k]);
      const vs = { baselineName: 'database in the server process' };
      return [
        compare({ name: 'POST /cases (submit) req/s, 50 connections', unit: 'req/s', samples: rps(inProcess.submits), note: note(inProcess) }),
        compare({ name: 'POST /cases p50 latency', unit: 'ms', samples: p(inProcess.submits, 'p50') }),
        compare({ name: 'POST /cases p99 latency, 50 concurrent', unit: 'ms', samples: p(inProcess.submits, 'p99'), target: { on: 'value', op: '<=', value: 50 } }),
        compare({
          name: 'POST /tasks/:id/complete req/s vs raw engine step', unit: 'req/s', samples: rps(inProcess.completes),
          baselineSamples: engineSteps, baselineName: 'engine complete() in-process', target: { on: 'value', op: '>=', value: 300 },
        }),
        compare({ name: 'POST /tasks/:id/complete p50 latency', unit: 'ms', samples: p(inProcess.completes, 'p50') }),
        compare({ name: 'POST /tasks/:id/complete p99 latency', unit: 'ms', samples: p(inProcess.completes, 'p99') }),
        compare({ name: 'POST /cases req/s, database in its own process', unit: 'req/s', samples: rps(separate.submits), baselineSamples: rps(inProcess.submits), ...vs, note: `npm run db + MONGODB_URI; ${note(separate)}` }),
        compare({ name: 'POST /cases p99 latency, database in its own process', unit: 'ms', samples: p(separate.submits, 'p99'), baselineSamples: p(inProcess.submits, 'p99'), ...vs, target: { on: 'value', op: '<=', value: 50 } }),
        compare({ name: 'POST /tasks/:id/complete req/s, database in its own process', unit: 'req/s', samples: rps(separate.completes), baselineSamples: rps(inProcess.completes), ...vs, target: { on: 'value', op: '>=', value: 300 } }),
      ];
    } finally {
      for (const c of children.reverse()) await stop(c);
      for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    }
  },
};
export default bench;
