/**
 * Scale-out (issue #12): three server processes on one database behind Debian's nginx, under a
 * mixed load, one of them killed with SIGKILL and restarted (harness.ts). Not part of the quick
 * unit tests: the `scaleout` project, run by `npm test` and CI, ~2 minutes. Needs nginx
 * (`apt-get install -y nginx`); without it this fails at once saying so.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { findNginx } from './cluster';
import { formatReport, runScaleout, type Report } from './harness';

describe('three server processes behind nginx, one killed under load', () => {
  let report: Report;
  beforeAll(async () => {
    findNginx();
    report = await runScaleout({ log: (line) => console.log(`[scaleout] ${line}`) });
    console.log(formatReport(report));
  }, 280_000);

  const check = (name: RegExp) => {
    const c = report.checks.find((x) => name.test(x.name));
    expect(c, `check ${name}`).toBeDefined();
    return c!;
  };

  it('should seed the demo data once although the processes started together', () => {
    const c = check(/seeded once/);
    expect(c.ok, c.detail).toBe(true);
  });

  it('should have stored every submission, claim and completion the clients were told succeeded', () => {
    for (const name of [/201 submission/, /200 claim and completion/]) {
      const c = check(name);
      expect(c.ok, c.detail).toBe(true);
    }
    expect(report.phases.every((p) => (p.counts.submit?.ok ?? 0) > 0 && (p.counts.complete?.ok ?? 0) > 0)).toBe(true);
  });

  it('should have filed no application its client does not know of: lost answers were retried with their Idempotency-Key', () => {
    const c = check(/not told of/);
    expect(c.ok, c.detail).toBe(true);
  });

  it('should leave no case half-updated', () => {
    const c = check(/half-updated/);
    expect(c.ok, c.detail).toBe(true);
  });

  it('should fire each due timer exactly once, also those due while a process was dead', () => {
    const c = check(/timer fired exactly once/);
    expect(c.ok, c.detail).toBe(true);
    expect(report.timers.fired).toBeGreaterThan(0);
    expect(report.timers.dueWhileDead, 'timers came due while the process was dead').toBeGreaterThan(0);
  });

  it('should show clients only errors that a retry fixes', () => {
    const c = check(/only errors a retry fixes/);
    expect(c.ok, c.detail).toBe(true);
    expect(report.faultOutcomes['server-error'] ?? 0).toBe(0);
    expect(report.faultOutcomes['client-error'] ?? 0).toBe(0);
  });

  it('should fail no request beyond what a retry fixes during a rolling restart (SIGTERM, one process at a time)', () => {
    const c = check(/rolling restart/);
    expect(c.ok, c.detail).toBe(true);
  });

  it('should have the killed process back in service', () => {
    const c = check(/restarted/);
    expect(c.ok, c.detail).toBe(true);
  });

  it('should let new cases on every process use a publish within a second', () => {
    const c = check(/within a second/);
    expect(c.ok, c.detail).toBe(true);
    expect(report.propagation.rounds.length).toBeGreaterThanOrEqual(9);
    for (const r of report.propagation.rounds) {
      expect(r.staleMs, `process ${r.process}: last case on the old version, ms after the publish`).toBeLessThanOrEqual(1000);
      expect(r.firstNewMs, `process ${r.process}: a case on the new version`).toBeLessThan(Infinity);
    }
    // the other processes did hold the old version in their caches for a moment: the measurement saw the window
    expect(report.propagation.rounds.some((r) => !r.publisher && r.staleCases > 0)).toBe(true);
  });

  it('should report throughput with one process and with three', () => {
    const [one, all] = report.phases;
    expect(one!.processes).toBe(1);
    expect(all!.processes).toBe(3);
    expect(one!.rps).toBeGreaterThan(0);
    expect(all!.rps).toBeGreaterThan(0);
  });
});
