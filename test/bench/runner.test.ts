/**
 * The benchmark runner (bench/runner.ts) on fake benchmark files (test/bench/fixtures): a
 * failure stays in its own row and every other figure is still measured and written.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
// eslint-disable-next-line import-x/no-relative-packages -- bench/ is not a workspace package: tested by path
import { benchFiles, failureSummary, runBenchmarks, type RunSummary } from '../../bench/runner';

const fixtures = path.join(import.meta.dirname, 'fixtures');
let outDir: string;

beforeEach(() => {
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lianban-bench-runner-'));
  vi.spyOn(console, 'error').mockImplementation(() => {});
});
afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(outDir, { recursive: true, force: true });
});

const quiet = () => {};

/** The fixtures' rows in the files' order, and the failed ones with their reasons; the hanging file's row as the run names it. */
const rowNames = (hung: string) => [
  'fake figure one', 'fake figure two', 'Fake: throws (b-throws.bench.ts)', 'fake good figure', 'fake bad figure', 'fake bad latency',
  'd-not-a-benchmark.bench.ts', 'e-import-fails.bench.ts', hung, 'fake figure three',
];
const failures = (hung: { name: string; reason: string }) => [
  { name: 'Fake: throws (b-throws.bench.ts)', reason: 'the fake server did not start' },
  { name: 'fake bad figure', reason: '624 completions failed' },
  { name: 'fake bad latency', reason: '624 completions failed' },
  { name: 'd-not-a-benchmark.bench.ts', reason: 'not a benchmark: no default export with a run() method' },
  { name: 'e-import-fails.bench.ts', reason: 'cannot load the fake module' },
  hung,
];

describe('bench runner', () => {
  it('fails only the rows that failed, measures and writes the rest, and says why', async () => {
    const { files, summary, abandoned } = await runBenchmarks({ dir: fixtures, outDir, timeLimitMs: 300, out: quiet });
    expect(files).toHaveLength(7);
    expect(abandoned).toBe(true); // f-hangs outlived its limit

    const byName = new Map(summary.results.map((r) => [r.name, r]));
    // measured figures, before and after the failures
    for (const name of ['fake figure one', 'fake figure two', 'fake good figure', 'fake figure three']) {
      expect(byName.get(name)?.failed, name).toBeUndefined();
      expect(byName.get(name)?.value, name).toBeTypeOf('number');
    }
    expect(byName.get('fake figure one')).toMatchObject({ value: 11, baseline: 5, ratio: 2.2, met: true });

    // each failure in its own row, with its reason (the first line of the error)
    expect(summary.failed).toEqual(failures({ name: 'Fake: hangs (f-hangs.bench.ts)', reason: 'did not finish within 300 ms (left running)' }));
    for (const f of summary.failed) expect(byName.get(f.name)).toMatchObject({ value: null, min: null, max: null, met: null, runs: 0 });
    // rows keep the files' order
    expect(summary.results.map((r) => r.name)).toEqual(rowNames('Fake: hangs (f-hangs.bench.ts)'));

    // written: results.json holds every row and the failures; results.md marks them
    const json = JSON.parse(fs.readFileSync(path.join(outDir, 'results.json'), 'utf8')) as RunSummary;
    expect(json.finished).toBe(true);
    expect(json.results).toHaveLength(10);
    expect(json.failed).toEqual(summary.failed);
    const md = fs.readFileSync(path.join(outDir, 'results.md'), 'utf8');
    expect(md).toContain('| fake bad figure | **failed**: 624 completions failed |');
    expect(md).toContain('| fake figure three | 8 ms |');
    expect(md).toContain('6 figure(s) failed');
    expect(failureSummary(summary)).toContain('✗ 6 of 10 figures FAILED');
    expect(failureSummary(summary)).toContain('  - fake bad figure: 624 completions failed');
  });

  it('runs each file in a process of its own when asked, with the same rows, and stops one that outlives its limit', async () => {
    const lines: string[] = [];
    const pidFile = path.join(outDir, 'grandchild.pid');
    process.env.LIANBAN_TEST_GRANDCHILD_PID_FILE = pidFile;
    const { summary, abandoned } = await runBenchmarks({ dir: fixtures, outDir, timeLimitMs: 6000, out: (t) => lines.push(t), isolate: true }).finally(() => {
      delete process.env.LIANBAN_TEST_GRANDCHILD_PID_FILE;
    });
    expect(abandoned).toBe(false); // the hanging one's process was killed, nothing is left running
    // and so was the process it had started (a server benchmark's database)
    const grandchild = Number(fs.readFileSync(pidFile, 'utf8'));
    expect(grandchild).toBeGreaterThan(0);
    // a killed process may stay a zombie until whoever adopted it reaps it: that counts as stopped
    const alive = () => {
      if (fs.existsSync('/proc/self')) {
        try { return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${grandchild}/stat`, 'utf8')); } catch { return false; }
      }
      try { process.kill(grandchild, 0); return true; } catch { return false; }
    };
    for (let i = 0; i < 20 && alive(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(alive()).toBe(false);
    expect(summary.results.map((r) => r.name)).toEqual(rowNames('f-hangs.bench.ts'));
    expect(summary.results.find((r) => r.name === 'fake figure one')).toMatchObject({ value: 11, baseline: 5, ratio: 2.2, met: true });
    expect(summary.failed).toEqual(failures({ name: 'f-hangs.bench.ts', reason: 'did not finish within 6000 ms (stopped)' }));
    // each child's progress line, in order
    expect(lines.join('')).toMatch(/▶ Fake: measured \(a-measures\.bench\.ts\) … \d+\.\d s\n[^]*▶ Fake: hangs \(f-hangs\.bench\.ts\) … FAILED: did not finish within 6000 ms \(stopped\)\n/);
    expect((JSON.parse(fs.readFileSync(path.join(outDir, 'results.json'), 'utf8')) as RunSummary).results).toHaveLength(10);
  }, 60_000);

  it('passes when nothing failed, and runs only the files matching a filter', async () => {
    const lines: string[] = [];
    const { files, summary, abandoned } = await runBenchmarks({ dir: fixtures, filters: ['measures'], outDir, out: (t) => lines.push(t) });
    expect(files).toEqual(['a-measures.bench.ts', 'g-measures-after.bench.ts']);
    expect(abandoned).toBe(false);
    expect(summary.failed).toEqual([]);
    expect(failureSummary(summary)).toBe('');
    expect(summary.results.map((r) => r.name)).toEqual(['fake figure one', 'fake figure two', 'fake figure three']);
    expect(lines.join('')).toMatch(/▶ Fake: measured \(a-measures\.bench\.ts\) … \d+\.\d s\n/);
  });

  it('writes nothing when no file matches', async () => {
    const { files } = await runBenchmarks({ dir: fixtures, filters: ['no-such-benchmark'], outDir, out: quiet });
    expect(files).toEqual([]);
    expect(fs.existsSync(path.join(outDir, 'results.json'))).toBe(false);
  });

  it('finds the benchmark files of bench/', () => {
    expect(benchFiles(path.join(import.meta.dirname, '../../bench'))).toContain('server.bench.ts');
  });
});
