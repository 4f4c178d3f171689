/**
 * `tsx bench/run-one.ts <dir> <file> <outDir>`: one benchmark file, run as bench/runner.ts runs it,
 * in this fresh process; its rows go to `<outDir>/results.json`. The runner's `isolate` starts one
 * of these per file (`npm run bench`).
 */
import { runBenchmarks } from './runner';

const [dir, file, outDir] = process.argv.slice(2);
if (!dir || !file || !outDir) {
  console.error('usage: tsx bench/run-one.ts <dir> <file> <outDir>');
  process.exit(2);
}
const { abandoned } = await runBenchmarks({ dir, files: [file], outDir });
// a benchmark that left work behind would keep this process alive
process.exit(abandoned ? 1 : 0);
