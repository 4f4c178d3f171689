/**
 * The HTTP API under load, on loopback: the real server in a child process (embedded database,
 * demo templates), autocannon in this one.
 * - submissions: `POST /cases` with the 常州 example, 50 connections — req/s, p50, p99 (target p99 ≤ 50 ms)
 * - completions: `POST /tasks/:id/complete` of distinct open tasks — req/s (target ≥ 300/s), p50, p99
 * Baseline in the same run: the raw engine step (`complete` on the 常州 flow, in-process) — the
 * ratio shows what the HTTP, auth, validation and database layers cost per step.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { complete, deploy, start, type FlowState } from '@lianban/runtime';
import { loadCity } from '@lianban/templates';
import { childLogin, startChild } from '@lianban/test/server/child-server';
import { compare, opsPerSecond, repeat, type Benchmark } from './lib';

const login = childLogin;

const bench: Benchmark = {
  name: 'HTTP API under load',
  async run() {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lianban-bench-'));
    const city = loadCity('changzhou');
    const form = city.forms.find((f) => f.key === 'changzhou-retirement')!;
    const data = { ...form.example, hasOnlyChildCertificate: false, onlyChildCertificateFile: undefined };
    const { child, url } = await startChild(dataDir);
    try {
      const applicant = await login(url, 'changzhou.applicant');
      // three rounds of each load; medians with min and max are reported
      const submits: autocannon.Result[] = [];
      for (let round = 0; round < 3; round++) {
        const r = await autocannon({
          url: `${url}/api/v1/cases`, method: 'POST', connections: 50, duration: 4,
          headers: { 'content-type': 'application/json', cookie: applicant },
          body: JSON.stringify({ matter: 'changzhou-retirement', form: 'changzhou-retirement', data }),
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
          url, connections: 20, amount: Math.min(Math.floor(tasks.length / 3), 1000),
          requests: [{
            method: 'POST', headers: { 'content-type': 'application/json', cookie: hrss },
            setupRequest: (req) => ({ ...req, path: `/api/v1/tasks/${tasks[next++]}/complete`, body: JSON.stringify({ outcome: 'approved' }) }),
          }],
        });
        if (r.non2xx) throw new Error(`${r.non2xx} completions failed`);
        completes.push(r);
      }

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
      const note = `autocannon on loopback, server in a child process (2 cores shared); 3 rounds: ${total(submits)} submissions, ${total(completes)} completions`;
      return [
        compare({ name: 'POST /cases (submit) req/s, 50 connections', unit: 'req/s', samples: submits.map((r) => r.requests.average), note }),
        compare({ name: 'POST /cases p50 latency', unit: 'ms', samples: submits.map((r) => r.latency.p50) }),
        compare({ name: 'POST /cases p99 latency, 50 concurrent', unit: 'ms', samples: submits.map((r) => r.latency.p99), target: { on: 'value', op: '<=', value: 50 } }),
        compare({
          name: 'POST /tasks/:id/complete req/s vs raw engine step', unit: 'req/s', samples: completes.map((r) => r.requests.average),
          baselineSamples: engineSteps, baselineName: 'engine complete() in-process', target: { on: 'value', op: '>=', value: 300 },
        }),
        compare({ name: 'POST /tasks/:id/complete p50 latency', unit: 'ms', samples: completes.map((r) => r.latency.p50) }),
        compare({ name: 'POST /tasks/:id/complete p99 latency', unit: 'ms', samples: completes.map((r) => r.latency.p99) }),
      ];
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
export default bench;
