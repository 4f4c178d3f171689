/**
 * The scale-out harness (issue #12): the embedded database alone, three server processes on it
 * (started together on the empty database, demo mode), Debian's nginx in front; a mixed load
 * through nginx on one process, then on all three, then on all three while one is killed with
 * `kill -9` and restarted, then during a rolling restart (SIGTERM, one process at a time); a
 * small matter with a 4-second timer keeps timers coming due throughout. Afterwards the
 * database is checked (checks.ts) and a report is returned.
 *
 *   const report = await runScaleout();   // npm run scaleout prints it; test/scaleout/*.test.ts asserts it
 *
 * Also measured: how soon a publish on one process is used by new cases on the others.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { createModels, type Models } from '@lianban/server';
import { redactUri } from '@lianban/embedded-db';
import { trusted } from 'mongoose';
import { loadTemplates } from '@lianban/templates';
import { cpuSeconds, DatabaseProcess, findNginx, freePort, NginxProcess, PASSWORD, ServerProcess } from './cluster';
import { checkDatabase, type Check, type TimerSummary } from './checks';
import { Client, loadClients, MINI_MATTER, Recorder, TIMER_MATTER, RETRY_FIXES, runLoad, type Acknowledged, type Counts, type Outcome } from './load';

const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, '../server/fixtures', name), 'utf8');

export interface ScaleoutOptions {
  processes?: number;
  /** Seconds of load on one process, and on all (without faults), each in two halves taken in turn. */
  measureSeconds?: number;
  /** Seconds of load on all processes with one killed and restarted. */
  faultSeconds?: number;
  /** When, into the fault phase, the process is killed, and how long it stays dead. */
  killAfterSeconds?: number;
  deadSeconds?: number;
  /** Seconds of load on all processes before measuring (not reported). */
  warmSeconds?: number;
  /** Timer duration of the small matter (ISO 8601). */
  timer?: string;
  keepDir?: boolean;
  log?: (line: string) => void;
}

export interface PhaseReport {
  name: string;
  processes: number;
  seconds: number;
  counts: Counts;
  /** Answered requests per second (every class), and successful ones of each kind per second. */
  rps: number;
  okPerSecond: Record<string, number>;
  p50: Record<string, number>;
  p95: Record<string, number>;
  /** CPU used during the phase, in percent of one core: database, each server, nginx, the load clients. */
  cpu: Record<string, number>;
  samples: string[];
}

export interface Report {
  phases: PhaseReport[];
  /** Fault phase: outcomes a client saw, by class (all requests). */
  faultOutcomes: Partial<Record<Outcome, number>>;
  kill: { pid: number; killedAtMs: number; deadMs: number; restartMs: number; newPid: number };
  propagation: { rounds: { process: number; publisher: boolean; cases: number; staleCases: number; staleMs: number; firstNewMs: number }[] };
  timers: TimerSummary;
  cases: number;
  checks: Check[];
  dir: string;
  nginxErrors: string[];
  /** Submissions retried with their Idempotency-Key, and retries the server answered with the earlier case. */
  retried: number;
  replayed: number;
  /** The machine's load average (1 min) when the harness started and ended: other work skews the figures. */
  loadAverage: [number, number];
}

function percentile(values: number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!);
}

type CpuSnapshot = Record<string, number>;

function phaseReport(name: string, processes: number, seconds: number, rec: Recorder, cpu: CpuSnapshot): PhaseReport {
  const okPerSecond: Record<string, number> = {};
  const p50: Record<string, number> = {};
  const p95: Record<string, number> = {};
  for (const [kind, byOutcome] of Object.entries(rec.counts)) {
    okPerSecond[kind] = Math.round(((byOutcome.ok ?? 0) / seconds) * 10) / 10;
    p50[kind] = percentile(rec.latencies[kind] ?? [], 50);
    p95[kind] = percentile(rec.latencies[kind] ?? [], 95);
  }
  return { name, processes, seconds: Math.round(seconds * 10) / 10, counts: rec.counts, rps: Math.round((rec.total() / seconds) * 10) / 10, okPerSecond, p50, p95, cpu: Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, Math.round((v / seconds) * 100)])), samples: rec.samples };
}

