import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, startTestServer, type TestServer } from './helpers';

describe('sign-in, sessions and throttling', () => {
  let s: TestServer;
  // behind a trusted proxy (this process), so each test can call from an address of its own
  beforeAll(async () => { s = await startTestServer({ config: { trustedProxies: ['127.0.0.1'] } }); });
  afterAll(async () => { await s?.close(); });

  it('should sign in a demo account and set an HttpOnly SameSite cookie', async () => {
    const res = await s.agent().post('/api/v1/auth/login').send({ username: 'changzhou.hrss', password: DEMO_PASSWORD }).expect(200);
    expect(res.body.user).toMatchObject({ username: 'changzhou.hrss', roles: ['staff'], tenant: 'changzhou', departments: ['hrss'] });
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/lianban_sid=/);
    expect(cookie.toLowerCase()).toContain('httponly');
    expect(cookie.toLowerCase()).toContain('samesite=strict');
    expect(res.body.user.passwordHash).toBeUndefined();
  });

  it('should answer /me for the session and 401 without one', async () => {
    const agent = await s.login('luan.window');
    const me = await agent.get('/api/v1/me').expect(200);
    expect(me.body.user.username).toBe('luan.window');
    expect(me.body.tenant).toMatchObject({ key: 'luan', name: '六安市' });
    expect(me.body.tenant.departments).toContainEqual({ key: 'window', name: expect.any(String) });
    const anon = await s.agent().get('/api/v1/me').expect(401);
    expect(anon.body.error.code).toBe('unauthenticated');
  });

  it('should end the session on logout', async () => {
    const agent = await s.login('luan.medical');
    await agent.post('/api/v1/auth/logout').expect(200);
    await agent.get('/api/v1/me').expect(401);
  });

  const attempt = (username: string, password: string, from: string) =>
    s.agent().post('/api/v1/auth/login').set('X-Forwarded-For', from).send({ username, password });

  it('should refuse a wrong password and an unknown user with the same 401 body', async () => {
    const wrong = await s.agent().post('/api/v1/auth/login').send({ username: 'changzhou.medical', password: 'nope-nope' }).expect(401);
    const unknown = await s.agent().post('/api/v1/auth/login').send({ username: 'nobody.here', password: 'nope-nope' }).expect(401);
    expect(wrong.body).toEqual({ error: { code: 'bad-credentials', message: '用户名或密码错误' } });
    // nothing tells a real account from a made-up name (no attemptsLeft for real ones only)
    expect(unknown.body).toEqual(wrong.body);
  });

  it('should throttle an unknown name exactly as a real one, 429 with Retry-After after 5 failures', async () => {
    const answers = [];
    for (const username of ['luan.medical', 'luan.nobody']) {
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await attempt(username, `wrong-${i}`, '203.0.113.50')).status);
      expect(statuses).toEqual([401, 401, 401, 401, 401]);
      const sixth = await attempt(username, 'wrong-6', '203.0.113.50').expect(429);
      expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(0);
      answers.push(sixth.body);
    }
    expect(answers[0].error.code).toBe('too-many-attempts');
    expect(answers[0].error.message).toMatch(/分钟后再试/);
    expect(answers[1]).toEqual(answers[0]);
  });

  it('should not let 5 anonymous failures lock the owner out from another address', async () => {
    const user = 'changzhou.housing-fund';
    for (let i = 0; i < 5; i++) await attempt(user, `wrong-${i}`, '198.51.100.66').expect(401);
    // the attacker's address waits, even with the right password …
    const refused = await attempt(user, DEMO_PASSWORD, '198.51.100.66').expect(429);
    expect(refused.body.error.code).toBe('too-many-attempts');
    // … the owner, elsewhere, signs in
    await attempt(user, DEMO_PASSWORD, '192.0.2.10').expect(200);
  });

  it('should slow every new address after 20 failures on one account, but not its known-good address', async () => {
    const user = 'luan.housing-fund';
    await attempt(user, DEMO_PASSWORD, '192.0.2.20').expect(200); // the owner's usual address
    for (const from of ['198.51.100.1', '198.51.100.2', '198.51.100.3', '198.51.100.4']) {
      for (let i = 0; i < 5; i++) await attempt(user, `wrong-${i}`, from).expect(401);
    }
    await attempt(user, DEMO_PASSWORD, '198.51.100.5').expect(429);
    await attempt(user, DEMO_PASSWORD, '192.0.2.20').expect(200);
    const admin = await s.login('luan.admin');
    const listed = (await admin.get('/api/v1/admin/users').expect(200)).body.find((u: { username: string }) => u.username === user);
    expect(listed.locked).toBe(true);
  });

  it('should count a burst of parallel guesses from one address, not let them all past the check', async () => {
    const user = 'changzhou.health';
    const burst = await Promise.all(Array.from({ length: 12 }, (_, i) => attempt(user, `guess-${i}`, '198.51.100.88')));
    const statuses = burst.map((r) => r.status);
    expect(statuses.filter((st) => st === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.every((st) => st === 401 || st === 429)).toBe(true);
    // the owner elsewhere is unaffected, and parallel sign-ins of one account from one address queue
    const together = await Promise.all([0, 1, 2].map(() => attempt(user, DEMO_PASSWORD, '192.0.2.88')));
    expect(together.map((r) => r.status)).toEqual([200, 200, 200]);
  });

  it('should let only the city\'s administrator unlock an account, and audit it', async () => {
    const user = 'luan.window';
    for (let i = 0; i < 5; i++) await attempt(user, `wrong-${i}`, '198.51.100.77').expect(401);
    await attempt(user, DEMO_PASSWORD, '198.51.100.77').expect(429);
    const staff = await s.login('luan.hrss');
    await staff.post(`/api/v1/admin/users/${user}/unlock`).expect(403);
    await s.agent().post(`/api/v1/admin/users/${user}/unlock`).expect(401);
    const otherCity = await s.login('changzhou.admin');
    await otherCity.post(`/api/v1/admin/users/${user}/unlock`).expect(404);
    await attempt(user, DEMO_PASSWORD, '198.51.100.77').expect(429);
    const admin = await s.login('luan.admin');
    const res = await admin.post(`/api/v1/admin/users/${user}/unlock`).expect(200);
    expect(res.body).toMatchObject({ username: user, locked: false });
    await attempt(user, DEMO_PASSWORD, '198.51.100.77').expect(200);
    const unlock = await s.models.Audit.findOne({ action: 'user.unlock', target: `user:${user}` }).lean();
    expect(unlock).toMatchObject({ actor: 'luan.admin', tenant: 'luan' });
  });

  it('should time a session out after 30 idle minutes', async () => {
    const agent = await s.login('luan.hrss');
    await agent.get('/api/v1/me').expect(200);
    await s.models.Session.updateMany({}, { $set: { lastSeenAt: new Date(Date.now() - 31 * 60_000) } });
    const res = await agent.get('/api/v1/me').expect(401);
    expect(res.body.error.message).toMatch(/超时/);
  });

  it('should audit sign-ins, failures and refused attempts with the client\'s address', async () => {
    const records = await s.models.Audit.find({ actor: 'changzhou.housing-fund' }).lean();
    expect(records.map((a) => a.action)).toEqual(expect.arrayContaining(['auth.failed', 'auth.refused', 'auth.login']));
    expect(records.find((a) => a.action === 'auth.refused')).toMatchObject({ ip: '198.51.100.66', target: 'user:changzhou.housing-fund' });
    expect(records.find((a) => a.action === 'auth.login')).toMatchObject({ ip: '192.0.2.10' });
    // a made-up name's failures are audited too
    expect(await s.models.Audit.countDocuments({ actor: 'luan.nobody', action: 'auth.refused' })).toBe(1);
  });

  it('should reject unknown fields and NoSQL operators in the login body', async () => {
    const extra = await s.agent().post('/api/v1/auth/login').send({ username: 'luan.admin', password: DEMO_PASSWORD, admin: true }).expect(422);
    expect(extra.body.error.errors).toEqual([{ path: 'admin', message: '不允许的字段' }]);
    await s.agent().post('/api/v1/auth/login').send({ username: { $gt: '' }, password: { $gt: '' } }).expect(400); // `$` keys: 400 invalid-json (http/json-guard.ts)
  });
});
