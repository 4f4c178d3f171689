/**
 * The benchmark runner behind `npm run bench` (bench/run.ts): runs `*.bench.ts` files one after
 * another and writes `results.json` and `results.md`. With `isolate` (what `npm run bench` does)
 * each file runs in a fresh `node` process of its own (`bench/run-one.ts`): a benchmark inherits
 * no heap from the ones before it — the server's open-loop rounds shared the process with the
 * scale and form benchmarks, whose leftover heap V8 collected mid-round on 1.3–1.4 of the
 * machine's 2 cores (#24, bench/saturation.ts). Without it, in this process (the tests' fixtures).
 *
 * A failure stays in its own row. A figure a benchmark could not measure comes back as a row with
 * `failed: reason` (see `failedRow` in lib.ts); a benchmark file that cannot be loaded, throws,
 * outlives its time limit or lets an error escape (an unhandled rejection while it runs) becomes
 * one failed row named after it. Every other row is still measured and written; the files are
 * rewritten after each benchmark, so even an interrupted run leaves what it measured. The caller
 * decides the exit code from `failed` (bench/run.ts: 1 if any row failed).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { failedRow, machine, type Benchmark, type BenchResult } from './lib';

export interface RunOptions {
  /** Where the `*.bench.ts` files are. */
  dir: string;
  /** Run only the files whose name contains one of these (all when empty). */
  filters?: string[];
  /** Where `results.json` and `results.md` go (default: `dir`). */
  outDir?: string;
  /** A benchmark file still running after this long is recorded as failed and left behind (default 30 min). */
  timeLimitMs?: number;
  /** Progress and summary output (default: the console). */
  out?: (text: string) => void;
  /** Exactly these files of `dir` (instead of `filters`). */
  files?: string[];
  /** Each file in a process of its own (see the header); a file outliving its limit is then stopped, not left running. */
  isolate?: boolean;
}

export interface RunSummary {
  machine: ReturnType<typeof machine>;
  startedAt: string;
  seconds: number;
  /** Every row, failed ones included (they carry `failed`). */
  results: BenchResult[];
  /** The failed rows (also in `results`). */
  failed: { name: string; reason: string }[];
  /** False while the run is still going (the files are rewritten after each benchmark). */
  finished: boolean;
}

export interface RunOutcome {
  files: string[];
  summary: RunSummary;
  /** A benchmark outlived its time limit and may still be running: the caller should exit once done. */
  abandoned: boolean;
}

/** The `*.bench.ts` files of `dir` matching `filters`, sorted. */
export function benchFiles(dir: string, filters: string[] = []): string[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).sort()
    .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
}

export async function runBenchmarks(opts: RunOptions): Promise<RunOutcome> {
  const out = opts.out ?? ((text: string) => process.stdout.write(text));
  const outDir = opts.outDir ?? opts.dir;
  const timeLimitMs = opts.timeLimitMs ?? 30 * 60_000;
  const files = opts.files ?? benchFiles(opts.dir, opts.filters);
  const results: BenchResult[] = [];
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const summary = (): RunSummary => ({
    machine: machine(),
    startedAt,
    seconds: Math.round((performance.now() - started) / 1000),
    results,
    failed: results.filter((r) => r.failed !== undefined).map((r) => ({ name: r.name, reason: r.failed! })),
    finished: false,
  });
  let abandoned = false;
  if (files.length === 0) return { files, summary: { ...summary(), finished: true }, abandoned };

  // An error escaping a benchmark (a rejected promise nobody awaits, an error thrown in a
  // callback) would end the whole process; instead it fails the benchmark running at the time.
  let stray: unknown[] = [];
  const onStray = (error: unknown) => {
    console.error('✗ error outside any figure:', error);
    stray.push(error);
  };
  process.on('unhandledRejection', onStray);
  process.on('uncaughtException', onStray);
  try {
    for (const file of files) {
      if (opts.isolate) {
        results.push(...await runIsolated(opts.dir, file, timeLimitMs, out));
        write(outDir, summary());
        continue;
      }
      const t0 = performance.now();
      stray = [];
      let label = file;
      let rows: BenchResult[];
      try {
        const mod = (await import(pathToFileURL(path.join(opts.dir, file)).href)) as { default?: Partial<Benchmark> };
        const bench = mod.default;
        if (!bench || typeof bench.run !== 'function') throw new Error('not a benchmark: no default export with a run() method');
        label = `${bench.name ?? file} (${file})`;
        out(`▶ ${label} … `);
        let timer: NodeJS.Timeout | undefined;
        const limit = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new TimeLimit(timeLimitMs)), timeLimitMs);
        });
        try {
          rows = await Promise.race([bench.run(), limit]);
        } catch (error) {
          if (error instanceof TimeLimit) abandoned = true;
          throw error;
        } finally {
          clearTimeout(timer);
        }
        if (!Array.isArray(rows)) throw new Error('run() did not return a list of rows');
      } catch (error) {
        if (label === file) out(`▶ ${file} … `);
        console.error(error);
        rows = [failedRow(label, '', error)];
      }
      for (const error of stray) rows.push(failedRow(`${label}: error outside its figures`, '', error));
      results.push(...rows);
      const bad = rows.filter((r) => r.failed !== undefined).length;
      const took = `${((performance.now() - t0) / 1000).toFixed(1)} s`;
      out(bad === 0 ? `${took}\n` : bad === rows.length ? `FAILED (${took}): ${rows.map((r) => r.failed).join('; ')}\n` : `${took}, ${bad} of ${rows.length} figures FAILED\n`);
      write(outDir, summary());
    }
  } finally {
    process.off('unhandledRejection', onStray);
    process.off('uncaughtException', onStray);
  }
  const done = { ...summary(), finished: true };
  write(outDir, done);
  return { files, summary: done, abandoned };
}

