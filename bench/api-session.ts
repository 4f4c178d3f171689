/**
 * The two demo callers the in-process hot-path scripts drive (bench/hot-path.ts,
 * bench/background-stalls.ts): 常州's applicant and 市人社局 staff signed in, the example 常州
 * submission as a request body, and a POST that fails on a non-2xx answer.
 *
 *   const { applicant, hrss, body, post } = await apiSession(url, PASSWORD);
 *   const { id } = await post(applicant, '/cases', body);
 */
import { loadCity } from '@lianban/templates';

export interface ApiSession {
  applicant: string;
  hrss: string;
  /** `POST /cases` of the 常州 example (no only-child certificate). */
  body: string;
  post(cookie: string, path: string, body: string): Promise<Record<string, string>>;
}

/** Signs both callers in at `url` (the API root, `…/api/v1`). */
export async function apiSession(url: string, password: string): Promise<ApiSession> {
  const login = async (username: string) => {
    const res = await fetch(`${url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`);
    return res.headers.get('set-cookie')!.split(';')[0]!;
  };
  const example = loadCity('changzhou').forms.find((f) => f.key === 'changzhou-retirement')!.example as Record<string, unknown>;
  return {
    applicant: await login('changzhou.applicant'),
    hrss: await login('changzhou.hrss'),
    body: JSON.stringify({ matter: 'changzhou-retirement', form: 'changzhou-retirement', data: { ...example, hasOnlyChildCertificate: false, onlyChildCertificateFile: undefined } }),
    async post(cookie, p, b) {
      const res = await fetch(`${url}${p}`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, origin: 'http://127.0.0.1' }, body: b });
      const text = await res.text();
      if (res.status >= 300) throw new Error(`${p}: ${res.status} ${text}`);
      return JSON.parse(text) as Record<string, string>;
    },
  };
}
