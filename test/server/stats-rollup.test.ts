/**
 * The statistics from the rollups (services/stats-rollup.ts): generated cases inserted directly,
 * folded, then every figure of GET /admin/stats and /platform/stats compared with the figures
 * computed independently in plain TypeScript (test/server/stats-data.ts) — medians and p90
 * within the stated resolution (1 % + 1 ms), everything else exactly; then cases changed after
 * the fold (answered current at once, from the request's own fold of the changes), folded again,
 * the lease, and a larger city (STATS_ROLLUP_N cases, 10k by default; the bench runs 100k).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseStats, PlatformStats } from '@lianban/runtime/contract';
import { foldStats } from '@lianban/server';
import { startTestServer, type TestServer } from './helpers';
import { expectedStats, generateCases, insertCases } from './stats-data';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
type Expected = ReturnType<typeof expectedStats>;

/** Percentiles within 1 % (+1 ms) of the exact ranked value; every other figure equal. */
function expectSameFigures(got: CaseStats, want: Expected) {
  const { generatedAt: _g, asOf, ...rest } = got;
  expect(Date.parse(asOf!)).toBeGreaterThan(0);
  const close = (g: { medianMs: number; p90Ms: number }, w: { medianMs: number; p90Ms: number }) => {
    expect(Math.abs(g.medianMs - w.medianMs)).toBeLessThanOrEqual(w.medianMs * 0.01 + 1);
    expect(Math.abs(g.p90Ms - w.p90Ms)).toBeLessThanOrEqual(w.p90Ms * 0.01 + 1);
    return { ...g, medianMs: w.medianMs, p90Ms: w.p90Ms };
  };
  expect(rest.steps.length).toBe(want.steps.length);
  expect(rest.departments.length).toBe(want.departments.length);
  const steps = rest.steps.map((s, i) => close(s, want.steps[i]!));
  const departments = rest.departments.map((s, i) => close(s, want.departments[i]!));
  expect({ ...rest, steps, departments }).toEqual(want);
}

