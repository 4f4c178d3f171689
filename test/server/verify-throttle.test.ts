/**
 * `GET /verify/:token` is public: it is rate-limited per client address with the limiter of
 * /public/progress (its own counter), so tokens cannot be tried in bulk; other addresses go on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers';

describe('verification rate limit', () => {
  let s: TestServer;
  // the app believes X-Forwarded-For from the trusted loopback proxy: each caller its own address
  beforeAll(async () => { s = await startTestServer({ seed: false, config: { trustedProxies: ['127.0.0.1'] } }); });
  afterAll(async () => { await s?.close(); });
  const verify = (from: string, token = 'AAAAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB') =>
    s.agent().get(`/api/v1/verify/${token}`).set('X-Forwarded-For', from);

  it('should answer 429 in Chinese with Retry-After beyond 60 verifications per address, and not count another address', async () => {
    for (let i = 0; i < 60; i++) expect((await verify('203.0.113.7').expect(200)).body).toEqual({ valid: false });
    const limited = await verify('203.0.113.7').expect(429);
    expect(limited.body.error.code).toBe('too-many-attempts');
    expect(limited.body.error.message).toMatch(/过于频繁/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await verify('203.0.113.8').expect(200)).body).toEqual({ valid: false });
    // the progress lookup's counter is its own
    const counters = (await s.models.PublicThrottle.find().lean()).map((d) => d._id.split(':').slice(0, 2).join(':'));
    expect(counters.sort()).toEqual(['verify:203.0.113.7', 'verify:203.0.113.8']);
  });
});
