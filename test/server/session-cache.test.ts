/**
 * The callers' cache (services/session-cache.ts, issue #24): a signed-in request reads no session
 * and no user once remembered; a change made on this process is seen at once, one made by another
 * process (here: written to the database behind mongoose's back) within SESSION_CACHE_MS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_CACHE_MS } from '@lianban/server';
import { startTestServer, type TestServer } from './helpers';

describe('remembered callers', () => {
  let s: TestServer;
  const reads: string[] = [];
  beforeAll(async () => {
    s = await startTestServer();
    s.db.connection!.getClient().on('commandStarted', (e: { commandName: string; command: Record<string, unknown> }) => {
      if (e.commandName === 'find') reads.push(String(e.command.find));
    });
  });
  afterAll(async () => { await s?.close(); });

  it('should read the session and the user once for several requests', async () => {
    const hrss = await s.login('luan.hrss');
    await hrss.get('/api/v1/me').expect(200);
    reads.length = 0;
    for (let i = 0; i < 3; i++) await hrss.get('/api/v1/me').expect(200);
    expect(reads.filter((c) => c === 'sessions' || c === 'users')).toEqual([]);
  });

  it('should look a caller up once when many of its requests miss together', async () => {
    // a new session, not remembered yet: 20 requests at once (as at 100 req/s when the entry runs out)
    const cookie = (await s.agent().post('/api/v1/auth/login').send({ username: 'luan.applicant', password: 'Test-Passw0rd!' }).expect(200)).headers['set-cookie']![0]!.split(';')[0]!;
    reads.length = 0;
    const answers = await Promise.all(Array.from({ length: 20 }, () => s.agent().get('/api/v1/me').set('cookie', cookie)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(answers.every((a) => a.body.user.username === 'luan.applicant')).toBe(true);
    expect(reads.filter((c) => c === 'sessions')).toEqual(['sessions']);
    expect(reads.filter((c) => c === 'users')).toEqual(['users']);
  });

  it('should refuse a signed-out session at once, even replayed', async () => {
    const agent = await s.login('luan.window');
    const me = await agent.get('/api/v1/me').expect(200);
    expect(me.body.user.username).toBe('luan.window');
    const cookie = (await s.agent().post('/api/v1/auth/login').send({ username: 'luan.applicant', password: 'Test-Passw0rd!' }).expect(200)).headers['set-cookie']![0]!.split(';')[0]!;
    await s.agent().get('/api/v1/me').set('cookie', cookie).expect(200);
    await s.agent().post('/api/v1/auth/logout').set('cookie', cookie).set('origin', 'http://127.0.0.1').expect(200);
    await s.agent().get('/api/v1/me').set('cookie', cookie).expect(401);
  });

  it('should see an administrator\'s change of roles and a disabled account at once', async () => {
    const admin = await s.login('luan.admin');
    const staff = await s.login('luan.hrss');
    await staff.get('/api/v1/tasks').expect(200);
    await admin.put('/api/v1/admin/users/luan.hrss').send({ departments: ['hrss', 'medical'] }).expect(200);
    expect((await staff.get('/api/v1/me').expect(200)).body.user.departments).toEqual(['hrss', 'medical']);
    await admin.put('/api/v1/admin/users/luan.hrss').send({ disabled: true }).expect(200);
    await staff.get('/api/v1/me').expect(401);
    await admin.put('/api/v1/admin/users/luan.hrss').send({ disabled: false, departments: ['hrss'] }).expect(200);
  });

  it(`should see another process's change within ${SESSION_CACHE_MS} ms`, async () => {
    const agent = await s.login('luan.housing-fund');
    await agent.get('/api/v1/me').expect(200);
    // another process disables the account: nothing of this process hears of it
    await s.models.User.collection.updateOne({ username: 'luan.housing-fund' }, { $set: { disabled: true } });
    const started = Date.now();
    let refusedAfter = -1;
    while (Date.now() - started < SESSION_CACHE_MS + 2000) {
      if ((await agent.get('/api/v1/me')).status === 401) { refusedAfter = Date.now() - started; break; }
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(refusedAfter).toBeGreaterThanOrEqual(0);
    expect(refusedAfter).toBeLessThanOrEqual(SESSION_CACHE_MS + 500);
    await s.models.User.collection.updateOne({ username: 'luan.housing-fund' }, { $set: { disabled: false } });
  });
});
