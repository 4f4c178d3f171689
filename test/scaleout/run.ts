/**
 * `npm run scaleout`: the scale-out harness (harness.ts) with its report. Exits 1 when a check
 * fails (the temporary directory with every process's log is then kept and named).
 * Options: --keep (keep the directory), --fault-seconds N, --measure-seconds N.
 */
import { parseArgs } from 'node:util';
import { formatReport, runScaleout } from './harness';

const { values } = parseArgs({ options: { keep: { type: 'boolean' }, 'fault-seconds': { type: 'string' }, 'measure-seconds': { type: 'string' } } });
const started = Date.now();
try {
  const report = await runScaleout({
    keepDir: values.keep,
    faultSeconds: values['fault-seconds'] ? Number(values['fault-seconds']) : undefined,
    measureSeconds: values['measure-seconds'] ? Number(values['measure-seconds']) : undefined,
    log: (line) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${line}`),
  });
  console.log('\n' + formatReport(report));
  const failed = report.checks.some((c) => !c.ok);
  if (failed || values.keep) console.log(`\nlogs: ${report.dir}`);
  process.exit(failed ? 1 : 0);
} catch (err) {
  console.error((err as Error).stack ?? err);
  process.exit(1);
}