/**
 * Runs `file` in a fresh process (`bench/run-one.ts`, which runs it as this runner does and writes
 * its rows to a temporary results.json); its progress goes to `out`. A process that outlives
 * `timeLimitMs` is killed with every process it started, and one that ends without rows leaves a
 * failed row saying how it ended.
 */
async function runIsolated(dir: string, file: string, timeLimitMs: number, out: (text: string) => void): Promise<BenchResult[]> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lianban-bench-one-'));
  try {
    // In a process group of its own, so that stopping it stops what it started too (the server
    // benchmark's database, the load generator), not only the benchmark's own process.
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(path.dirname(fileURLToPath(import.meta.url)), 'run-one.ts'), dir, file, tmp], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'], detached: true });
    const stopGroup = () => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* the group is gone */ } };
    // Ctrl-C reaches the terminal's foreground group only: pass it on, then end as it would have
    const onSignal = (signal: NodeJS.Signals) => { stopGroup(); process.kill(process.pid, signal); };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    child.stdout.on('data', (d: Buffer) => out(d.toString()));
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; stopGroup(); }, timeLimitMs);
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    clearTimeout(timer);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    stopGroup(); // anything it left running
    let rows: BenchResult[] | null = null;
    try {
      rows = (JSON.parse(fs.readFileSync(path.join(tmp, 'results.json'), 'utf8')) as RunSummary).results;
    } catch {
      // no rows written: the reason is how the process ended
    }
    if (timedOut) {
      out(`FAILED: did not finish within ${limitText(timeLimitMs)} (stopped)\n`);
      return [...(rows ?? []), failedRow(file, '', new Error(`did not finish within ${limitText(timeLimitMs)} (stopped)`))];
    }
    if (rows) return rows;
    return [failedRow(file, '', new Error(`its process ended with code ${code} and wrote no rows`))];
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

const limitText = (ms: number) => (ms < 10_000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`);

class TimeLimit extends Error {
  constructor(ms: number) {
    super(`did not finish within ${limitText(ms)} (left running)`);
  }
}

function write(outDir: string, s: RunSummary): void {
  fs.writeFileSync(path.join(outDir, 'results.json'), JSON.stringify(s, null, 2) + '\n');
  fs.writeFileSync(path.join(outDir, 'results.md'), markdown(s));
}

/** The table as the console shows it: one object per row. */
export function tableRows(results: BenchResult[]): Record<string, string | number>[] {
  return results.map((r) => r.failed !== undefined ? {
    name: r.name, value: 'FAILED', baseline: '—', ratio: '—', 'min…max': '—', target: '—', met: '—',
  } : {
    name: r.name,
    value: `${r.value} ${r.unit}`,
    baseline: r.baseline === null ? '—' : `${r.baseline} (${r.baselineName})`,
    ratio: r.ratio ?? '—',
    'min…max': `${r.min}…${r.max}`,
    target: r.target ?? '—',
    met: r.met === null ? '—' : r.met ? 'yes' : 'NO',
  });
}

/** The failed rows, one line each, for the end of the console output; empty when none failed. */
export function failureSummary(s: RunSummary): string {
  if (s.failed.length === 0) return '';
  return [`✗ ${s.failed.length} of ${s.results.length} figures FAILED (the others were measured and written):`, ...s.failed.map((f) => `  - ${f.name}: ${f.reason}`)].join('\n');
}

/** The same table in Markdown, for notes and docs/benchmarks.md. */
export function markdown(s: RunSummary): string {
  const cell = (x: string) => x.replace(/\|/g, '\\|');
  const rows = s.results.map((r) => r.failed !== undefined
    ? `| ${cell(r.name)} | **failed**: ${cell(r.failed)} | — | — | — | — | **failed** |`
    : `| ${cell(r.name)} | ${r.value} ${r.unit} | ${r.baseline === null ? '—' : `${r.baseline} (${r.baselineName})`} | ${r.ratio ?? '—'} | ${r.min}…${r.max} (${r.runs}) | ${r.target ?? '—'} | ${r.met === null ? '—' : r.met ? 'met' : '**not met**'} |`);
  return [
    `Machine: ${s.machine.cores} cores, Node ${s.machine.node}, ${s.machine.cpu}; ${s.startedAt}; ${s.seconds} s in all${s.finished ? '' : ' so far (unfinished)'}.`,
    '',
    '| figure | median | baseline (median) | ratio | min…max (runs) | target | |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    ...(s.failed.length ? ['', `${s.failed.length} figure(s) failed: ${s.failed.map((f) => f.name).join('; ')}.`] : []),
    '',
  ].join('\n');
}
