/**
 * Where requests wait (bench/stalls.ts, #24): the server's metrics and the database's
 * serverStatus report event-loop stalls, the journal's fsyncs and commit waits, and the time a
 * route's requests spent in the handler and on database commands — read before and after a window
 * as the open-loop rounds do. Against the real app (the embedded database in this process, so one
 * event loop: a deliberate 150-ms block must show in both).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// eslint-disable-next-line import-x/no-relative-packages -- bench/ is not a workspace package: tested by path
import { describeStalls, StallProbe } from '../../bench/stalls';
import { startTestServer, type TestServer } from '../server/helpers';

const TOKEN = 'stalls-test-token-0123456789';

describe('where requests wait', () => {
  let s: TestServer;
  let probe: StallProbe;
  beforeAll(async () => {
    s = await startTestServer({ config: { metricsToken: TOKEN } });
    probe = new StallProbe(async () => (await s.agent().get('/api/v1/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200)).text, s.db.connection!);
  });
  afterAll(async () => { await s?.close(); });

  it('should show a stall of the event loop, the journal\'s work and the per-request split', async () => {
    const { stalls } = await probe.around('GET /me', async () => {
      // a sign-in writes its session: a commit that waits for the journal
      const applicant = await s.login('luan.applicant');
      for (let i = 0; i < 5; i++) await applicant.get('/api/v1/me').expect(200);
      const until = performance.now() + 150;
      while (performance.now() < until) { /* a long synchronous chunk, as a background job can make */ }
      await applicant.get('/api/v1/me').expect(200);
    });
    expect(stalls.server.loopMaxMs).toBeGreaterThanOrEqual(140);
    expect(stalls.db!.loopMaxMs).toBeGreaterThanOrEqual(140);
    expect(stalls.db!.fsyncs).toBeGreaterThanOrEqual(1);
    expect(stalls.db!.commitWaitMaxMs).toBeGreaterThan(0);
    expect(stalls.perRequest!.handledMs).toBeGreaterThan(0);
    expect(stalls.byCollection.some(([k]) => k === 'insert sessions')).toBe(true);
    expect(describeStalls(stalls)).toMatch(/server event loop p99 [\d.]+ ms, longest stall (1[4-9]\d|[2-9]\d\d|\d{4,}) ms/);

    // the next window starts afresh: no stall in it
    const quiet = await probe.around('GET /me', async () => { await new Promise((r) => setTimeout(r, 50)); });
    expect(quiet.stalls.server.loopMaxMs).toBeLessThan(140);
    expect(quiet.stalls.perRequest).toBeNull();
  });
});
