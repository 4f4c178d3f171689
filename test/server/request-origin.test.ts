import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientAddress, configFromEnv, parseTrustedProxies } from '@lianban/server';
import { DEMO_PASSWORD, startTestServer, type TestServer } from './helpers';

describe('client address behind proxies', () => {
  const none = parseTrustedProxies(undefined);
  const local = parseTrustedProxies('127.0.0.1, 10.0.0.0/8, ::1');

  it('should ignore X-Forwarded-For unless the socket peer is a trusted proxy', () => {
    expect(clientAddress('203.0.113.9', '1.2.3.4', none)).toBe('203.0.113.9');
    expect(clientAddress('127.0.0.1', '1.2.3.4', none)).toBe('127.0.0.1');
    expect(clientAddress('203.0.113.9', '1.2.3.4', local)).toBe('203.0.113.9');
  });

  it('should take the nearest untrusted hop from a trusted proxy, not the leftmost (forgeable) one', () => {
    expect(clientAddress('::ffff:127.0.0.1', '198.51.100.7', local)).toBe('198.51.100.7');
    // the client sent "X-Forwarded-For: 1.2.3.4"; nginx appended the real peer
    expect(clientAddress('127.0.0.1', '1.2.3.4, 198.51.100.7', local)).toBe('198.51.100.7');
    // two proxies of ours
    expect(clientAddress('127.0.0.1', '1.2.3.4, 198.51.100.7, 10.1.2.3', local)).toBe('198.51.100.7');
    expect(clientAddress('::1', 'garbage, 10.0.0.5', local)).toBe('10.0.0.5');
  });

  it('should refuse a LIANBAN_TRUSTED_PROXIES entry that is not an address or CIDR, naming it', () => {
    expect(() => configFromEnv({ LIANBAN_TRUSTED_PROXIES: '127.0.0.1, nginx.local' })).toThrow(/nginx\.local/);
    expect(() => parseTrustedProxies('10.0.0.0/33')).toThrow(/10\.0\.0\.0\/33/);
    expect(configFromEnv({ LIANBAN_TRUSTED_PROXIES: '127.0.0.1,10.0.0.0/8' }).trustedProxies).toEqual(['127.0.0.1', '10.0.0.0/8']);
    expect(configFromEnv({}).trustedProxies).toEqual([]);
  });
});

describe('requests: forwarded addresses and cross-site refusal', () => {
  let plain: TestServer;
  let proxied: TestServer;
  beforeAll(async () => {
    plain = await startTestServer();
    proxied = await startTestServer({ config: { trustedProxies: ['127.0.0.1'] } });
  });
  afterAll(async () => { await plain?.close(); await proxied?.close(); });

  const login = (s: TestServer, forwardedFor: string) =>
    s.agent().post('/api/v1/auth/login').set('X-Forwarded-For', forwardedFor).send({ username: 'luan.window', password: DEMO_PASSWORD }).expect(200);

  it('should audit the socket address, not a forged X-Forwarded-For, by default', async () => {
    await login(plain, '6.6.6.6');
    const rec = await plain.models.Audit.findOne({ action: 'auth.login', actor: 'luan.window' }).lean();
    expect(rec!.ip).toBe('127.0.0.1');
  });

  it('should believe X-Forwarded-For from a trusted proxy', async () => {
    await login(proxied, '6.6.6.6, 198.51.100.23');
    const rec = await proxied.models.Audit.findOne({ action: 'auth.login', actor: 'luan.window' }).lean();
    expect(rec!.ip).toBe('198.51.100.23');
  });

  it('should refuse state-changing requests from another site with 403 cross-site', async () => {
    const agent = await plain.login('luan.applicant');
    const foreign = await agent.post('/api/v1/auth/logout').set('Origin', 'https://evil.example').expect(403);
    expect(foreign.body.error.code).toBe('cross-site');
    expect(foreign.body.error.message).toMatch(/其他网站/);
    const fetchSite = await agent.post('/api/v1/auth/logout').set('Sec-Fetch-Site', 'cross-site').expect(403);
    expect(fetchSite.body.error.code).toBe('cross-site');
    await agent.post('/api/v1/auth/logout').set('Origin', 'http://127.0.0.1.evil.example').expect(403);
    await plain.agent().post('/api/v1/auth/login').set('Origin', 'null').send({ username: 'luan.applicant', password: DEMO_PASSWORD }).expect(403);
    // the session survived both
    await agent.get('/api/v1/me').expect(200);
    // reads are not refused
    await agent.get('/api/v1/me').set('Origin', 'https://evil.example').expect(200);
  });

  it('should let the server\'s own origin and callers without Origin (department systems) through', async () => {
    const agent = await plain.login('luan.applicant');
    const url = new URL((agent as unknown as { app: string }).app);
    await agent.post('/api/v1/auth/logout').set('Origin', url.origin).set('Sec-Fetch-Site', 'same-origin').expect(200);
    await plain.agent().post('/api/v1/auth/login').send({ username: 'luan.applicant', password: DEMO_PASSWORD }).expect(200);
  });
});