/** Publishes the small timer matter (or a new version of `key`) as the city administrator. */
async function publishMatter(admin: Client, key: string, title: string, timer: string): Promise<number> {
  const must = async (method: string, route: string, body?: unknown) => {
    const res = await admin.call(method, route, body, 'publish');
    if (res.outcome !== 'ok') throw new Error(`${method} ${route}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  await must('PUT', '/admin/forms/mini-form', { title: '小申请表', schema: JSON.parse(fixture('mini-form.json')) });
  await must('PUT', `/admin/flows/${key}-flow`, { title: '超时升级', xml: fixture('timer.bpmn').replaceAll('PT1H', timer) });
  await must('PUT', `/admin/matters/${key}`, {
    title, forms: [{ key: 'mini-form' }], flow: `${key}-flow`,
    linkedItems: [{ key: 'retirement-approval', title: '退休审批', department: 'hrss', mandatory: true }, { key: 'housing-fund-withdrawal', title: '公积金提取', department: 'housing-fund' }],
  });
  return (await must('POST', `/admin/matters/${key}/publish`)).version;
}

/**
 * A publish on process A while new cases are started on every process, from 0.7 s before it to
 * 1.5 s after it. Measured with the server's own clock: how long after the publish (the new version's publishedAt) each process
 * still started a case on the old version (`staleMs`, -1 for none) and when it first started one
 * on the new (`firstNewMs`; how soon depends on the requests' latency). The publish is "seen
 * within a second" when no case created more than 1000 ms after it used the old version. (The
 * reference, publishedAt, is taken before the publish commits: the publishing process itself
 * may start cases on the old version until the commit, a few ms later.)
 */
async function measurePropagation(servers: ServerProcess[], models: Models, rounds: number): Promise<Report['propagation']> {
  const admin = new Client(servers[0]!.url, 'luan.admin');
  await admin.login();
  const key = 'scale-propagation';
  const applicants = await Promise.all(servers.flatMap((s) => [0, 1].map(async () => {
    const c = new Client(s.url, 'luan.applicant');
    await c.login();
    return { server: s, client: c };
  })));
  const out: Report['propagation'] = { rounds: [] };
  const newCase = async (c: Client) => {
    const res = await c.call('POST', '/cases', { matter: key, form: 'mini-form', data: { name: '传播测试', idNumber: '341502196501150039' } });
    if (res.outcome !== 'ok') throw new Error(`POST /cases on ${c.base}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  };
  await publishMatter(admin, key, '传播测试事项', 'PT1H');
  for (let round = 0; round < rounds; round++) {
    // cases are started on every process all the time, from before the publish (so every cache
    // holds the old version) until 1.5 s after it
    const ids = new Map<string, ServerProcess>();
    let until = Infinity;
    const loops = Promise.all(applicants.map(async (a) => {
      while (performance.now() < until) ids.set(await newCase(a.client), a.server);
    }));
    await new Promise((r) => setTimeout(r, 700));
    const published = await admin.call('POST', `/admin/matters/${key}/publish`, undefined, 'publish');
    until = performance.now() + 1500;
    await loops;
    if (published.outcome !== 'ok') throw new Error(`publish: ${published.status} ${JSON.stringify(published.body)}`);
    const version = published.body.version as number;
    const at = (await models.MatterVersion.findOne({ tenant: 'luan', key, version }).lean())!.publishedAt.getTime();
    const docs = await models.Case.find({ _id: trusted({ $in: [...ids.keys()] }) }).select({ matter: 1, createdAt: 1 }).lean();
    for (const s of servers) {
      const mine = docs.filter((d) => ids.get(String(d._id)) === s);
      const stale = mine.filter((d) => d.matter.version !== version && d.createdAt.getTime() >= at).map((d) => d.createdAt.getTime() - at);
      const fresh = mine.filter((d) => d.matter.version === version).map((d) => d.createdAt.getTime() - at);
      out.rounds.push({ process: s.index, publisher: s === servers[0], cases: mine.length, staleCases: stale.length, staleMs: stale.length ? Math.max(...stale) : -1, firstNewMs: fresh.length ? Math.min(...fresh) : Infinity });
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return out;
}

export async function runScaleout(opts: ScaleoutOptions = {}): Promise<Report> {
  findNginx(); // fail at once, saying how to install it
  const log = opts.log ?? (() => {});
  const n = opts.processes ?? 3;
  const measure = opts.measureSeconds ?? 12;
  const faultSeconds = opts.faultSeconds ?? 30;
  const killAfter = opts.killAfterSeconds ?? 8;
  const dead = opts.deadSeconds ?? 4;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lianban-scaleout-'));
  const loadBefore = os.loadavg()[0]!;
  const db = new DatabaseProcess(path.join(dir, 'db'), dir);
  const servers: ServerProcess[] = [];
  let nginx: NginxProcess | undefined;
  let conn: mongoose.Connection | undefined;
  let failed = true;
  try {
    await db.start();
    log(`database: ${redactUri(db.uri)}`);
    conn = await mongoose.createConnection(db.uri, { serverSelectionTimeoutMS: 5000 }).asPromise();
    const models = createModels(conn);
    const ports = await Promise.all(Array.from({ length: n }, () => freePort()));
    servers.push(...ports.map((p, i) => new ServerProcess(i + 1, p, db.uri, dir)));
    // All at once on the empty database: demo seeding must happen once.
    await Promise.all(servers.map((s) => s.start()));
    log(`servers: ${servers.map((s) => `${s.index}=pid ${s.pid} ${s.url}${s.seeded() ? ' (seeded)' : ''}`).join(', ')}`);
    nginx = new NginxProcess(path.join(dir, 'nginx'), ports);
    await nginx.start();
    log(`nginx: ${nginx.urlOne} → process 1, ${nginx.urlAll} → all`);

    // setup through nginx: more staff for claim races, the timer matter
    const admin = new Client(nginx.urlAll, 'luan.admin');
    await admin.login();
    for (const u of ['luan.hrss2', 'luan.hrss3']) {
      const res = await admin.call('POST', '/admin/users', { username: u, displayName: `人社工作人员${u.slice(-1)}`, roles: ['staff'], departments: ['hrss'], password: PASSWORD });
      if (res.status !== 201) throw new Error(`create ${u}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    // the same small matter twice: staff work on the first (its timers race their completions),
    // nobody on the second (every one of its timers fires)
    await publishMatter(admin, MINI_MATTER, '超时小事项', opts.timer ?? 'PT4S');
    await publishMatter(admin, TIMER_MATTER, '超时督办小事项', opts.timer ?? 'PT4S');

    const propagation = await measurePropagation(servers, models, 3);
    log(`publish propagation: ${propagation.rounds.map((r) => `process ${r.process}: old version until ${r.staleMs} ms, new from ${r.firstNewMs} ms`).join('; ')}`);

    const clients = await loadClients(nginx.urlAll);
    const ack: Acknowledged = { cases: [], claims: [], completions: [], retried: 0, replayed: 0 };
    const phases: PhaseReport[] = [];
    const front = nginx;
    // CPU seconds so far per process; a server restarted during a phase counts its new process
    // only (the dead one's last seconds cannot be read any more)
    const pidsAt = new WeakMap<CpuSnapshot, number[]>();
    const snapshot = (): CpuSnapshot => {
      const snap = {
        database: cpuSeconds(db.pid),
        ...Object.fromEntries(servers.map((s) => [`server ${s.index}`, cpuSeconds(s.pid)])),
        nginx: cpuSeconds(front.pid),
        clients: process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6,
      };
      pidsAt.set(snap, servers.map((s) => s.pid ?? 0));
      return snap;
    };
    const since = (before: CpuSnapshot): CpuSnapshot => {
      const now = snapshot();
      const restarted = new Set(servers.filter((s, i) => pidsAt.get(before)?.[i] !== s.pid).map((s) => `server ${s.index}`));
      return Object.fromEntries(Object.entries(now).map(([k, v]) => [k, restarted.has(k) ? v : Math.max(0, v - (before[k] ?? 0))]));
    };

    // warm every process (JIT, compiled validators, deployed flows) before measuring
    await runLoad(clients, nginx.urlAll, (opts.warmSeconds ?? 4) * 1000, new Recorder(), ack);

    // 1 process and all processes in alternation (two rounds each), so that other work on the
    // machine and the growing database weigh on both alike
    const one = new Recorder();
    const all = new Recorder();
    const used = { one: {} as CpuSnapshot, all: {} as CpuSnapshot };
    const seconds = { one: 0, all: 0 };
    const add = (into: CpuSnapshot, more: CpuSnapshot) => { for (const [k, v] of Object.entries(more)) into[k] = (into[k] ?? 0) + v; };
    for (let round = 0; round < 2; round++) {
      for (const which of ['one', 'all'] as const) {
        const cpu = snapshot();
        const t = await runLoad(clients, which === 'one' ? nginx.urlOne : nginx.urlAll, (measure / 2) * 1000, which === 'one' ? one : all, ack);
        seconds[which] += t.seconds;
        add(used[which], since(cpu));
      }
    }
    phases.push(phaseReport('1 process', 1, seconds.one, one, used.one));
    phases.push(phaseReport(`${n} processes`, n, seconds.all, all, used.all));
    log(`1 process: ${phases[0]!.rps} req/s; ${n} processes: ${phases[1]!.rps} req/s`);

    // the fault phase: process 2 is killed with SIGKILL mid-load and restarted
    const fault = new Recorder();
    const victim = servers[1]!;
    const kill = { pid: victim.pid!, killedAtMs: 0, deadMs: 0, restartMs: 0, newPid: 0 };
    let deadWindow: [number, number] = [0, 0];
    const faults = (async () => {
      await new Promise((r) => setTimeout(r, killAfter * 1000));
      const killedAt = Date.now();
      await victim.kill9();
      kill.killedAtMs = killAfter * 1000;
      log(`killed process ${victim.index} (pid ${kill.pid}) with SIGKILL`);
      await new Promise((r) => setTimeout(r, dead * 1000));
      const restarting = Date.now();
      await victim.start();
      kill.deadMs = Date.now() - killedAt;
      kill.restartMs = Date.now() - restarting;
      kill.newPid = victim.pid!;
      deadWindow = [killedAt, Date.now()];
      log(`restarted process ${victim.index} (pid ${kill.newPid}) after ${kill.deadMs} ms`);
    })();
    const cpu = snapshot();
    const t = await runLoad(clients, nginx.urlAll, faultSeconds * 1000, fault, ack);
    await faults;
    phases.push(phaseReport(`${n} processes, one killed and restarted`, n, t.seconds, fault, since(cpu)));
    log(`fault phase: ${phases.at(-1)!.rps} req/s`);
    const faultOutcomes: Partial<Record<Outcome, number>> = {};
    for (const byOutcome of Object.values(fault.counts)) for (const [o, c] of Object.entries(byOutcome)) faultOutcomes[o as Outcome] = (faultOutcomes[o as Outcome] ?? 0) + c!;

    // a rolling restart under load, as an upgrade does it: each process in turn is stopped
    // with SIGTERM (it drains: no new connections, requests in progress finish) and started
    // again; nginx sends new requests to the others meanwhile (refused connections are retried
    // on the next process, POST included: nothing was sent)
    const rolling = new Recorder();
    const rollingCpu = snapshot();
    const restarts: number[] = [];
    const roll = (async () => {
      await new Promise((r) => setTimeout(r, 2000));
      for (const s of servers) {
        const started = Date.now();
        await s.stop();
        const stopped = Date.now();
        await s.start();
        restarts.push(Date.now() - started);
        log(`rolled process ${s.index} (now pid ${s.pid}) in ${Date.now() - started} ms (stopping ${stopped - started} ms)`);
        await new Promise((r) => setTimeout(r, 1000));
      }
    })();
    const rolled = await runLoad(clients, nginx.urlAll, 0, rolling, ack, roll);
    await roll;
    phases.push(phaseReport(`${n} processes, rolling restart (SIGTERM, one at a time)`, n, rolled.seconds, rolling, since(rollingCpu)));
    log(`rolling restart: ${phases.at(-1)!.rps} req/s`);

    // every timer comes due within seconds now that nobody completes tasks; a lease the killed
    // process held runs out after 30 s
    // (the propagation matter's one-hour timers are not waited for)
    const waitUntil = Date.now() + 60_000;
    const due = () => models.Timer.countDocuments({ firedAt: null, dueAt: trusted({ $lt: new Date(Date.now() + 60_000) }) });
    while (Date.now() < waitUntil && (await due()) > 0) await new Promise((r) => setTimeout(r, 1000));

    const demoMatters = loadTemplates().cities.flatMap((c) => c.matters.map((m) => `${c.key}/${m.key}`));
    const checked = await checkDatabase(models, ack, { demoMatters, deadWindow, loadMatters: [MINI_MATTER, TIMER_MATTER, 'changzhou-retirement'] });
    const checks = [...checked.checks];

    const answered = Object.values(faultOutcomes).reduce((a, b) => a + b!, 0);
    const allBad = phases.flatMap((p) => Object.entries(p.counts).flatMap(([kind, byOutcome]) => Object.entries(byOutcome).filter(([o]) => o !== 'ok' && !RETRY_FIXES.includes(o as Outcome)).map(([o, c]) => `${p.name}: ${kind} ${o} ×${c}`)));
    checks.push({
      name: 'clients saw only errors a retry fixes (no 500s, no unexpected 4xx)',
      ok: allBad.length === 0,
      detail: `fault phase: ${answered} requests — ${Object.entries(faultOutcomes).map(([o, c]) => `${o} ${c}`).join(', ')}${allBad.length ? `; not retryable: ${allBad.join('; ')}` : ''}`,
    });
    const others = propagation.rounds.filter((r) => !r.publisher);
    const worst = Math.max(...propagation.rounds.map((r) => r.staleMs));
    checks.push({
      name: 'a publish on one process is used by new cases on every process within a second',
      ok: worst <= 1000 && propagation.rounds.every((r) => Number.isFinite(r.firstNewMs)),
      detail: `${propagation.rounds.reduce((a, r) => a + r.cases, 0)} cases in ${propagation.rounds.length / servers.length} rounds; after the publish (its publishedAt, set before it commits) the other processes started cases on the old version until ${others.map((r) => r.staleMs).join(', ')} ms (worst ${worst} ms, -1: none) and on the new from ${others.map((r) => r.firstNewMs).join(', ')} ms; the publishing process: old until ${propagation.rounds.filter((r) => r.publisher).map((r) => r.staleMs).join(', ')} ms (while its publish committed)`,
    });
    // Expected: nothing fails. A 502 or reset is possible in principle (nginx reusing an idle
    // upstream connection at the instant the draining process closes it; marking the process
    // down in nginx first rules it out, docs/production.md) and is reported; anything a retry
    // does not fix fails the check.
    const failures = (retryable: boolean) => Object.entries(rolling.counts).flatMap(([kind, byOutcome]) => Object.entries(byOutcome)
      .filter(([o]) => o !== 'ok' && o !== 'conflict' && RETRY_FIXES.includes(o as Outcome) === retryable).map(([o, c]) => `${kind} ${o} ×${c}`));
    checks.push({
      name: 'a rolling restart (SIGTERM, one process at a time) fails no request beyond what a retry fixes',
      ok: failures(false).length === 0 && restarts.length === n,
      detail: `${rolling.total()} requests while ${restarts.length} processes were restarted in turn (${restarts.map((ms) => `${ms} ms`).join(', ')}): ${rolling.total('ok')} ok, ${rolling.total('conflict')} conflicts, ${failures(true).length ? `retryable failures: ${failures(true).join(', ')}` : 'no other failure'}${failures(false).length ? `; NOT retryable: ${failures(false).join(', ')}; ${rolling.samples.slice(0, 3).join(' | ')}` : ''}`,
    });
    checks.push({
      name: 'the killed process was restarted and served again',
      ok: kill.newPid !== 0 && (fault.total('ok') > 0),
      detail: `pid ${kill.pid} killed at ${kill.killedAtMs / 1000} s, back as pid ${kill.newPid} after ${kill.deadMs} ms (start-up ${kill.restartMs} ms)`,
    });
    const nginxErrors = nginx.errorLog().split('\n').filter((l) => /\[(error|crit|alert|emerg)\]/.test(l));
    failed = checks.some((c) => !c.ok);
    return { phases, faultOutcomes, kill, propagation, timers: checked.timers, cases: checked.cases, checks, dir, nginxErrors, retried: ack.retried, replayed: ack.replayed, loadAverage: [loadBefore, os.loadavg()[0]!] };
  } finally {
    await conn?.close().catch(() => {});
    await nginx?.stop();
    await Promise.all(servers.map((s) => s.stop()));
    await db.stop();
    if (!opts.keepDir && !failed) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The report as text (npm run scaleout prints it). */
export function formatReport(r: Report): string {
  const lines: string[] = [];
  const kinds = ['submit', 'claim', 'complete', 'tasks', 'list', 'view'];
  lines.push('联办 scale-out — throughput through nginx (successful requests per second; p50/p95 ms)');
  lines.push(`machine: ${os.cpus().length} cores, load average ${r.loadAverage[0].toFixed(1)} at the start, ${r.loadAverage[1].toFixed(1)} at the end${r.loadAverage[0] > os.cpus().length / 2 ? ' — other work was running: the figures are skewed' : ''}`);
  lines.push(`${'phase'.padEnd(44)} ${'all req/s'.padStart(9)}  ${kinds.map((k) => k.padStart(18)).join('')}`);
  for (const p of r.phases) {
    lines.push(`${p.name.padEnd(44)} ${String(p.rps).padStart(9)}  ${kinds.map((k) => `${p.okPerSecond[k] ?? 0} (${p.p50[k] ?? '-'}/${p.p95[k] ?? '-'})`.padStart(18)).join('')}`);
  }
  lines.push('CPU, % of one core: ' + r.phases.map((p) => `${p.name}: ${Object.entries(p.cpu).map(([k, v]) => `${k} ${v}`).join(', ')}`).join(' · '));
  const [one, all] = r.phases;
  if (one && all) {
    const ratio = (a: number, b: number) => (b ? (a / b).toFixed(2) : '-');
    lines.push(`ratio ${all.processes}:1 — all requests ${ratio(all.rps, one.rps)}, submissions ${ratio(all.okPerSecond.submit ?? 0, one.okPerSecond.submit ?? 0)}, completions ${ratio(all.okPerSecond.complete ?? 0, one.okPerSecond.complete ?? 0)} (2 cores shared by the database, the processes, nginx and the load)`);
  }
  lines.push('');
  lines.push(`fault phase outcomes: ${Object.entries(r.faultOutcomes).map(([o, c]) => `${o} ${c}`).join(', ')}`);
  const fault = r.phases[2];
  if (fault) for (const [kind, byOutcome] of Object.entries(fault.counts)) lines.push(`  ${kind.padEnd(9)} ${Object.entries(byOutcome).map(([o, c]) => `${o} ${c}`).join(', ')}`);
  if (fault?.samples.length) lines.push(`  examples: ${fault.samples.slice(0, 8).join(' | ')}`);
  lines.push(`submissions sent again with their Idempotency-Key after an error: ${r.retried}, of which ${r.replayed} had been stored by the first attempt (answered with that case, no duplicate)`);
  lines.push(`kill: pid ${r.kill.pid} at ${r.kill.killedAtMs / 1000} s, dead ${r.kill.deadMs} ms, restarted as pid ${r.kill.newPid} (start-up ${r.kill.restartMs} ms)`);
  lines.push(`cases: ${r.cases}; timers: ${r.timers.total} (${r.timers.fired} fired, ${r.timers.cancelled} cancelled, ${r.timers.pending} pending; ${r.timers.dueWhileDead} due while a process was dead)`);
  lines.push(`publish propagation (server clock, ms after the publish): ${r.propagation.rounds.map((x) => `process ${x.process}${x.publisher ? ' (publisher)' : ''}: old until ${x.staleMs}, new from ${x.firstNewMs} (${x.cases} cases)`).join('; ')}`);
  if (r.nginxErrors.length) lines.push(`nginx error log (${r.nginxErrors.length} lines), e.g. ${r.nginxErrors.slice(0, 3).join(' | ')}`);
  lines.push('');
  for (const c of r.checks) lines.push(`${c.ok ? '✔' : '✘'} ${c.name}\n    ${c.detail}`);
  return lines.join('\n');
}
