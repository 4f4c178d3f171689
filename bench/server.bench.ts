/**
 * The HTTP API under load, on loopback: the real server in a child process (embedded database,
 * demo templates), autocannon in this one.
 * - submissions: `POST /cases` with the 常州 example, 50 connections — req/s, p50, p99 (no latency
 *   target in a closed loop: its latency is connections ÷ rate, Little's law)
 * - completions: `POST /tasks/:id/complete` of distinct open tasks — req/s (target ≥ 300/s), p50, p99
 * - per request, over the same rounds (probe.ts, #24): server CPU, database CPU, database round trips
 * - open loop (open-loop.ts, #24): 100 req/s for 10 s, submissions then completions, p50 and p99
 *   from the scheduled send time (target p99 ≤ 50 ms), database in its own process
 * The server children run the esbuild bundle, as `npm start` does (test/server/child-server.ts).
 * Baseline in the same run: the raw engine step (`complete` on the 常州 flow, in-process) — the
 * ratio shows what the HTTP, auth, validation and database layers cost per step.
 * Both loads run twice: with the embedded database inside the server process (`npm start`), and
 * with it in a process of its own (`npm run db` + MONGODB_URI, as in production, where the
 * database has its own machine); the second set's baseline is the first.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { complete, deploy, start, type FlowState } from '@lianban/runtime';
import { loadCity } from '@lianban/templates';
import { childLogin, startChild, startDbChild } from '@lianban/test/server/child-server';
import { attempt, compare, failedRow, opsPerSecond, repeat, row, type Attempt, type Benchmark } from './lib';
import { check, describe, pooledRounds, round, type PooledRounds, type Round } from './load';
import { describeOpenLoop, SLOW_MS, type OpenLoopResult } from './open-loop';
import { openLoopInChild, type ChildLoopOptions } from './open-loop-child';
import { describeSaturation, SaturationSampler, type Saturation } from './saturation';
import { describeStalls, StallProbe, type Stalls } from './stalls';
import { BENCH_METRICS_TOKEN, describeCommands, measure, perRequest, quiet, settle, type PerRequest, type Processes, type Quiet, type Window } from './probe';

const login = childLogin;

/**
 * Submissions: a warm-up round (not reported), then rounds bound by duration — and, on a machine
 * so busy that a request outlasts the round, by one answer per connection (see `minAnswers`).
 */
const SUBMIT = { connections: 50, seconds: 4, rounds: 3, warmupSeconds: 2 };
/**
 * Completions: each round ends after its duration or once its pool of open tasks is spent,
 * whichever comes first; the pool is sized from the rate of the round before (the first from a
 * warm-up round): rate × seconds × 2 + connections, at least 100, at most 4000 tasks.
 */
const COMPLETE = { connections: 20, seconds: 2, rounds: 3, warmup: { seconds: 1, pool: 200 }, policy: { margin: 2, floor: 100, ceiling: 4000 } };
/**
 * Open loop (#24): a fixed arrival rate for a fixed time, submissions then completions, latency
 * from each request's scheduled time (bench/open-loop.ts); with the database in its own process.
 */
const OPEN = { rate: 100, seconds: 10, drainSeconds: 30 };
/** Requests in flight while preparing tasks (not measured). */
const PREPARE_CONCURRENCY = 8;

interface Load {
  submits: Attempt<Round[]>;
  completes: Attempt<PooledRounds>;
  stock: TaskStock | null;
  /** What each measured round cost (probe.ts): CPU of the processes, database commands, answers. */
  cost: Attempt<Cost>;
  /** The open-loop rounds, when asked for. */
  open: OpenLoad | null;
}

/** An open-loop round, where its requests waited (stalls.ts) and whether the machine ran out of CPU meanwhile (saturation.ts). */
export type OpenRound = OpenLoopResult & { stalls: Stalls | null; saturation: Saturation | null };
export interface OpenLoad { submits: Attempt<OpenRound>; completes: Attempt<OpenRound>; settled?: { seconds: number; settled: boolean } }

/** Throws unless every request of an open-loop round was answered 2xx or is still out (then its latency is a lower bound). */
function checkOpen(what: string, r: OpenLoopResult): OpenLoopResult {
  if (Object.keys(r.failures).length || r.errors) throw new Error(`${what}: ${describeOpenLoop(r)}`);
  return r;
}