describe('statistics from the rollups', () => {
  let s: TestServer;
  let docs: Record<string, any>[];
  let now: Date;
  beforeAll(async () => {
    s = await startTestServer();
    now = new Date();
    docs = generateCases({ tenants: ['luan', 'changzhou'], perTenant: 500, now, seed: 7 });
    await insertCases(s.models.Case.collection, docs);
  });
  afterAll(() => s.close());

  it('folds every case once and answers every figure as counted independently', async () => {
    const first = await foldStats(s.models, { owner: 'test-a' });
    expect(first.folded).toBe(true);
    // drafts without tasks contribute nothing; every other case once
    expect(first.changed).toBe(docs.filter((d) => d.status !== 'draft').length);
    expect(await s.models.StatsContribution.countDocuments({})).toBe(first.changed);
    expect((await s.models.StatsState.findById('luan').lean())!.watermark).toBeInstanceOf(Date);
    // the lease: another process folds nothing while it is held
    expect(await foldStats(s.models, { owner: 'test-b' })).toEqual({ folded: false, changed: 0 });
    // folding again changes nothing
    expect((await foldStats(s.models, { owner: 'test-a' })).changed).toBe(0);

    const admin = await s.login('luan.admin');
    // ISO instants: partial days at both ends (from the contributions), whole days between (from the rows)
    const from = new Date(+now - 40 * DAY - 7 * HOUR - 1234);
    const to = new Date(+now - 2 * DAY + 5 * HOUR);
    const res = await admin.get('/api/v1/admin/stats').query({ from: from.toISOString(), to: to.toISOString() }).expect(200);
    const want = expectedStats(docs, 'luan', from, to, null, now);
    expectSameFigures(res.body, want);
    expect(want.received).toBeGreaterThan(250);
    expect(want.steps.length).toBe(4);
    expect(want.deadlines.overdue).toBeGreaterThan(0);
    expect(want.deadlines.dueSoon).toBeGreaterThan(0);
    expect(want.evaluations.byItem.length).toBe(3);
    expect(want.corrections.cases).toBeGreaterThan(0);

    // China days and one matter
    const cz = await s.login('changzhou.admin');
    const day = (ms: number) => new Date(ms + 8 * HOUR).toISOString().slice(0, 10);
    const res2 = await cz.get('/api/v1/admin/stats').query({ from: day(+now - 20 * DAY), to: day(+now - DAY), matter: 'retirement' }).expect(200);
    const f2 = new Date(`${day(+now - 20 * DAY)}T00:00:00+08:00`);
    const t2 = new Date(+new Date(`${day(+now - DAY)}T00:00:00+08:00`) + DAY);
    expectSameFigures(res2.body, expectedStats(docs, 'changzhou', f2, t2, 'retirement', now));
  });

  it('answers changes made after the fold at once, and folds them', async () => {
    const { Case } = s.models;
    const luan = docs.filter((d) => d.tenant === 'luan');
    const running = luan.filter((d) => d.status === 'in-progress' && d.tasks.some((t: any) => t.state === 'open' || t.state === 'claimed'));
    expect(running.length).toBeGreaterThan(5);
    // 1. rejected
    const a = running[0]!;
    a.status = 'rejected';
    await Case.updateOne({ _id: a._id }, { $set: { status: 'rejected' } });
    // 2. an open task completed after 3 hours
    const b = running[1]!;
    const i = b.tasks.findIndex((t: any) => t.state === 'open' || t.state === 'claimed');
    const done = new Date(+b.tasks[i].createdAt + 3 * HOUR);
    Object.assign(b.tasks[i], { state: 'done', completedAt: done });
    await Case.updateOne({ _id: b._id }, { $set: { [`tasks.${i}.state`]: 'done', [`tasks.${i}.completedAt`]: done } });
    // 3. evaluated 2 ★
    const c = luan.find((d) => d.status === 'completed' && !d.evaluation)!;
    c.evaluation = { score: 2, reasons: ['等待久'], channel: 'portal', at: now };
    await Case.updateOne({ _id: c._id }, { $set: { evaluation: c.evaluation } });
    // 4. a draft submitted now, at the counter
    const d = luan.find((x) => x.status === 'draft')!;
    Object.assign(d, { status: 'submitted', submittedAt: new Date(+now - 1000), channel: 'window' });
    await Case.updateOne({ _id: d._id }, { $set: { status: 'submitted', submittedAt: d.submittedAt, channel: 'window' } });
    // 5. a task due within the hour of now + 24 h (the exact edge of 即将超期)
    const e = running[2]!;
    const j = e.tasks.findIndex((t: any) => t.state === 'open' || t.state === 'claimed');
    e.tasks[j].dueAt = new Date(+now + 24 * HOUR - 1);
    await Case.updateOne({ _id: e._id }, { $set: { [`tasks.${j}.dueAt`]: e.tasks[j].dueAt } });

    const admin = await s.login('luan.admin');
    const from = new Date(+now - 61 * DAY);
    const to = new Date(+now + HOUR);
    const at = new Date();
    const before = expectedStats(docs, 'luan', from, to, null, at);
    const res = await admin.get('/api/v1/admin/stats').query({ from: from.toISOString(), to: to.toISOString() }).expect(200);
    // current although not folded: asOf is the request's time
    expect(Date.parse(res.body.asOf)).toBeGreaterThanOrEqual(+at);
    expectSameFigures(res.body, expectedStats(docs, 'luan', from, to, null, new Date(res.body.generatedAt)));
    expect(res.body.byStatus.rejected).toBe(before.byStatus.rejected);

    const folded = await foldStats(s.models, { owner: 'test-a' });
    expect(folded.changed).toBe(5);
    const again = await admin.get('/api/v1/admin/stats').query({ from: from.toISOString(), to: to.toISOString() }).expect(200);
    expectSameFigures(again.body, expectedStats(docs, 'luan', from, to, null, new Date(again.body.generatedAt)));

    // the province: every city from its rollups
    const op = await s.login('platform.operator');
    const p = await op.get('/api/v1/platform/stats').query({ from: from.toISOString(), to: to.toISOString() }).expect(200);
    for (const city of (p.body as PlatformStats).cities.filter((x) => x.tenant === 'luan' || x.tenant === 'changzhou')) {
      const { name: _n, ...stats } = city;
      expectSameFigures(stats as CaseStats, expectedStats(docs, city.tenant, from, to, null, new Date(city.generatedAt)));
    }
  });
});

const N = Number(process.env.STATS_ROLLUP_N ?? 10_000);

describe(`statistics from the rollups at ${N / 1000}k cases`, () => {
  let s: TestServer;
  afterAll(() => s?.close());

  it('folds them and answers as counted independently', async () => {
    s = await startTestServer();
    const now = new Date();
    const docs = generateCases({ tenants: ['luan'], perTenant: N, now, seed: 11 });
    await insertCases(s.models.Case.collection, docs);
    const t0 = performance.now();
    const r = await foldStats(s.models, { owner: 'big', tenants: ['luan'] });
    const foldMs = performance.now() - t0;
    expect(r.changed).toBe(docs.filter((d) => d.status !== 'draft').length);
    const admin = await s.login('luan.admin');
    for (const days of [30, 7]) {
      const from = new Date(+now - days * DAY - 1000);
      const res = await admin.get('/api/v1/admin/stats').query({ from: from.toISOString(), to: now.toISOString() }).expect(200);
      expectSameFigures(res.body, expectedStats(docs, 'luan', from, now, null, new Date(res.body.generatedAt)));
    }
    console.log(`stats rollup at ${N} cases: folded in ${Math.round(foldMs)} ms (${Math.round(N / (foldMs / 1000))} cases/s)`);
  }, 300_000);
});
