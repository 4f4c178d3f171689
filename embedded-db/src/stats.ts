/**
 * Where the database's time goes, always on (two clock reads per step): per command name the
 * count and the microseconds its handler ran, plus the wire's BSON decode and encode. `serverStatus`
 * answers it as `lianban` with the process's CPU time, so a benchmark can divide both by the
 * requests it sent (bench/db-hot.ts). Handler time is measured until the handler settles, which
 * excludes the journal wait (that comes after) but includes any wait for another transaction.
 */
import type { Document } from 'bson';

export class CommandStats {
  private readonly byName = new Map<string, { count: number; micros: number }>();

  /** Adds one run of `name` that took `ms` milliseconds. */
  add(name: string, ms: number): void {
    let s = this.byName.get(name);
    if (!s) this.byName.set(name, (s = { count: 0, micros: 0 }));
    s.count++;
    s.micros += ms * 1000;
  }

  /** `{ cpu: {user, system} µs, steps: {name: {count, micros}} }` for serverStatus. */
  toDocument(): Document {
    const cpu = process.cpuUsage();
    const steps: Document = {};
    for (const [name, s] of this.byName) steps[name] = { count: s.count, micros: Math.round(s.micros) };
    return { cpu: { user: cpu.user, system: cpu.system }, steps };
  }
}