/** The windows of the measured rounds (warm-ups left out) and the quiet windows to subtract. */
interface Cost { quiet: Quiet; submits: Window[]; completes: Window[] }

/** The request keys of the probe's counters (`METHOD route status`, 2xx). */
const SUBMIT_KEY = 'POST /cases 2';
const COMPLETE_KEY = 'POST /tasks/:id/complete 2';

/** `fn` over `items`, `k` at a time. */
async function parallel<T, R>(items: T[], k: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(k, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  }));
  return out;
}

/**
 * The completion rounds' supply of open tasks: the first 市人社局 task (退休审批, outcome
 * `approved`) of cases submitted for the purpose — by the submission rounds, or here, when more
 * are needed. A task is handed out once; one taken but never sent comes back.
 */
export class TaskStock {
  /** Numbers of submitted cases whose task has not been looked up yet. */
  private cases: string[] = [];
  /** Open tasks never sent. */
  private ready: string[] = [];
  /** Cases submitted here (beyond the submission rounds) and tasks looked up, for the note. */
  topUp = 0;
  lookedUp = 0;

  constructor(private url: string, private applicant: string, private hrss: string, private body: string) {}

  addCase(no: string): void {
    this.cases.push(no);
  }

  async take(n: number): Promise<string[]> {
    while (this.ready.length < n) {
      const need = n - this.ready.length;
      if (this.cases.length < need) await this.submit(need - this.cases.length);
      const found = await parallel(this.cases.splice(0, need), PREPARE_CONCURRENCY, (no) => this.taskOf(no));
      this.lookedUp += found.length;
      this.ready.push(...found);
    }
    return this.ready.splice(0, n);
  }

  giveBack(tasks: string[]): void {
    this.ready.unshift(...tasks);
  }

  private async submit(n: number): Promise<void> {
    const nos = await parallel(Array.from({ length: n }, (_, i) => i), PREPARE_CONCURRENCY, async () => {
      const res = await fetch(`${this.url}/api/v1/cases`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: this.applicant }, body: this.body });
      const answer = await res.text();
      if (res.status !== 201) throw new Error(`preparing tasks: a submission answered ${res.status} ${answer.slice(0, 200)}`);
      return (JSON.parse(answer) as { no: string }).no;
    });
    this.topUp += n;
    this.cases.push(...nos);
  }

  /** The open approval task of case `no`, as the 市人社局 queue shows it. */
  private async taskOf(no: string): Promise<string> {
    const res = await fetch(`${this.url}/api/v1/tasks?q=${encodeURIComponent(no)}`, { headers: { cookie: this.hrss } });
    const answer = await res.text();
    if (res.status !== 200) throw new Error(`preparing tasks: the queue answered ${res.status} ${answer.slice(0, 200)}`);
    const task = (JSON.parse(answer) as { id: string; state: string; outcomes: string[] }[]).find((t) => t.state === 'open' && t.outcomes.includes('approved'));
    if (!task) throw new Error(`preparing tasks: case ${no} has no open task taking the outcome "approved"`);
    return task.id;
  }
}

