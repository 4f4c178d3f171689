/**
 * Where the database's time goes, always on (two clock reads per step): per command name the
 * count and the microseconds its handler ran, plus the wire's BSON decode and encode. `serverStatus`
 * answers it as `lianban` with the process's CPU time, so a benchmark can divide both by the
 * requests it sent (bench/db-hot.ts). Handler time is measured until the handler settles, which
 * excludes the journal wait (that comes after) but includes any wait for another transaction.
 */
import { monitorEventLoopDelay, PerformanceObserver, type IntervalHistogram } from 'node:perf_hooks';
import type { Document } from 'bson';
import { takeJournalTimes } from './storage/journal';

/**
 * Where a command waits besides its own CPU (#24, the open-loop latency): the event loop's delay
 * (`monitorEventLoopDelay`, 10-ms resolution: how late a timer fires — a long synchronous chunk
 * shows as one large sample), garbage-collection pauses (`PerformanceObserver` 'gc') and the
 * journal's fsyncs. `eventLoop` and the longest GC pause are over the window since the previous
 * `serverStatus` (each read starts a new one); the GC totals are since the process began. One per
 * process, shared by its embedded servers.
 */
class Stalls {
  private readonly loop: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  private since = performance.now();
  private gc = { count: 0, ms: 0, maxMs: 0 };
  private readonly observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      this.gc.count++;
      this.gc.ms += e.duration;
      if (e.duration > this.gc.maxMs) this.gc.maxMs = e.duration;
    }
  });

  constructor() {
    this.loop.enable();
    this.observer.observe({ entryTypes: ['gc'] });
  }

  take(): Document {
    const now = performance.now();
    const ms = (ns: number) => Math.round(ns / 1e4) / 100;
    const loop = this.loop.count
      ? { samples: this.loop.count, p50Ms: ms(this.loop.percentile(50)), p99Ms: ms(this.loop.percentile(99)), maxMs: ms(this.loop.max) }
      : { samples: 0, p50Ms: 0, p99Ms: 0, maxMs: 0 };
    const out = { windowMs: Math.round(now - this.since), eventLoop: loop, gc: { count: this.gc.count, ms: Math.round(this.gc.ms * 100) / 100, maxMs: Math.round(this.gc.maxMs * 100) / 100 } };
    this.loop.reset();
    this.gc.maxMs = 0;
    this.since = now;
    return out;
  }
}

/** One per process (every embedded server of the process shares it), started at the first use. */
let stalls: Stalls | undefined;

export class CommandStats {
  private readonly byName = new Map<string, { count: number; micros: number }>();

  constructor() {
    stalls ??= new Stalls();
  }

  /** Adds one run of `name` that took `ms` milliseconds. */
  add(name: string, ms: number): void {
    let s = this.byName.get(name);
    if (!s) this.byName.set(name, (s = { count: 0, micros: 0 }));
    s.count++;
    s.micros += ms * 1000;
  }

  /**
   * `{ cpu: {user, system} µs, steps: {name: {count, micros}}, windowMs, eventLoop: {samples,
   * p50Ms, p99Ms, maxMs}, gc: {count, ms, maxMs}, journal: JournalTimes }` for serverStatus; the
   * event loop and the longest GC pause and fsync since the previous call.
   */
  toDocument(): Document {
    const cpu = process.cpuUsage();
    const steps: Document = {};
    for (const [name, s] of this.byName) steps[name] = { count: s.count, micros: Math.round(s.micros) };
    return { cpu: { user: cpu.user, system: cpu.system }, steps, ...(stalls ??= new Stalls()).take(), journal: takeJournalTimes() };
  }
}
