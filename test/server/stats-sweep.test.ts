/**
 * The statistics folder's look-back split (services/stats-rollup.ts, docs/stats.md "Folding"): a
 * tick reads the cases changed since the watermark less TICK_OVERLAP_MS (10 s), a sweep — the
 * first fold, then once every SWEEP_MS per city, as recorded in the city's `stats_state.sweptAt` —
 * less OVERLAP_MS (2 min). A straggler (a write committed after the fold whose `updatedAt` is
 * older than the tick's look-back: a long transaction, a process's clock behind) is missed by the
 * ticks and counted by the next sweep. The route folds in memory what the next tick would read:
 * a city with thousands of case writes in the last two minutes, all folded, still gets a current
 * answer (it used to re-read the two minutes, > MAX_PENDING, and fall back to the rollups alone).
 * A tick or sweep reads the window's fingerprints (`updatedAt`, revision) and only the changed
 * cases whole (#24: re-reading the whole 10-s window every 2 s was the largest stall of a busy
 * server).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldStats, type FoldMemory } from '@lianban/server';
import { startTestServer, type TestServer } from './helpers';
import { expectedStats, generateCases, insertCases } from './stats-data';

const DAY = 86_400_000;
const N = 2100; // more than MAX_PENDING (2000)

describe('the statistics folder: ticks, sweeps and stragglers', () => {
  let s: TestServer;
  let docs: Record<string, any>[];
  let now: Date;
  // what the live folder keeps between its ticks (startStatsRollup): the fingerprints it folded
  const memory: FoldMemory = new Map();
  const fold = () => foldStats(s.models, { owner: 'sweep-test', tenants: ['luan'], memory });
  beforeAll(async () => {
    s = await startTestServer();
    now = new Date();
    docs = generateCases({ tenants: ['luan'], perTenant: N, now, seed: 31 });
    // a busy city: every case written within the last two minutes (a minute ago)
    const written = new Date(Date.now() - 60_000);
    for (const d of docs) d.updatedAt = written;
    await insertCases(s.models.Case.collection, docs);
  }, 120_000);
  afterAll(() => s?.close());

  const period = () => ({ from: new Date(+now - 61 * DAY).toISOString(), to: new Date(Date.now() + 60_000).toISOString() });

  it('answers current although more than MAX_PENDING cases changed in the last two minutes, all folded', async () => {
    const first = await fold();
    expect(first.changed).toBe(docs.filter((d) => d.status !== 'draft').length);
    const state = (await s.models.StatsState.findById('luan').lean())!;
    expect(state.sweptAt).toBeInstanceOf(Date);
    const admin = await s.login('luan.admin');
    const at = Date.now();
    const res = await admin.get('/api/v1/admin/stats').query(period()).expect(200);
    // current (the request's time), not the watermark: the cases folded a minute ago are not re-read
    expect(Date.parse(res.body.asOf)).toBeGreaterThanOrEqual(at);
    expect(Date.parse(res.body.asOf)).toBeGreaterThan(+state.watermark!);
    const want = expectedStats(docs, 'luan', new Date(res.body.from), new Date(res.body.to), null, new Date(res.body.generatedAt));
    expect(res.body.received).toBe(want.received);
    expect(res.body.byStatus).toEqual(want.byStatus);
  }, 120_000);

  it('counts a straggler write at the next sweep, not at a tick', async () => {
    const { Case, StatsState } = s.models;
    const admin = await s.login('luan.admin');
    const ask = async () => (await admin.get('/api/v1/admin/stats').query(period()).expect(200)).body;
    const before = await ask();
    const state = (await StatsState.findById('luan').lean())!;
    // committed now, but its updatedAt was taken 30 s before the watermark: older than a tick's
    // look-back (10 s), newer than a sweep's (2 min)
    const straggler = docs.find((d) => d.status === 'in-progress')!;
    const res = await Case.updateOne({ _id: straggler._id }, { $set: { status: 'rejected', updatedAt: new Date(+state.watermark! - 30_000) } }, { timestamps: false });
    expect(res.modifiedCount).toBe(1);
    // and an ordinary write, now: a tick's
    const ordinary = docs.find((d) => d.status === 'submitted')!;
    await Case.updateOne({ _id: ordinary._id }, { $set: { status: 'withdrawn' } });

    // the route reads what the next tick reads: the ordinary write, not the straggler
    const pendingAnswer = await ask();
    expect(pendingAnswer.byStatus.withdrawn).toBe(before.byStatus.withdrawn + 1);
    expect(pendingAnswer.byStatus.rejected).toBe(before.byStatus.rejected);

    // a tick (the last sweep was the first fold, moments ago): the ordinary write only
    const tick = await fold();
    expect(tick.changed).toBe(1);
    const afterTick = await StatsState.findById('luan').lean();
    expect(+afterTick!.sweptAt!).toBe(+state.sweptAt!); // not a sweep
    expect(+afterTick!.watermark!).toBeGreaterThan(+state.watermark!);
    expect((await fold()).changed).toBe(0);
    expect((await ask()).byStatus.rejected).toBe(before.byStatus.rejected);

    // a minute later (the state row says when the city was last swept): the sweep counts it
    await StatsState.updateOne({ _id: 'luan' }, { $set: { sweptAt: new Date(Date.now() - 61_000) } });
    const sweep = await fold();
    expect(sweep.changed).toBe(1);
    const afterSweep = (await StatsState.findById('luan').lean())!;
    expect(Date.now() - +afterSweep.sweptAt!).toBeLessThan(60_000);
    const answer = await ask();
    expect(answer.byStatus.rejected).toBe(before.byStatus.rejected + 1);
    expect(answer.byStatus['in-progress']).toBe(before.byStatus['in-progress'] - 1);
    straggler.status = 'rejected';
    ordinary.status = 'withdrawn';
    const want = expectedStats(docs, 'luan', new Date(answer.from), new Date(answer.to), null, new Date(answer.generatedAt));
    expect(answer.received).toBe(want.received);
    expect(answer.byStatus).toEqual(want.byStatus);
    // the next tick: nothing left
    expect((await fold()).changed).toBe(0);
  }, 120_000);

  it('reads whole only the cases whose fingerprint changed since it folded them', async () => {
    const { Case, StatsState } = s.models;
    // the cases' figure fields read whole (by id, after the fingerprints): counted from the driver's own events
    const client = Case.db.getClient();
    let readWhole = 0;
    const onCommand = (e: { commandName: string; command: Record<string, any> }) => {
      if (e.commandName === 'find' && e.command.find === 'cases' && e.command.projection?.status) readWhole += e.command.filter?._id?.$in?.length ?? 1000;
    };
    client.on('commandStarted', onCommand);
    try {
      // every case inside a tick's look-back, as on a busy server
      await Case.updateMany({ tenant: 'luan' }, { $set: { updatedAt: new Date() } }, { timestamps: false });
      await StatsState.updateOne({ _id: 'luan' }, { $set: { sweptAt: new Date() } });
      readWhole = 0;
      await fold(); // new fingerprints: each read once
      expect(readWhole).toBe(N);
      readWhole = 0;
      expect((await fold()).changed).toBe(0);
      expect(readWhole).toBe(0);
      // one case moves on (a state change: its revision and updatedAt move)
      const one = docs.find((d) => d.status === 'submitted')!;
      await Case.updateOne({ _id: one._id }, { $set: { status: 'in-progress' }, $inc: { rev: 1 } });
      readWhole = 0;
      expect((await fold()).changed).toBe(1);
      expect(readWhole).toBe(1);
      one.status = 'in-progress';
      // a folder without the memory (another process taking over the lease) reads the window whole, and changes nothing
      readWhole = 0;
      expect((await foldStats(s.models, { owner: 'sweep-test', tenants: ['luan'] })).changed).toBe(0);
      expect(readWhole).toBe(N);
    } finally {
      client.off('commandStarted', onCommand);
    }
    const admin = await s.login('luan.admin');
    const answer = (await admin.get('/api/v1/admin/stats').query(period()).expect(200)).body;
    const want = expectedStats(docs, 'luan', new Date(answer.from), new Date(answer.to), null, new Date(answer.generatedAt));
    expect(answer.byStatus).toEqual(want.byStatus);
  }, 120_000);
});