/** Submission rounds, then completion rounds, against the server at `url`; each may fail on its own. */
async function load(procs: Processes, body: string, where: string, withOpenLoop = false, dbUri?: string): Promise<Load> {
  const { url } = procs;
  // the background and the price of a scrape, with no load (subtracted from each round's window)
  const q = await attempt(`${where}: measuring the quiet server`, () => quiet(procs, 2));
  const windows = { submits: [] as Window[], completes: [] as Window[] };
  const session = await attempt(`${where}: signing in`, async () => ({ applicant: await login(url, 'changzhou.applicant'), hrss: await login(url, 'changzhou.hrss') }));
  const stock = session.ok ? new TaskStock(url, session.get().applicant, session.get().hrss, body) : null;
  const submits = await attempt(`${where}: submissions`, async () => {
    const { applicant } = session.get();
    // each round (the warm-up too) lasts its duration and until each connection has had about one answer
    const submitRound = (seconds: number) => round({
      url, connections: SUBMIT.connections, seconds, minAnswers: SUBMIT.connections, method: 'POST', path: '/api/v1/cases',
      headers: { 'content-type': 'application/json', cookie: applicant }, body,
      // the cases submitted feed the completion rounds
      onAnswer: (status, text) => { if (status === 201) stock!.addCase((JSON.parse(text) as { no: string }).no); },
    });
    check('submissions, warm-up', await submitRound(SUBMIT.warmupSeconds));
    const rounds: Round[] = [];
    for (let i = 0; i < SUBMIT.rounds; i++) {
      const { value, window } = await measure(procs, () => submitRound(SUBMIT.seconds));
      rounds.push(check(`submissions, round ${i + 1} of ${SUBMIT.rounds}`, value));
      windows.submits.push(window);
    }
    return rounds;
  });
  const completes = await attempt(`${where}: completions`, () => {
    const { hrss } = session.get();
    return pooledRounds({
      what: 'completions', rounds: COMPLETE.rounds, seconds: COMPLETE.seconds, connections: COMPLETE.connections, warmup: COMPLETE.warmup, policy: COMPLETE.policy,
      take: (n) => stock!.take(n),
      giveBack: (tasks) => stock!.giveBack(tasks),
      run: async (pool, seconds, minAnswers) => {
        const { value, window } = await measure(procs, () => round({
          url, connections: COMPLETE.connections, seconds, minAnswers, method: 'POST', pool, path: (id) => `/api/v1/tasks/${id}/complete`,
          headers: { 'content-type': 'application/json', cookie: hrss }, body: JSON.stringify({ outcome: 'approved' }),
        }));
        windows.completes.push(window);
        return value;
      },
    });
  });
  // the first completion window is the warm-up's
  const cost = await attempt(`${where}: CPU and database commands`, () => ({ quiet: q.get(), submits: windows.submits, completes: windows.completes.slice(1) }));
  let open: OpenLoad | null = null;
  if (withOpenLoop) {
    // the closed loops' backlog of background work done first: the open loop measures the steady state at its rate
    const settled = await settle(procs);
    const pids = { server: procs.server, ...(procs.db ? { database: procs.db } : {}), bench: process.pid };
    open = { ...await openLoad(url, body, where, session, stock, dbUri, OPEN, pids), settled };
  }
  return { submits, completes, stock, cost, open };
}

/**
 * The open-loop rounds: submissions at OPEN.rate (their cases feed the completions), then as many
 * completions; each between two readings of where requests wait (stalls.ts: the server's metrics,
 * and the database's serverStatus when `dbUri` names its process).
 */
export async function openLoad(url: string, body: string, where: string, session: Attempt<{ applicant: string; hrss: string }>, stock: TaskStock | null, dbUri?: string, open = OPEN, pids?: Record<string, number>): Promise<OpenLoad> {
  const probe = await attempt(`${where}: reading the event loops`, () => StallProbe.open(url, dbUri));
  /** The sampler of the round running (saturation.ts). */
  let sampler: SaturationSampler | null = null;
  /** The round in a process of its own (open-loop-child.ts), watched by the round's sampler; `collected`: each collected field. */
  const inChild = async (o: ChildLoopOptions, collected?: (value: unknown) => void): Promise<OpenLoopResult> => {
    const { result, collected: values } = await openLoopInChild(o, (pid) => sampler?.watch('load generator', pid));
    if (collected) for (const v of values) collected(v);
    return result;
  };
  /** The round between two readings, the processes' CPU sampled meanwhile; without the probe, the round alone (its note then says so). */
  const around = async (route: string, fn: () => Promise<OpenLoopResult>): Promise<OpenRound> => {
    sampler = pids ? new SaturationSampler({ ...pids }) : null;
    const sampled = async () => {
      sampler?.start();
      try {
        return await fn();
      } finally {
        sampler?.stop();
      }
    };
    let value: OpenLoopResult;
    let stalls: Stalls | null = null;
    if (probe.ok) ({ value, stalls } = await probe.get().around(route, sampled));
    else value = await sampled();
    return { ...value, stalls, saturation: sampler ? (sampler as SaturationSampler).result(value.slow, value.startedAt) : null };
  };
  try {
    const submits = await attempt(`${where}: submissions, open loop`, async () => around('POST /cases', async () => checkOpen('submissions, open loop', await inChild({
      url, rate: open.rate, seconds: open.seconds, drainSeconds: open.drainSeconds, method: 'POST', paths: ['/api/v1/cases'],
      headers: { 'content-type': 'application/json', cookie: session.get().applicant }, body, collect: { status: 201, field: 'no' },
    }, (no) => stock!.addCase(no as string)))));
    const completes = await attempt(`${where}: completions, open loop`, async () => {
      // prepared before the round starts, not measured
      const tasks = await stock!.take(open.rate * open.seconds);
      return around('POST /tasks/:id/complete', async () => checkOpen('completions, open loop', await inChild({
        url, rate: open.rate, seconds: open.seconds, drainSeconds: open.drainSeconds, method: 'POST', paths: tasks.map((t) => `/api/v1/tasks/${t}/complete`),
        headers: { 'content-type': 'application/json', cookie: session.get().hrss }, body: JSON.stringify({ outcome: 'approved' }),
      })));
    });
    return { submits, completes };
  } finally {
    if (probe.ok) await probe.get().close();
  }
}

