/**
 * Benchmark helpers. A benchmark file `bench/<name>.bench.ts` default-exports a `Benchmark`;
 * `npm run bench` (bench/run.ts) runs them all in one process, one after another, and writes
 * `bench/results.json`. Every figure is measured beside its baseline in the same run, repeated,
 * and reported as the median with min and max; `ratio` is always ours ÷ baseline.
 */
import os from 'node:os';

export interface BenchResult {
  name: string;
  /** The median; null on a failed row. */
  value: number | null;
  unit: string;
  baseline: number | null;
  baselineName: string | null;
  /** value ÷ baseline (medians), null without a baseline. */
  ratio: number | null;
  /** Human-readable goal, e.g. "ratio ≥ 20" or "value ≤ 50 ms". */
  target: string | null;
  met: boolean | null;
  min: number | null;
  max: number | null;
  runs: number;
  note?: string;
  /** Set when this figure could not be measured: why (the error's message). Its numbers are null. */
  failed?: string;
}

export interface Target {
  on: 'ratio' | 'value';
  op: '>=' | '<=';
  value: number;
}

/**
 * One benchmark file's default export. `run()` returns its rows; a figure that could not be
 * measured is returned as a `failedRow` so the others still count. Should `run()` throw, the
 * runner records one failed row for the whole file and goes on with the next.
 */
export interface Benchmark {
  name: string;
  run(): Promise<BenchResult[]>;
}

/** The row of a figure that could not be measured, with the reason (an error or a message). */
export function failedRow(name: string, unit: string, reason: unknown): BenchResult {
  return { name, value: null, unit, baseline: null, baselineName: null, ratio: null, target: null, met: null, min: null, max: null, runs: 0, failed: reasonOf(reason) };
}

/** One line saying why something failed: an error's message (its first line), or the value as text. */
export function reasonOf(reason: unknown): string {
  const text = reason instanceof Error ? reason.message || reason.name : String(reason);
  const line = text.split('\n')[0]!.trim() || 'failed without a message';
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Builds one result row from repeated samples of ours and (optionally) of the baseline. */
export function compare(opts: {
  name: string;
  unit: string;
  samples: number[];
  baselineSamples?: number[];
  baselineName?: string;
  target?: Target;
  note?: string;
}): BenchResult {
  if (opts.samples.length === 0) throw new Error(`${opts.name}: no samples`);
  const value = median(opts.samples);
  const baseline = opts.baselineSamples?.length ? median(opts.baselineSamples) : null;
  const ratio = baseline ? value / baseline : null;
  let met: boolean | null = null;
  let target: string | null = null;
  if (opts.target) {
    const { on, op, value: goal } = opts.target;
    const actual = on === 'ratio' ? ratio : value;
    target = `${on} ${op === '>=' ? '≥' : '≤'} ${goal}${on === 'value' ? ' ' + opts.unit : ''}`;
    met = actual === null ? null : op === '>=' ? actual >= goal : actual <= goal;
  }
  return {
    name: opts.name,
    value: round(value),
    unit: opts.unit,
    baseline: baseline === null ? null : round(baseline),
    baselineName: opts.baselineName ?? null,
    ratio: ratio === null ? null : round(ratio),
    target,
    met,
    min: round(Math.min(...opts.samples)),
    max: round(Math.max(...opts.samples)),
    runs: opts.samples.length,
    ...(opts.note ? { note: opts.note } : {}),
  };
}

/** A measurement that may have failed: `get()` gives its value or throws the error it failed with. */
export interface Attempt<T> {
  ok: boolean;
  error?: unknown;
  get(): T;
}

/**
 * Runs a measurement without letting its failure end the benchmark: the error is logged in full
 * (stderr) and kept, so the rows built from it become failed rows (`row`) and the others stand.
 */
export async function attempt<T>(what: string, fn: () => Promise<T> | T): Promise<Attempt<T>> {
  try {
    const value = await fn();
    return { ok: true, get: () => value };
  } catch (error) {
    console.error(`✗ ${what}:`, error);
    return { ok: false, error, get: () => { throw error; } };
  }
}

/** Builds one row; if that throws (e.g. `get()` of a failed `attempt`), the row is a failed row with the reason. */
export function row(name: string, unit: string, build: () => BenchResult): BenchResult {
  try {
    return build();
  } catch (error) {
    return failedRow(name, unit, error);
  }
}

/** Runs `fn` `times` times and collects what it returns (one sample each). */
export async function repeat(times: number, fn: (i: number) => Promise<number> | number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < times; i++) out.push(await fn(i));
  return out;
}

/** Operations per second of a synchronous function, timed over at least `minMs`. */
export function opsPerSecond(fn: () => unknown, minMs = 300): number {
  for (let i = 0; i < 50; i++) fn(); // warm up
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let i = 0; i < 100; i++) fn();
    n += 100;
    elapsed = performance.now() - start;
  }
  return (n / elapsed) * 1000;
}

export function machine() {
  return { cores: os.cpus().length, node: process.version, platform: `${os.platform()}-${os.arch()}`, cpu: os.cpus()[0]?.model ?? 'unknown' };
}

function round(x: number): number {
  if (!Number.isFinite(x)) return x;
  const digits = Math.abs(x) >= 100 ? 1 : Math.abs(x) >= 1 ? 3 : 5;
  return Number(x.toFixed(digits));
}
