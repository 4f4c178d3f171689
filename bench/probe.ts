/**
 * What a load round cost the server and the database (#24): CPU time of each child process and
 * the database commands the server sent, per request answered.
 *
 * - CPU: user + system time of a process, from `/proc/<pid>/stat` (fields 14 and 15, all its
 *   threads: the event loop, libuv's pool — fsync —, the garbage collector). Linux only; elsewhere
 *   the figure fails saying so. Resolution: one clock tick (10 ms), hence rounds of hundreds of
 *   requests.
 * - Commands and requests: the server's own Prometheus counters (`GET /api/v1/metrics`, the child
 *   runs with `LIANBAN_METRICS_TOKEN`): `lianban_db_commands_total{command}` counts every command
 *   the MongoDB driver sends (command monitoring, http/metrics.ts) — what the database receives,
 *   heartbeats aside —, `lianban_http_requests_total{method,route,status}` every answer the server
 *   made. Dividing by the server's count rather than by the load tool's means requests the tool
 *   gave up on at the end of a round (the server still does their work) are counted too.
 *
 * `measure(p, fn)` takes a snapshot before and after `fn`. Background work the server does on its
 * own (scheduler, notifications) and the scrapes themselves fall into the window too: `quiet()`
 * measures them with no load, and `perRequest` subtracts them.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/** The bearer token the bench's server children run with (`LIANBAN_METRICS_TOKEN`). */
export const BENCH_METRICS_TOKEN = 'bench-metrics-token';

let ticksPerSecond: number | undefined;
/** Clock ticks per second of /proc's CPU times (`getconf CLK_TCK`, 100 when unknown). */
export function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** CPU time (user + system) process `pid` has used so far, in ms. */
export function cpuMs(pid: number): number {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the CPU time of process ${pid} (/proc/${pid}/stat: Linux only): ${(error as Error).message}`, { cause: error });
  }
  // field 2 (the command) is in parentheses and may hold spaces; field 3 follows the last ')'
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error(`unexpected /proc/${pid}/stat: ${stat.slice(0, 200)}`);
  return ((utime + stime) * 1000) / clockTicks();
}

export interface Counters {
  /** Commands sent to the database, by command name. */
  commands: Record<string, number>;
  /** Answers, by `METHOD route status` (route template as the metrics name it, e.g. `POST /cases 201`). */
  requests: Record<string, number>;
}

const LINE = /^(lianban_db_commands_total|lianban_http_requests_total)\{([^}]*)\}\s+([0-9.e+-]+)$/;
const LABEL = /(\w+)="((?:[^"\\]|\\.)*)"/g;

/** Reads the server's counters (`GET /api/v1/metrics`). */
export async function scrape(url: string, token = BENCH_METRICS_TOKEN): Promise<Counters> {
  const res = await fetch(`${url}/api/v1/metrics`, { headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET /api/v1/metrics answered ${res.status}: ${text.slice(0, 200)} (does the server run with LIANBAN_METRICS_TOKEN?)`);
  const out: Counters = { commands: {}, requests: {} };
  for (const line of text.split('\n')) {
    const m = LINE.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of m[2]!.matchAll(LABEL)) labels[l[1]!] = l[2]!;
    const n = Number(m[3]);
    if (m[1] === 'lianban_db_commands_total') out.commands[labels.command ?? '?'] = n;
    else out.requests[`${labels.method} ${labels.route} ${labels.status}`] = n;
  }
  return out;
}

/** The processes a window measures: the server, and the database when it runs on its own. */
export interface Processes {
  url: string;
  server: number;
  db?: number;
}

export interface Snapshot {
  at: number;
  serverCpu: number;
  dbCpu: number | null;
  counters: Counters;
}

export async function snapshot(p: Processes): Promise<Snapshot> {
  const counters = await scrape(p.url);
  return { at: performance.now(), serverCpu: cpuMs(p.server), dbCpu: p.db === undefined ? null : cpuMs(p.db), counters };
}

/** What happened between two snapshots. */
export interface Window {
  seconds: number;
  serverCpuMs: number;
  dbCpuMs: number | null;
  /** Commands by name. */
  commands: Record<string, number>;
  /** Answers by `METHOD route status`. */
  requests: Record<string, number>;
}

function diff(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(b)) {
    const d = v - (a[k] ?? 0);
    if (d > 0) out[k] = d;
  }
  return out;
}

export function delta(a: Snapshot, b: Snapshot): Window {
  return {
    seconds: (b.at - a.at) / 1000,
    serverCpuMs: b.serverCpu - a.serverCpu,
    dbCpuMs: a.dbCpu === null || b.dbCpu === null ? null : b.dbCpu - a.dbCpu,
    commands: diff(a.counters.commands, b.counters.commands),
    requests: diff(a.counters.requests, b.counters.requests),
  };
}