/** How long the open loop waited for the closed loops' background work to be done. */
const settledNote = (s: OpenLoad['settled']) => (!s ? '' : s.settled
  ? `started once the closed loops' background work was done (${s.seconds.toFixed(0)} s until both processes were under 10 % of a core for 2.5 s); `
  : `started after ${s.seconds} s although the closed loops' background work was not done (a process still over 10 % of a core); `);

/** An open-loop round's note: the round, then where its requests waited. */
export function describeOpenRound(r: OpenRound): string {
  return `${describeOpenLoop(r)}; ${r.stalls ? describeStalls(r.stalls) : 'event loops not read'}${r.saturation ? `; ${describeSaturation(r.saturation, SLOW_MS)}` : ''}`;
}

/** Stops a child process: SIGTERM, then SIGKILL after 10 s. */
export async function stop(child: import('node:child_process').ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  // one that does not end within 10 s is killed, so a stuck child cannot hold up the run
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
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
    const failedLoad = (server: Attempt<unknown>, withOpenLoop = false): Load => ({
      submits: server as Attempt<never>, completes: server as Attempt<never>, stock: null, cost: server as Attempt<never>,
      open: withOpenLoop ? { submits: server as Attempt<never>, completes: server as Attempt<never> } : null,
    });
    // the probe reads the server's counters (GET /metrics) and the processes' CPU time
    const metrics = { LIANBAN_METRICS_TOKEN: BENCH_METRICS_TOKEN };
    try {
      // 1. the database inside the server process
      const one = await attempt('starting the server', () => startChild(dirs[0]!, metrics));
      if (one.ok) children.push(one.get().child);
      const inProcess = one.ok ? await load({ url: one.get().url, server: one.get().child.pid! }, body, 'database in the server process') : failedLoad(one);
      if (one.ok) await stop(one.get().child);
      // 2. the database in a process of its own
      const two = await attempt('starting the database and the server', async () => {
        const db = await startDbChild(dirs[1]!);
        children.push(db.child);
        const server = await startChild(dirs[2]!, { ...metrics, MONGODB_URI: db.uri });
        children.push(server.child);
        return { ...server, db: db.child.pid!, dbUri: db.uri };
      });
      const separate = two.ok ? await load({ url: two.get().url, server: two.get().child.pid!, db: two.get().db }, body, 'database in its own process', true, two.get().dbUri) : failedLoad(two, true);

      // baseline: one engine step on the same flow, in-process
      const engineSteps = await attempt('engine baseline', async () => {
        const { definition } = await deploy(city.flows.find((f) => f.key === 'changzhou-retirement')!.xml);
        let started = start(definition!, data, { items: ['retirement-approval', 'pension-determination', 'retirement-certificate'] });
        // the push on receipt is a service task the server completes at once
        for (let s = started.waits.find((w) => w.kind === 'serviceTask'); s; s = started.waits.find((w) => w.kind === 'serviceTask')) {
          started = complete(definition!, started.state, s.id, { outcome: 'pushed' });
        }
        const waitId = started.waits.find((w) => w.kind === 'userTask')!.id;
        const stateJson = JSON.stringify(started.state);
        return repeat(3, () => opsPerSecond(() => JSON.stringify(complete(definition!, JSON.parse(stateJson) as FlowState, waitId, { outcome: 'approved' }).state)));
      });

      const total = (rs: Round[]) => rs.reduce((n, r) => n + r.ok, 0);
      const submitNote = (l: Load) => `autocannon on loopback, server in a child process (2 cores shared); ${SUBMIT.connections} connections, ${SUBMIT.rounds} rounds of ${SUBMIT.seconds} s after a ${SUBMIT.warmupSeconds}-s warm-up: ${l.submits.get().map(describe).join('; ')}; rate = answers ÷ seconds`;
      const completeNote = (l: Load) => {
        const c = l.completes.get();
        return `${COMPLETE.connections} connections, ${COMPLETE.rounds} rounds of ≤ ${COMPLETE.seconds} s, each ending when its duration or its pool of open tasks is spent; pools ${c.pools.join(' / ')} sized from the rate before (warm-up ${describe(c.warmup)}); ${c.rounds.map(describe).join('; ')}; ${total(c.rounds)} completions; rate = completions ÷ seconds actually taken; prepared: ${l.stock?.lookedUp ?? 0} tasks looked up, ${l.stock?.topUp ?? 0} cases submitted for them`;
      };
      const rps = (rs: Round[]) => rs.map((r) => r.rate);
      const p = (rs: Round[], k: 'p50' | 'p99') => rs.map((r) => r[k]).filter((x): x is number => x !== null);
      const maybe = <T>(a: Attempt<T>, f: (v: T) => number[]) => (a.ok ? f(a.get()) : undefined);
      const vs = { baselineName: 'database in the server process' };
      /** The per-request cost of each measured round of `kind`. */
      const costs = (l: Load, kind: 'submits' | 'completes'): PerRequest[] => {
        const c = l.cost.get();
        return c[kind].map((w) => perRequest(w, kind === 'submits' ? SUBMIT_KEY : COMPLETE_KEY, c.quiet));
      };
      const costNote = (l: Load, kind: 'submits' | 'completes') => {
        const c = l.cost.get();
        const per = costs(l, kind);
        return `user+system CPU of the process (/proc/<pid>/stat) over each measured round ÷ the 2xx answers the server counted (${per.map((x) => x.requests).join(' / ')}), less the background of a quiet window (${c.quiet.long.serverCpuMs} ms server CPU in ${c.quiet.long.seconds.toFixed(1)} s${c.quiet.long.dbCpuMs === null ? '' : `, ${c.quiet.long.dbCpuMs} ms database CPU`}); baseline: one engine step's CPU in the bench process`;
      };
      /** Baseline: one engine step (restore + complete + save) in ms of CPU, from its rate on one core. */
      const engineCpu = () => ({ baselineSamples: maybe(engineSteps, (xs) => xs.map((x) => 1000 / x)), baselineName: 'engine step CPU in-process' });
      /** A row from the measurements it needs; a failed one (`get()` throws) makes it a failed row. */
      const fig = (name: string, unit: string, rest: () => Omit<Parameters<typeof compare>[0], 'name' | 'unit'>) => row(name, unit, () => compare({ name, unit, ...rest() }));
      return [
        fig('POST /cases (submit) req/s, 50 connections', 'req/s', () => ({ samples: rps(inProcess.submits.get()), note: submitNote(inProcess) })),
        fig('POST /cases p50 latency', 'ms', () => ({ samples: p(inProcess.submits.get(), 'p50') })),
        // no target on closed-loop latency: with 50 connections it is 50 ÷ the rate (Little's law); the latency target is on the open-loop rows
        fig('POST /cases p99 latency, 50 concurrent', 'ms', () => ({ samples: p(inProcess.submits.get(), 'p99') })),
        fig('POST /tasks/:id/complete req/s vs raw engine step', 'req/s', () => ({
          samples: rps(inProcess.completes.get().rounds), baselineSamples: maybe(engineSteps, (x) => x), baselineName: 'engine complete() in-process',
          target: { on: 'value', op: '>=', value: 300 }, note: completeNote(inProcess),
        })),
        fig('POST /tasks/:id/complete p50 latency', 'ms', () => ({ samples: p(inProcess.completes.get().rounds, 'p50') })),
        fig('POST /tasks/:id/complete p99 latency', 'ms', () => ({ samples: p(inProcess.completes.get().rounds, 'p99') })),
        fig('POST /cases req/s, database in its own process', 'req/s', () => ({ samples: rps(separate.submits.get()), baselineSamples: maybe(inProcess.submits, rps), ...vs, note: `npm run db + MONGODB_URI; ${submitNote(separate)}` })),
        fig('POST /cases p99 latency, database in its own process', 'ms', () => ({ samples: p(separate.submits.get(), 'p99'), baselineSamples: maybe(inProcess.submits, (x) => p(x, 'p99')), ...vs })),
        fig('POST /tasks/:id/complete req/s, database in its own process', 'req/s', () => ({
          samples: rps(separate.completes.get().rounds), baselineSamples: maybe(inProcess.completes, (x) => rps(x.rounds)), ...vs,
          target: { on: 'value', op: '>=', value: 300 }, note: completeNote(separate),
        })),
        // #24: latency at a fixed arrival rate (open loop), database in its own process; baseline: the closed loop's p99 in the same process setting
        ...(['submits', 'completes'] as const).flatMap((kind) => {
          const what = kind === 'submits' ? 'POST /cases' : 'POST /tasks/:id/complete';
          const closed = (l: Load) => (kind === 'submits' ? l.submits.get() : l.completes.get().rounds);
          const r = () => separate.open![kind].get();
          return [
            fig(`${what} p50 latency, open loop ${OPEN.rate} req/s`, 'ms', () => ({ samples: [r().p50], note: `database in its own process; ${settledNote(separate.open!.settled)}${describeOpenRound(r())}` })),
            fig(`${what} p99 latency, open loop ${OPEN.rate} req/s`, 'ms', () => ({
              samples: [r().p99], baselineSamples: (kind === 'submits' ? separate.submits.ok : separate.completes.ok) ? p(closed(separate), 'p99') : undefined, baselineName: `closed loop p99 (${kind === 'submits' ? SUBMIT.connections : COMPLETE.connections} connections)`,
              target: { on: 'value', op: '<=', value: 50 },
              ...(r().stalls ? { note: `where the requests waited: ${describeStalls(r().stalls!)}${r().saturation ? `; ${describeSaturation(r().saturation!, SLOW_MS)}` : ''}` } : {}),
            })),
          ];
        }),
        // #24: what a request costs — CPU of each process and database commands, per request the server answered
        fig('server CPU per submission (ms), database in its own process', 'ms', () => ({
          samples: costs(separate, 'submits').map((c) => c.serverCpuMs), ...engineCpu(), note: costNote(separate, 'submits'),
        })),
        fig('server CPU per completion (ms), database in its own process', 'ms', () => ({
          samples: costs(separate, 'completes').map((c) => c.serverCpuMs), ...engineCpu(), target: { on: 'value', op: '<=', value: 4 }, note: costNote(separate, 'completes'),
        })),
        fig('database CPU per submission (ms), database in its own process', 'ms', () => ({
          samples: costs(separate, 'submits').map((c) => c.dbCpuMs!), ...engineCpu(),
        })),
        fig('database CPU per completion (ms), database in its own process', 'ms', () => ({
          samples: costs(separate, 'completes').map((c) => c.dbCpuMs!), ...engineCpu(), target: { on: 'value', op: '<=', value: 3 },
        })),
        fig('server + database CPU per completion (ms), database in the server process', 'ms', () => ({
          samples: costs(inProcess, 'completes').map((c) => c.serverCpuMs), ...engineCpu(), note: costNote(inProcess, 'completes'),
        })),
        fig('database round trips per submission', 'commands', () => ({
          samples: costs(separate, 'submits').map((c) => c.commands), target: { on: 'value', op: '<=', value: 4 },
          note: `commands the server sent to the database (driver command monitoring, lianban_db_commands_total) per submission answered, background subtracted: ${describeCommands(costs(separate, 'submits')[0]!.byCommand)} (first round); floor: one document write per step`,
        })),
        fig('database round trips per completion', 'commands', () => ({
          samples: costs(separate, 'completes').map((c) => c.commands), target: { on: 'value', op: '<=', value: 3 },
          note: `per completion answered, background subtracted: ${describeCommands(costs(separate, 'completes')[0]!.byCommand)} (first round); floor: one document write per step`,
        })),
        // the baseline's own failure, should it fail (the rows above then have no ratio)
        ...(engineSteps.ok ? [] : [failedRow('engine complete() in-process (baseline of the completions)', 'steps/s', engineSteps.error)]),
      ];
    } finally {
      for (const c of children.reverse()) await stop(c);
      for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    }
  },
};
export default bench;
