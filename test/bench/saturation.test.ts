/**
 * Whether the machine ran out of CPU during an open-loop round (bench/saturation.ts, #24): the
 * figures from made-up sample windows, and the sampler against a real busy loop of this process.
 */
import { describe, expect, it } from 'vitest';
// eslint-disable-next-line import-x/no-relative-packages -- bench/ is not a workspace package: tested by path
import { analyse, describeSaturation, SaturationSampler, type CpuWindow } from '../../bench/saturation';

const w = (end: number, idleShare: number, cores: Record<string, number>): CpuWindow => ({ end, ms: 100, idleShare, cores });

describe('machine saturation during a round', () => {
  it('should find the saturated stretches, who held the cores and which slow requests were in flight', () => {
    const windows = [
      w(1100, 0.5, { server: 0.3, database: 0.2 }),
      w(1200, 0.05, { server: 0.2, database: 1.7 }),
      w(1300, 0.0, { server: 0.3, database: 1.5 }),
      w(1400, 0.6, { server: 0.4, database: 0.3 }),
      w(1500, 0.02, { server: 1.0, database: 0.9 }),
    ];
    const slow = [
      { at: 1150, ms: 120 }, // in flight 1150–1270: the first stretch
      { at: 1310, ms: 60 }, // 1310–1370: an idle window only
      { at: 1390, ms: 30 }, // 1390–1420: reaches the last window
    ];
    const s = analyse(windows, slow, 100);
    expect(s.saturatedMs).toBe(300);
    expect(s.longestMs).toBe(200);
    expect(s.peakCores).toEqual({ server: 1.0, database: 1.7 });
    expect(s.saturatedCores.database).toBeCloseTo((1.7 + 1.5 + 0.9) / 3, 10);
    expect(s.saturatedCores.server).toBeCloseTo((0.2 + 0.3 + 1.0) / 3, 10);
    expect([s.slow, s.slowInSaturation]).toEqual([3, 2]);
    expect(describeSaturation(s, 50)).toBe('machine without idle CPU for 300 ms (longest 200 ms; cores then: database 1.4, server 0.5); peak cores over 100 ms: database 1.7, server 1.0; 2 of the 3 requests over 50 ms were in flight then');
  });

  it('should say so when the machine always had idle CPU', () => {
    const s = analyse([w(1100, 0.4, { server: 0.5 })], [], 100);
    expect(s.saturatedMs).toBe(0);
    expect(describeSaturation(s, 50)).toBe('machine never without idle CPU; peak cores over 100 ms: server 0.5');
  });

  it('should see this process take a core while it spins', async () => {
    const sampler = new SaturationSampler({ 'this process': process.pid }, 50);
    if (!sampler.available) throw new Error('no /proc/stat: the sampler is Linux only, as the benchmark that uses it');
    sampler.start();
    await new Promise((r) => setTimeout(r, 120));
    // 400 ms on this thread, broken into slices so the sampler's timer runs between them
    for (let i = 0; i < 40; i++) {
      const until = performance.now() + 10;
      while (performance.now() < until) { /* spin */ }
      await new Promise((r) => setImmediate(r));
    }
    await new Promise((r) => setTimeout(r, 120));
    sampler.stop();
    const s = sampler.result();
    expect(s.windows).toBeGreaterThanOrEqual(8);
    // one thread: close to a core over a 50-ms window (clock ticks of 10 ms make it coarse)
    expect(s.peakCores['this process']).toBeGreaterThanOrEqual(0.6);
    expect(s.peakCores['this process']).toBeLessThanOrEqual(2.5);
  });
});