/** `fn` between two snapshots. */
export async function measure<T>(p: Processes, fn: () => Promise<T>): Promise<{ value: T; window: Window }> {
  const a = await snapshot(p);
  const value = await fn();
  const b = await snapshot(p);
  return { value, window: delta(a, b) };
}

/**
 * What the server and the database do with no load: a window with nothing in it (the cost of a
 * pair of scrapes: the metrics' gauges query the database) and a quiet one of `seconds` (plus
 * the background: the scheduler's lease, notifications…). A round's background is estimated as
 * the first plus the second's excess per second times the round's length.
 */
export interface Quiet {
  fixed: Window;
  long: Window;
}

export async function quiet(p: Processes, seconds: number): Promise<Quiet> {
  const fixed = (await measure(p, async () => {})).window;
  const long = (await measure(p, () => new Promise<void>((r) => setTimeout(r, seconds * 1000)))).window;
  return { fixed, long };
}

/**
 * Waits until the server and the database are back to idle: each under `share` of a core over
 * `windowMs` (2.5 s: longer than the 2-s ticks of the statistics folder and the notification
 * dispatcher, so a backlog worked off one tick at a time is not taken for idle between two ticks;
 * at most `maxSeconds`). The closed-loop rounds run at four times the open loop's rate
 * and leave their background work behind them (thousands of notifications to dispatch, SMS to
 * send, case changes to fold into the statistics); the open loop measures 100 req/s on a server
 * that is not still catching up with a load four times that.
 */
export async function settle(p: Processes, share = 0.1, maxSeconds = 60, windowMs = 2500): Promise<{ seconds: number; settled: boolean }> {
  const t0 = performance.now();
  while (performance.now() - t0 < maxSeconds * 1000) {
    const a = { s: cpuMs(p.server), d: p.db === undefined ? 0 : cpuMs(p.db), at: performance.now() };
    await new Promise((r) => setTimeout(r, windowMs));
    const ms = performance.now() - a.at;
    const busy = Math.max(cpuMs(p.server) - a.s, p.db === undefined ? 0 : cpuMs(p.db) - a.d);
    if (busy < share * ms) return { seconds: (performance.now() - t0) / 1000, settled: true };
  }
  return { seconds: maxSeconds, settled: false };
}

/** The background `pick` estimates for a window of `seconds` (see `Quiet`). */
function background(q: Quiet | null, seconds: number, pick: (w: Window) => number | null | undefined): number {
  if (!q) return 0;
  const f = pick(q.fixed) ?? 0;
  const l = pick(q.long) ?? 0;
  const rate = q.long.seconds > q.fixed.seconds ? Math.max(0, l - f) / (q.long.seconds - q.fixed.seconds) : 0;
  return f + rate * Math.max(0, seconds - q.fixed.seconds);
}

const sum = (xs: Record<string, number>) => Object.values(xs).reduce((n, x) => n + x, 0);

/** Answers in a window whose key starts with `prefix` (e.g. `POST /cases 2`: the 2xx answers of submissions). */
export function answers(w: Window, prefix: string): number {
  return sum(Object.fromEntries(Object.entries(w.requests).filter(([k]) => k.startsWith(prefix))));
}

/** Per-request costs of a round window, less the background of a quiet window scaled to its length. */
export interface PerRequest {
  requests: number;
  serverCpuMs: number;
  dbCpuMs: number | null;
  commands: number;
  /** Commands per request by name (background subtracted), for the notes: where the round trips go. */
  byCommand: Record<string, number>;
}

export function perRequest(w: Window, prefix: string, q: Quiet | null): PerRequest {
  const n = answers(w, prefix);
  if (n === 0) throw new Error(`no answer matching "${prefix}" in the window (answers: ${JSON.stringify(w.requests)})`);
  const bg = (pick: (x: Window) => number | null | undefined) => background(q, w.seconds, pick);
  const byCommand: Record<string, number> = {};
  for (const [k, v] of Object.entries(w.commands)) {
    const x = (v - bg((x) => x.commands[k])) / n;
    if (x >= 0.005) byCommand[k] = Math.round(x * 100) / 100;
  }
  return {
    requests: n,
    serverCpuMs: Math.max(0, w.serverCpuMs - bg((x) => x.serverCpuMs)) / n,
    dbCpuMs: w.dbCpuMs === null ? null : Math.max(0, w.dbCpuMs - bg((x) => x.dbCpuMs)) / n,
    commands: Math.max(0, sum(w.commands) - bg((x) => sum(x.commands))) / n,
    byCommand,
  };
}

/** `find 2, update 1, …` (most first). */
export function describeCommands(byCommand: Record<string, number>): string {
  return Object.entries(byCommand).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ');
}
