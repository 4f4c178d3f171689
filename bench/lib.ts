/**
 * Benchmark helpers. A benchmark file `bench/<name>.bench.ts` default-exports a `Benchmark`;
 * `npm run bench` (bench/run.ts) runs them all in one process, one after another, and writes
 * `bench/results.json`. Every figure is measured beside its baseline in the same run, repeated,
 * and reported as the median with min and max; `ratio` is always ours ÷ baseline.
 */
import os from 'node:os';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  baseline: number | null;
  baselineName: string | null;
  /** value ÷ baseline (medians), null without a baseline. */
  ratio: number | null;
  /** Human-readable goal, e.g. "ratio ≥ 20" or "value ≤ 50 ms". */
  target: string | null;
  met: boolean | null;
  min: number;
  max: number;
  runs: number;
  note?: string;
}

export interface Target {
  on: 'ratio' | 'value';
  op: '>=' | '<=';
  value: number;
}

export interface Benchmark {
  name: string;
  run(): Promise<BenchResult[]>;
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
