/**
 * Whether the machine ran out of CPU while an open-loop round ran (#24), and who took it.
 *
 * The server, the database and this load generator share the machine's cores. A request that
 * waits while every core is busy waits for whichever process took them: on the 2-core bench
 * machine, the database process's major garbage collection (V8 marks its whole heap, the data
 * included, on helper threads next to its main thread) took 1.6–1.8 cores for 300–450 ms, and
 * the requests of that moment waited 100–370 ms although no event loop showed a stall that long.
 * The event-loop and GC figures (stalls.ts) see each process from the inside; this sampler sees
 * the machine from outside:
 *
 *   const s = new SaturationSampler({ server: pid1, database: pid2, bench: process.pid });
 *   s.watch('load generator', childPid);          // a process started for the round
 *   s.start(); …round…; s.stop(); const report = s.result(slowRequests);
 *
 * Every `intervalMs` (100) it reads the CPU time of each process (`/proc/<pid>/stat`, all its
 * threads) and the machine's idle time (`/proc/stat`). A window is saturated when less than 10 %
 * of the machine's capacity was idle. Linux only: elsewhere `available` is false and nothing is sampled.
 */
import fs from 'node:fs';
import os from 'node:os';
import { clockTicks, cpuMs } from './probe';

/** One sample window: its end (epoch ms), its length, the machine's idle share, each process's cores. */
export interface CpuWindow {
  end: number;
  ms: number;
  idleShare: number;
  cores: Record<string, number>;
}

export interface Saturation {
  available: boolean;
  /** Sample windows, and their length (ms). */
  windows: number;
  intervalMs: number;
  /** Time in saturated windows, and the longest run of consecutive ones (ms). */
  saturatedMs: number;
  longestMs: number;
  /** Each process's most cores over one window. */
  peakCores: Record<string, number>;
  /** The processes' cores in the saturated windows, averaged (who took the machine). */
  saturatedCores: Record<string, number>;
  /** Slow requests (over the round's threshold), and how many were in flight during a saturated window. */
  slow: number;
  slowInSaturation: number;
}

/** A slow request: its scheduled send (epoch ms) and latency (ms). */
export interface SlowRequest { at: number; ms: number }

const IDLE_SHARE = 0.1;

/** Idle time of the whole machine so far (ms; idle + iowait of the `cpu` line of /proc/stat). */
function idleMs(): number {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/);
  return ((Number(line[4]) + Number(line[5])) * 1000) / clockTicks();
}

/** The figures of `windows` (pure: tested with made-up windows). */
export function analyse(windows: CpuWindow[], slow: SlowRequest[], intervalMs: number): Saturation {
  let saturatedMs = 0;
  let run = 0;
  let longestMs = 0;
  const peakCores: Record<string, number> = {};
  const sums: Record<string, number> = {};
  const saturated: CpuWindow[] = [];
  for (const w of windows) {
    for (const [k, c] of Object.entries(w.cores)) peakCores[k] = Math.max(peakCores[k] ?? 0, c);
    if (w.idleShare < IDLE_SHARE) {
      saturated.push(w);
      saturatedMs += w.ms;
      run += w.ms;
      longestMs = Math.max(longestMs, run);
      for (const [k, c] of Object.entries(w.cores)) sums[k] = (sums[k] ?? 0) + c * w.ms;
    } else run = 0;
  }
  const saturatedCores = Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, saturatedMs ? v / saturatedMs : 0]));
  const inFlight = (r: SlowRequest) => saturated.some((w) => r.at < w.end && r.at + r.ms > w.end - w.ms);
  return { available: true, windows: windows.length, intervalMs, saturatedMs, longestMs, peakCores, saturatedCores, slow: slow.length, slowInSaturation: slow.filter(inFlight).length };
}

export class SaturationSampler {
  readonly available = fs.existsSync('/proc/stat');
  private readonly windows: CpuWindow[] = [];
  private timer: NodeJS.Timeout | null = null;
  private last: { at: number; idle: number; cpu: Record<string, number> } | null = null;

  constructor(private readonly procs: Record<string, number>, private readonly intervalMs = 100) {}

  /** Watches one more process from now on (a load generator started for the round). */
  watch(name: string, pid: number): void {
    this.procs[name] = pid;
  }

  private read(): { at: number; idle: number; cpu: Record<string, number> } | null {
    try {
      const cpu: Record<string, number> = {};
      for (const [k, pid] of Object.entries(this.procs)) {
        try {
          cpu[k] = cpuMs(pid);
        } catch {
          // a process gone (the load generator at the round's end): left out of this window
        }
      }
      return { at: Date.now(), idle: idleMs(), cpu };
    } catch {
      return null; // no /proc/stat
    }
  }

  private sample(): void {
    const now = this.read();
    const last = this.last;
    this.last = now;
    if (!now || !last || now.at <= last.at) return;
    const ms = now.at - last.at;
    // a sliver (the last sample at stop) says nothing at clock ticks of 10 ms: dropped
    if (ms < this.intervalMs / 2) return;
    const cores: Record<string, number> = {};
    for (const k of Object.keys(now.cpu)) if (last.cpu[k] !== undefined) cores[k] = (now.cpu[k]! - last.cpu[k]!) / ms;
    this.windows.push({ end: now.at, ms, idleShare: Math.min(1, Math.max(0, (now.idle - last.idle) / (ms * os.availableParallelism()))), cores });
  }

  start(): void {
    if (!this.available) return;
    this.last = this.read();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  /** Stops sampling. */
  stop(): void {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = null;
    this.sample();
  }

  /** The figures of what was sampled from `from` (epoch ms: the round's first send; a generator's start-up before it is left out); `slow`: the round's slow requests. */
  result(slow: SlowRequest[] = [], from = 0): Saturation {
    if (!this.available) return { available: false, windows: 0, intervalMs: this.intervalMs, saturatedMs: 0, longestMs: 0, peakCores: {}, saturatedCores: {}, slow: slow.length, slowInSaturation: 0 };
    return analyse(this.windows.filter((w) => w.end > from), slow, this.intervalMs);
  }
}

const cores = (m: Record<string, number>) => Object.entries(m).sort((a, b) => b[1] - a[1]).map(([k, c]) => `${k} ${c.toFixed(1)}`).join(', ');

/** One clause for a round's note. */
export function describeSaturation(s: Saturation, thresholdMs: number): string {
  if (!s.available) return 'machine CPU not sampled (no /proc)';
  const head = s.saturatedMs
    ? `machine without idle CPU for ${s.saturatedMs} ms (longest ${s.longestMs} ms; cores then: ${cores(s.saturatedCores)})`
    : 'machine never without idle CPU';
  const slow = s.slow ? `; ${s.slowInSaturation} of the ${s.slow} requests over ${thresholdMs} ms were in flight then` : '';
  return `${head}; peak cores over ${s.intervalMs} ms: ${cores(s.peakCores)}${slow}`;
}
