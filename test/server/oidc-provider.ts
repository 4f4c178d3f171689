/**
 * A stand-in for the provincial identity platform: a real OpenID Connect provider
 * (`oidc-provider`) in this process, on `localhost` (another site than the platform on
 * 127.0.0.1), with one client and fictitious people. Its development login page takes the
 * person's key as login and any password; consent is granted without asking.
 *
 *   const idp = await startTestProvider();                 // issuer known at once
 *   idp.register('http://127.0.0.1:1234/api/v1/auth/oidc/callback');   // then the provider answers
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { makeResidentId } from '@lianban/runtime';

const valid = makeResidentId('341502', '1966-04-12', 129);
/** A check digit that is not this number's. */
const wrongCheckDigit = valid.slice(0, 17) + (valid[17] === '0' ? '1' : '0');

/** Fictitious people the provider knows: the key is what one types as login. */
export const PEOPLE: Record<string, Record<string, string | number>> = {
  wangfang: { name: '王芳', id_number: makeResidentId('341502', '1966-04-12', 128), phone_number: '+86 139 1234 5678', auth_level: 'L3' },
  zhaolei: { name: '赵磊', id_number: makeResidentId('341502', '1965-09-30', 215), phone_number: '13800138123', auth_level: 2 },
  sunli: { name: '孙丽', id_number: makeResidentId('320402', '1970-02-14', 42), phone_number: '13700137000', auth_level: 'urn:gov:loa:1' },
  noid: { name: '无证件', phone_number: '13600136000', auth_level: 3 },
  badid: { name: '错号码', id_number: wrongCheckDigit, auth_level: 3 },
  // staff: the platform names their account (LIANBAN_OIDC_STAFF_CLAIM=staff_username)
  hrss: { name: '人社审核员', staff_username: 'luan.hrss', auth_level: 3 },
  stranger: { name: '无账户', staff_username: 'luan.nobody', auth_level: 3 },
};

export const CLIENT = { id: 'lianban-test', secret: 'test-client-secret-not-for-production' };

export interface TestProvider {
  issuer: string;
  /** Starts answering, for a platform whose callback is `redirectUri`. */
  register(redirectUri: string): void;
  close(): Promise<void>;
}

export async function startTestProvider(): Promise<TestProvider> {
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  let ready!: () => void;
  const registered = new Promise<void>((resolve) => { ready = resolve; });
  const server = createServer((req, res) => {
    void registered.then(() => handler!(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const issuer = `http://localhost:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    register(redirectUri) {
      const provider = new Provider(issuer, {
        clients: [{
          client_id: CLIENT.id, client_secret: CLIENT.secret, redirect_uris: [redirectUri],
          grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic',
        }],
        claims: { openid: ['sub'], profile: ['name', 'id_number', 'auth_level', 'staff_username'], phone: ['phone_number'] },
        async findAccount(_ctx, sub) {
          const person = PEOPLE[sub];
          return person ? { accountId: sub, claims: () => ({ sub, ...person }) } : undefined;
        },
        // consent is given without asking (the platform's own agreement with the city)
        async loadExistingGrant(ctx) {
          const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
          grant.addOIDCScope('openid profile phone');
          await grant.save();
          return grant;
        },
        features: { devInteractions: { enabled: true } },
        cookies: { keys: ['test-provider-cookie-key'] },
      });
      handler = provider.callback();
      ready();
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * A minimal browser for the redirect dance: cookies per host and port, redirects followed by
 * hand (`redirect: 'manual'`) so each step can be looked at.
 */
export class CookieBrowser {
  private jar = new Map<string, Map<string, string>>();

  async get(url: string): Promise<Response> {
    return this.send(url, { method: 'GET' });
  }

  async post(url: string, form: Record<string, string>): Promise<Response> {
    return this.send(url, { method: 'POST', body: new URLSearchParams(form).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }

  cookie(url: string, name: string): string | undefined {
    return this.jar.get(new URL(url).host)?.get(name);
  }

  private async send(url: string, init: RequestInit): Promise<Response> {
    const host = new URL(url).host;
    const cookies = [...(this.jar.get(host) ?? new Map<string, string>())].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), ...(cookies ? { cookie: cookies } : {}) } });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const at = pair!.indexOf('=');
      const name = pair!.slice(0, at).trim();
      const value = pair!.slice(at + 1).trim();
      const expired = attrs.some((a) => /^\s*expires=/i.test(a) && new Date(a.split('=')[1]!).getTime() < Date.now()) || attrs.some((a) => /^\s*max-age=0/i.test(a));
      const own = this.jar.get(host) ?? new Map<string, string>();
      if (expired || value === '') own.delete(name);
      else own.set(name, value);
      this.jar.set(host, own);
    }
    return res;
  }
}

/** Where a redirect answer points, absolute. */
export function locationOf(res: Response, base: string): string {
  const location = res.headers.get('location');
  if (!location) throw new Error(`expected a redirect, got ${res.status}`);
  return new URL(location, base).href;
}

/**
 * Signs `login` in at the provider, starting from its authorization URL: the login page, the
 * form, the redirects back; answers the platform's callback URL (not followed).
 */
export async function throughProvider(browser: CookieBrowser, authorizeUrl: string, login: string): Promise<string> {
  let url = authorizeUrl;
  const providerOrigin = new URL(authorizeUrl).origin;
  for (let hop = 0; hop < 10; hop++) {
    const res = await browser.get(url);
    if (res.status === 200) {
      const html = await res.text();
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
      if (!action || !html.includes('name="login"')) throw new Error(`unexpected provider page: ${html.slice(0, 300)}`);
      const submitted = await browser.post(new URL(action, url).href, { prompt: 'login', login, password: 'any' });
      url = locationOf(submitted, url);
    } else if (res.status >= 300 && res.status < 400) {
      url = locationOf(res, url);
    } else {
      throw new Error(`provider answered ${res.status} at ${url}: ${(await res.text()).replace(/<style[\s\S]*<\/style>/, "").replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").slice(0, 600)}`);
    }
    if (new URL(url).origin !== providerOrigin) return url;
  }
  throw new Error('too many redirects at the provider');
}
