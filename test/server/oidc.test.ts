/**
 * 统一身份认证: sign-in through a real OpenID Connect provider running in this process
 * (`oidc-provider`, test/server/oidc-provider.ts): login → the provider's login page → callback →
 * session; the claims make the account; forged state, a replayed code and a wrong nonce are refused.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishMini, startTestServer, type TestServer } from './helpers';
import { OIDC_LOGIN_LIMIT } from '@lianban/server';
import { CLIENT, CookieBrowser, locationOf, PEOPLE, startTestProvider, throughProvider, type TestProvider } from './oidc-provider';

describe('统一身份认证 (OIDC sign-in)', () => {
  let s: TestServer;
  let idp: TestProvider;
  let app: Server;
  let base: string;

  beforeAll(async () => {
    idp = await startTestProvider();
    s = await startTestServer({
      config: {
        oidc: {
          issuer: idp.issuer, clientId: CLIENT.id, clientSecret: CLIENT.secret, scope: 'openid profile phone',
          idClaim: 'id_number', nameClaim: 'name', phoneClaim: 'phone_number', levelClaim: 'auth_level', staffClaim: 'staff_username',
        },
      },
    });
    // the platform as the browser sees it: its callback address is the provider's registered redirect URI
    app = createServer(s.http);
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', () => resolve()));
    base = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
    idp.register(`${base}/api/v1/auth/oidc/callback`);
    await publishMini(s);
  });
  afterAll(async () => {
    app?.closeAllConnections();
    await new Promise((resolve) => app?.close(resolve));
    await s?.close();
    await idp?.close();
  });

  /** Starts a sign-in at the platform; answers the provider's authorization URL. */
  async function start(browser: CookieBrowser, query = 'city=luan&next=/apply'): Promise<string> {
    const res = await browser.get(`${base}/api/v1/auth/oidc/login?${query}`);
    expect(res.status).toBe(302);
    const url = locationOf(res, base);
    expect(url.startsWith(idp.issuer)).toBe(true);
    return url;
  }

  it('should say that OIDC is on, with the cities to choose from', async () => {
    const info = await fetch(`${base}/api/v1/auth/oidc`).then((r) => r.json());
    expect(info).toMatchObject({ enabled: true, cities: expect.arrayContaining([{ key: 'luan', name: expect.any(String) }, { key: 'changzhou', name: expect.any(String) }]) });
  });

  it('should sign a person in through the provider, make their applicant account from the claims and link the case filed for them at the window', async () => {
    // given a case filed at the 六安 window for 王芳 before she had an account
    const person = PEOPLE.wangfang! as { id_number: string };
    const window = await s.login('luan.window');
    const filed = await window.post('/api/v1/cases').send({
      matter: 'mini', form: 'mini-form', data: { name: '王芳', idNumber: person.id_number }, onBehalfOf: { idNumber: person.id_number, name: '王芳', phone: '13912345678' },
    }).expect(201);

    // when she signs in through the identity platform
    const browser = new CookieBrowser();
    const authorize = new URL(await start(browser));
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      response_type: 'code', client_id: CLIENT.id, code_challenge_method: 'S256', scope: 'openid profile phone', redirect_uri: `${base}/api/v1/auth/oidc/callback`,
    });
    for (const p of ['state', 'nonce', 'code_challenge']) expect(authorize.searchParams.get(p)).toMatch(/^[\w-]{20,}$/);
    const callback = await throughProvider(browser, authorize.href, 'wangfang');
    expect(callback.startsWith(`${base}/api/v1/auth/oidc/callback?`)).toBe(true);
    const back = await browser.get(callback);

    // then she is signed in and sent where she started
    expect(back.status).toBe(302);
    expect(back.headers.get('location')).toBe('/apply');
    expect(browser.cookie(base, 'lianban_sid')).toBeTruthy();
    const me = await browser.get(`${base}/api/v1/me`).then((r) => r.json());
    expect(me.user).toMatchObject({ displayName: '王芳', roles: ['applicant'], tenant: 'luan', authLevel: 3 });
    const account = await s.models.User.findOne({ tenant: 'luan', idNumber: person.id_number }).lean();
    expect(account).toMatchObject({ username: me.user.username, displayName: '王芳', phone: '13912345678', oidcSubject: 'wangfang', roles: ['applicant'] });
    // and the window's case is hers now
    const list = await browser.get(`${base}/api/v1/cases`).then((r) => r.json());
    expect(list.map((c: { id: string }) => c.id)).toContain(filed.body.id);
    const view = await browser.get(`${base}/api/v1/cases/${filed.body.id}`).then((r) => r.json());
    expect(view.timeline.at(-1)).toMatchObject({ action: 'case.linked-to-account', actor: me.user.username });
    expect(await s.models.Audit.exists({ action: 'auth.login', actor: me.user.username, 'details.method': 'oidc' })).toBeTruthy();

    // and signing in again is the same account (same ID number), with the level of that sign-in
    const again = new CookieBrowser();
    await again.get(await throughProvider(again, await start(again), 'wangfang'));
    const me2 = await again.get(`${base}/api/v1/me`).then((r) => r.json());
    expect(me2.user.username).toBe(me.user.username);
    expect(await s.models.User.countDocuments({ tenant: 'luan', idNumber: person.id_number })).toBe(1);
  });

  it('should map the 实名 level claim (2, urn:…:loa:1) and make a separate account per city', async () => {
    const browser = new CookieBrowser();
    await browser.get(await throughProvider(browser, await start(browser), 'zhaolei'));
    expect((await browser.get(`${base}/api/v1/me`).then((r) => r.json())).user).toMatchObject({ displayName: '赵磊', authLevel: 2 });
    const cz = new CookieBrowser();
    await cz.get(await throughProvider(cz, await start(cz, 'city=changzhou'), 'sunli'));
    expect((await cz.get(`${base}/api/v1/me`).then((r) => r.json())).user).toMatchObject({ displayName: '孙丽', tenant: 'changzhou', authLevel: 1 });
  });

  it('should refuse a forged state, a state from another browser, a replayed code and a wrong nonce, with a Chinese page', async () => {
    // a forged state: no sign-in was started with it
    const browser = new CookieBrowser();
    const callback = new URL(await throughProvider(browser, await start(browser), 'zhaolei'));
    const forged = new URL(callback);
    forged.searchParams.set('state', 'forged-state-0123456789abcdefghijklmnop');
    const refused = await browser.get(forged.href);
    expect(refused.status).toBe(400);
    const page = await refused.text();
    expect(page).toContain('登录请求无效或已过期');
    expect(page).toContain('oidc-state-invalid');
    expect(browser.cookie(base, 'lianban_sid')).toBeUndefined();

    // the real callback from another browser (an attacker pushing their sign-in on a victim)
    const victim = new CookieBrowser();
    expect((await victim.get(callback.href)).status).toBe(400);
    expect(victim.cookie(base, 'lianban_sid')).toBeUndefined();

    // the same callback again (its state is used up)
    const first = new CookieBrowser();
    const cb = await throughProvider(first, await start(first), 'zhaolei');
    expect((await first.get(cb)).status).toBe(302);
    expect((await first.get(cb)).status).toBe(400);

    // a code already exchanged, sent with a fresh state of the same browser
    const second = await start(first);
    const replay = new URL(cb);
    replay.searchParams.set('state', new URL(second).searchParams.get('state')!);
    const replayed = await first.get(replay.href);
    expect(replayed.status).toBe(400);
    expect(await replayed.text()).toContain('oidc-code-refused');

    // an ID token whose nonce is not the one this sign-in sent (the request's nonce changed on the way)
    const third = new CookieBrowser();
    const tampered = new URL(await start(third));
    tampered.searchParams.set('nonce', 'a-nonce-the-platform-never-sent-0123456789');
    const wrongNonce = await third.get(await throughProvider(third, tampered.href, 'zhaolei'));
    expect(wrongNonce.status).toBe(400);
    expect(await wrongNonce.text()).toContain('oidc-id-token-invalid');
    expect(third.cookie(base, 'lianban_sid')).toBeUndefined();
  });

  it('should open a staff account named by the staff claim, and refuse one that names no account', async () => {
    const staff = new CookieBrowser();
    const back = await staff.get(await throughProvider(staff, await start(staff, 'city=luan&next=/tasks'), 'hrss'));
    expect(back.headers.get('location')).toBe('/tasks');
    expect((await staff.get(`${base}/api/v1/me`).then((r) => r.json())).user).toMatchObject({ username: 'luan.hrss', roles: ['staff'], tenant: 'luan' });
    const stranger = new CookieBrowser();
    const refused = await stranger.get(await throughProvider(stranger, await start(stranger), 'stranger'));
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('oidc-no-account');
    // the staff claim of another city's account does not open it
    const elsewhere = new CookieBrowser();
    expect((await elsewhere.get(await throughProvider(elsewhere, await start(elsewhere, 'city=changzhou'), 'hrss'))).status).toBe(403);
  });

  it('should refuse claims without a valid ID number, and follow only same-origin next paths', async () => {
    const noId = new CookieBrowser();
    const a = await noId.get(await throughProvider(noId, await start(noId), 'noid'));
    expect(a.status).toBe(400);
    expect(await a.text()).toContain('未提供公民身份号码');
    const badId = new CookieBrowser();
    const b = await badId.get(await throughProvider(badId, await start(badId), 'badid'));
    expect(b.status).toBe(400);
    expect(await b.text()).toContain('oidc-bad-id-number');
    const offsite = new CookieBrowser();
    const c = await offsite.get(await throughProvider(offsite, await start(offsite, 'city=luan&next=//evil.example/x'), 'zhaolei'));
    expect(c.headers.get('location')).toBe('/');
    const unknownCity = await new CookieBrowser().get(`${base}/api/v1/auth/oidc/login?city=nowhere`);
    expect(unknownCity.status).toBe(400);
    expect(await unknownCity.text()).toContain('城市「nowhere」不存在');
  });

  // after the sign-ins above (it spends this address's allowance), before the provider-down case (it re-configures OIDC for the process)
  it('should refuse to start sign-ins without end from one address (429 with a Chinese page and Retry-After)', async () => {
    let refused: Response | undefined;
    let started = 0;
    for (let i = 0; i <= OIDC_LOGIN_LIMIT && !refused; i++) {
      const res = await new CookieBrowser().get(`${base}/api/v1/auth/oidc/login?city=luan`);
      if (res.status === 429) refused = res;
      else { expect(res.status).toBe(302); started++; }
    }
    expect(refused, `still redirecting after ${started} sign-ins`).toBeDefined();
    expect(started).toBeLessThanOrEqual(OIDC_LOGIN_LIMIT);
    expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThan(0);
    const page = await refused!.text();
    expect(page).toContain('登录尝试过于频繁');
    expect(page).toContain('too-many-attempts');
  });

  it('should report the provider on /ready, and show a Chinese page while it cannot be reached', async () => {
    expect(await fetch(`${base}/api/v1/ready`).then((r) => r.json())).toMatchObject({ status: 'ready', oidc: { available: true } });
    // a platform whose provider is down (its port closed): still ready, password sign-in works, the button's page says why
    const down = await startTestServer({
      config: { oidc: { issuer: 'http://127.0.0.1:9', clientId: CLIENT.id, scope: 'openid', idClaim: 'id_number', nameClaim: 'name', phoneClaim: 'phone_number', levelClaim: 'auth_level' } },
    });
    try {
      const agent = down.agent();
      await expect.poll(async () => (await agent.get('/api/v1/ready')).body, { timeout: 15_000 }).toMatchObject({ status: 'ready', oidc: { available: false } });
      const page = await agent.get('/api/v1/auth/oidc/login?city=luan').expect(503);
      expect(page.text).toContain('统一身份认证平台暂时无法访问');
      expect(page.text).toContain('oidc-unavailable');
      await down.login('luan.applicant');
    } finally {
      await down.close();
    }
  });
});
