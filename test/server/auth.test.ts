import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, startTestServer, type TestServer } from './helpers';

describe('sign-in, sessions and lockout', () => {
  let s: TestServer;
  beforeAll(async () => { s = await startTestServer(); });
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
    expect(me.body.tenant).toEqual({ key: 'luan', name: '六安市' });
    const anon = await s.agent().get('/api/v1/me').expect(401);
    expect(anon.body.error.code).toBe('unauthenticated');
  });

  it('should end the session on logout', async () => {
    const agent = await s.login('luan.medical');
    await agent.post('/api/v1/auth/logout').expect(200);
    await agent.get('/api/v1/me').expect(401);
  });

  it('should refuse a wrong password with 401 in Chinese, and an unknown user the same way', async () => {
    const wrong = await s.agent().post('/api/v1/auth/login').send({ username: 'changzhou.medical', password: 'nope-nope' }).expect(401);
    const unknown = await s.agent().post('/api/v1/auth/login').send({ username: 'nobody.here', password: 'nope-nope' }).expect(401);
    expect(wrong.body.error).toMatchObject({ code: 'bad-credentials', message: '用户名或密码错误' });
    expect(unknown.body.error.code).toBe('bad-credentials');
  });

  it('should lock an account for 15 minutes after 5 failures, even for the right password', async () => {
    const user = 'changzhou.housing-fund';
    for (let i = 0; i < 4; i++) {
      await s.agent().post('/api/v1/auth/login').send({ username: user, password: `wrong-${i}` }).expect(401);
    }
    const fifth = await s.agent().post('/api/v1/auth/login').send({ username: user, password: 'wrong-5' }).expect(423);
    expect(fifth.body.error.code).toBe('locked');
    const right = await s.agent().post('/api/v1/auth/login').send({ username: user, password: DEMO_PASSWORD }).expect(423);
    expect(right.body.error.message).toMatch(/锁定/);
    const locked = await s.models.User.findOne({ username: user }).lean();
    const minutes = (locked!.lockedUntil!.getTime() - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(14);
    expect(minutes).toBeLessThanOrEqual(15);
    // when the lock has run out
    await s.models.User.updateOne({ username: user }, { $set: { lockedUntil: new Date(Date.now() - 1000) } });
    await s.agent().post('/api/v1/auth/login').send({ username: user, password: DEMO_PASSWORD }).expect(200);
  });

  it('should time a session out after 30 idle minutes', async () => {
    const agent = await s.login('luan.hrss');
    await agent.get('/api/v1/me').expect(200);
    await s.models.Session.updateMany({}, { $set: { lastSeenAt: new Date(Date.now() - 31 * 60_000) } });
    const res = await agent.get('/api/v1/me').expect(401);
    expect(res.body.error.message).toMatch(/超时/);
  });

  it('should audit sign-ins and failures', async () => {
    const actions = (await s.models.Audit.find({ actor: 'changzhou.housing-fund' }).lean()).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['auth.failed', 'auth.locked', 'auth.login']));
  });

  it('should reject unknown fields and NoSQL operators in the login body', async () => {
    const extra = await s.agent().post('/api/v1/auth/login').send({ username: 'luan.admin', password: DEMO_PASSWORD, admin: true }).expect(422);
    expect(extra.body.error.errors).toEqual([{ path: 'admin', message: '不允许的字段' }]);
    await s.agent().post('/api/v1/auth/login').send({ username: { $gt: '' }, password: { $gt: '' } }).expect(400); // `$` keys: 400 invalid-json (http/json-guard.ts)
  });
});
