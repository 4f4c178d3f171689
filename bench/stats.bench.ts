/**
 * `GET /admin/stats` at 100k cases of one city (`STATS_BENCH_N` to change it), seeded fast:
 * documents built in memory (test/server/stats-data.ts) and inserted in batches through the
 * driver, then folded into the rollups once (services/stats-rollup.ts: the figure "folding",
 * cases per second — the first fold of a city). Then the route over HTTP — the last 30 days as
 * instants (partial hours at both ends), ~50k cases — beside the baseline of the same figures
 * computed in plain TypeScript over the documents already in memory (what the dashboard did in
 * the browser, without its downloads). Target: ≤ 200 ms. docs/stats.md.
 */
import { startTestServer } from '@lianban/test/server/helpers';
import { expectedStats, generateCases, insertCases } from '@lianban/test/server/stats-data';
import { foldStats } from '@lianban/server';
import { attempt, compare, repeat, row, type Benchmark, type BenchResult } from './lib';

const N = Number(process.env.STATS_BENCH_N ?? 100_000);
const DAY = 86_400_000;

const bench: Benchmark = {
  name: 'statistics',
  async run() {
    const results: BenchResult[] = [];
    const s = await startTestServer();
    try {
      const now = new Date();
      const docs = generateCases({ tenants: ['luan'], perTenant: N, now });
      const t0 = performance.now();
      await insertCases(s.models.Case.collection, docs);
      const seedMs = performance.now() - t0;
      const foldName = `rollup folding, first fold of a city of ${N / 1000}k cases`;
      let changed = 0;
      const fold = await attempt(foldName, async () => {
        const t1 = performance.now();
        changed = (await foldStats(s.models, { owner: 'bench', tenants: ['luan'] })).changed;
        return [N / ((performance.now() - t1) / 1000)];
      });
      results.push(row(foldName, 'cases/s', () => compare({
        name: foldName, unit: 'cases/s', samples: fold.get(),
        note: `${changed} contributions; off the request path (the background folder, every 2 s, only the cases changed since); seeding ${N / 1000}k cases through the driver took ${Math.round(seedMs / 1000)} s`,
      })));
      const admin = await s.login('luan.admin');
      const from = new Date(+now - 30 * DAY - 1000);
      const query = { from: from.toISOString(), to: now.toISOString() };
      let received = 0;
      const name = `GET /admin/stats at ${N / 1000}k cases, 30-day period`;
      const ours = await attempt(name, async () => repeat(5, async () => {
        const t = performance.now();
        const res = await admin.get('/api/v1/admin/stats').query(query).expect(200);
        received = res.body.received;
        return performance.now() - t;
      }));
      const base = await repeat(3, () => {
        const t = performance.now();
        expectedStats(docs, 'luan', from, now, null, now);
        return performance.now() - t;
      });
      results.push(row(name, 'ms', () => compare({
        name, unit: 'ms', samples: ours.get(), baselineSamples: base, baselineName: 'same figures in plain TypeScript over the documents in memory',
        target: { on: 'value', op: '<=', value: 200 }, note: `${received} cases in the period; from the rollups (embedded database, over HTTP)`,
      })));
    } finally {
      await s.close();
    }
    return results;
  },
};
export default bench;
