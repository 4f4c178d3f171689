/**
 * `npm run bench [-- name-filter…]`: runs every `bench/*.bench.ts` (bench/runner.ts), prints a
 * table and writes `bench/results.json` as `{machine, startedAt, seconds, results:[…], failed:[…],
 * finished}` and `bench/results.md` (see bench/lib.ts for a row).
 *
 * Exit code: 0 when every figure was measured — whether or not it meets its target; 1 when a
 * figure failed (its row says why, and so does the summary at the end; every other figure is
 * still measured and written) or no benchmark matches the filters.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { failureSummary, runBenchmarks, tableRows } from './runner';

const dir = path.dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
// each file in a process of its own: no benchmark inherits the heap of the ones before it (runner.ts)
const { files, summary, abandoned } = await runBenchmarks({ dir, filters, isolate: true });
if (files.length === 0) {
  console.error(`no benchmark matches ${filters.map((f) => `"${f}"`).join(', ')} (bench/*.bench.ts)`);
  process.exit(1);
}
console.log(`\nmachine: ${summary.machine.cores} cores, Node ${summary.machine.node}, ${summary.machine.cpu}; total ${summary.seconds} s\n`);
// The whole suite is meant to finish within 10 minutes on a quiet 2-core machine.
if (filters.length === 0 && summary.seconds > 600) console.log(`⚠ the run took ${summary.seconds} s, over the 10-minute budget (was the machine busy?)`);
console.table(tableRows(summary.results));
console.log(`written: ${path.relative(process.cwd(), path.join(dir, 'results.json'))} and results.md`);
const failures = failureSummary(summary);
if (failures) {
  console.error(`\n${failures}`);
  process.exitCode = 1;
}
// A benchmark left running past its time limit would keep the process alive.
if (abandoned) process.exit(1);
