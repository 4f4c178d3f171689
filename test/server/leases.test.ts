/**
 * Work done once by one of several processes on one database (services/leases.ts): demo
 * seeding when three server processes start together on a new database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOnce, seedDemoAccounts, seedDemoTemplates } from '@lianban/server';
import { DEMO_PASSWORD, startTestServer, type TestServer } from './helpers';

describe('runOnce', () => {
  let s: TestServer;
  beforeAll(async () => { s = await startTestServer({ seed: false }); });
  afterAll(async () => { await s?.close(); });

  it('should seed the demo data once when three processes start at the same time', async () => {
    // given three "processes" (owners) racing for the seeding lease on one empty database
    const runs: string[] = [];
    const seed = (owner: string) => runOnce(s.models, 'demo-seed-test', async (recovering) => {
      runs.push(`${owner}:${recovering}`);
      await seedDemoAccounts(s.models, DEMO_PASSWORD);
      await seedDemoTemplates(s.models);
      return owner;
    }, { owner, pollMs: 50 });
    const results = await Promise.all(['a', 'b', 'c'].map(seed));
    // then exactly one did the work and the others waited for it to finish
    expect(runs).toHaveLength(1);
    expect(results.filter((r) => r !== undefined)).toEqual([runs[0]!.split(':')[0]]);
    expect(runs[0]).toMatch(/:false$/);
    // and every shipped matter was published once, as version 1
    const versions = await s.models.MatterVersion.find({}).lean();
    expect(versions.length).toBeGreaterThan(0);
    expect(versions.every((v) => v.version === 1)).toBe(true);
    // and a later start does nothing
    expect(await seed('d')).toBeUndefined();
  });

  it('should let another process take over the work of one that failed', async () => {
    await expect(runOnce(s.models, 'flaky', async () => { throw new Error('boom'); }, { owner: 'a' })).rejects.toThrow('boom');
    expect(await runOnce(s.models, 'flaky', async (recovering) => `b:${recovering}`, { owner: 'b' })).toBe('b:true');
  });

  it('should take over a lease whose holder died once it ran out, and wait while it is held', async () => {
    // a holder that died: its lease runs out after 300 ms and was never marked done
    await s.models.Lease.create({ _id: 'died', owner: 'dead', until: new Date(Date.now() + 300), doneAt: null });
    const started = Date.now();
    const result = await runOnce(s.models, 'died', async (recovering) => recovering, { owner: 'b', pollMs: 50 });
    expect(result).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect((await s.models.Lease.findById('died').lean())!.doneAt).not.toBeNull();
  });
});
