/**
 * `npm run bench [-- name-filter…]`: runs every `bench/*.bench.ts`, prints a table and writes
 * `bench/results.json` as `{machine:{cores,node}, results:[…]}` (see bench/lib.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { machine, type Benchmark, type BenchResult } from './lib';

const dir = path.dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).sort()
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));

const results: BenchResult[] = [];
const started = performance.now();
for (const file of files) {
  const mod = (await import(pathToFileURL(path.join(dir, file)).href)) as { default: Benchmark };
  const t0 = performance.now();
  process.stdout.write(`▶ ${mod.default.name} (${file}) … `);
  try {
    const rows = await mod.default.run();
    results.push(...rows);
    console.log(`${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } catch (err) {
    console.log('FAILED');
    console.error(err);
    process.exitCode = 1;
  }
}

const out = { machine: machine(), startedAt: new Date().toISOString(), seconds: Math.round((performance.now() - started) / 1000), results };
fs.writeFileSync(path.join(dir, 'results.json'), JSON.stringify(out, null, 2) + '\n');
fs.writeFileSync(path.join(dir, 'results.md'), markdown(out));
console.log(`\nmachine: ${out.machine.cores} cores, Node ${out.machine.node}, ${out.machine.cpu}; total ${out.seconds} s\n`);
// The whole suite is meant to finish within 10 minutes on a quiet 2-core machine.
if (filters.length === 0 && out.seconds > 600) console.log(`⚠ the run took ${out.seconds} s, over the 10-minute budget (was the machine busy?)`);
console.table(results.map((r) => ({
  name: r.name,
  value: `${r.value} ${r.unit}`,
  baseline: r.baseline === null ? '—' : `${r.baseline} (${r.baselineName})`,
  ratio: r.ratio ?? '—',
  'min…max': `${r.min}…${r.max}`,
  target: r.target ?? '—',
  met: r.met === null ? '—' : r.met ? 'yes' : 'NO',
})));
console.log(`written: ${path.relative(process.cwd(), path.join(dir, 'results.json'))} and results.md`);

/** The same table in Markdown, for notes and docs/benchmarks.md. */
function markdown(o: typeof out): string {
  const rows = o.results.map((r) => `| ${r.name} | ${r.value} ${r.unit} | ${r.baseline === null ? '—' : `${r.baseline} (${r.baselineName})`} | ${r.ratio ?? '—'} | ${r.min}…${r.max} (${r.runs}) | ${r.target ?? '—'} | ${r.met === null ? '—' : r.met ? 'met' : '**not met**'} |`);
  return [
    `Machine: ${o.machine.cores} cores, Node ${o.machine.node}, ${o.machine.cpu}; ${o.startedAt}; ${o.seconds} s in all.`,
    '',
    '| figure | median | baseline (median) | ratio | min…max (runs) | target | |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
