/**
 * When an open-loop round's slow requests were sent (#24): `LIANBAN_OPEN_LOOP_TRACE=/tmp/olt npx
 * tsx bench/latency.ts`, then `npx tsx bench/open-loop-episodes.ts /tmp/olt [slowMs=50] [periodMs=2000]`.
 * Prints, per round, the episodes of requests slower than `slowMs` (sent within 300 ms of each
 * other): when in the round, their phase within `periodMs` of the wall clock, the slowest, how
 * many. Episodes at one phase every period point at a job on a timer (the statistics folder and
 * the notification dispatcher tick every 2 s); scattered ones at GC or the machine.
 */
import fs from 'node:fs';
import path from 'node:path';

const [prefix, slowArg = '50', periodArg = '2000'] = process.argv.slice(2);
if (!prefix) {
  console.error('usage: npx tsx bench/open-loop-episodes.ts <trace prefix> [slowMs=50] [periodMs=2000]');
  process.exit(2);
}
const slowMs = Number(slowArg);
const period = Number(periodArg);
const dir = path.dirname(prefix);
const files = fs.readdirSync(dir).filter((f) => f.startsWith(`${path.basename(prefix)}-`) && f.endsWith('.json')).sort();
for (const f of files) {
  const { t0, interval, latencies } = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as { t0: number; interval: number; latencies: number[] };
  const episodes: { from: number; to: number; max: number; n: number }[] = [];
  latencies.forEach((ms, i) => {
    if (!(ms > slowMs)) return;
    const at = i * interval;
    const last = episodes[episodes.length - 1];
    if (last && at - last.to < 300) { last.to = at; last.max = Math.max(last.max, ms); last.n++; } else episodes.push({ from: at, to: at, max: ms, n: 1 });
  });
  const slow = episodes.reduce((a, e) => a + e.n, 0);
  console.log(`${f}: ${latencies.length} requests, ${slow} over ${slowMs} ms`);
  for (const e of episodes) console.log(`  at ${(e.from / 1000).toFixed(2)} s (phase ${Math.round((t0 + e.from) % period)} ms): ${e.n} requests, slowest ${Math.round(e.max)} ms`);
}
