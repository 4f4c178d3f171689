/**
 * The lists of cases someone follows without a task in them (issue #18): window staff see the
 * cases they filed (`GET /cases?mine=filed`, 「我受理的」), readers of a 抄送 the cases copied to
 * them or their department (`?mine=cc`); and window staff filing for citizens are not held to the
 * applicants' daily upload quota (the per-case quota stays).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeResidentId } from '@lianban/runtime';
import { publishMini, startTestServer, type TestServer } from './helpers';

const API = '/api/v1';
const pdf = (bytes: number) => Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(bytes - 9, 0x20)]);
type Agent = Awaited<ReturnType<TestServer['login']>>;
type Summary = { id: string; no: string | null; channel?: string };

function citizen(n: number) {
  const idNumber = makeResidentId('341502', '1964-08-09', 40 + n);
  return { data: { name: `窗口${n}`, idNumber, housingFund: false }, onBehalfOf: { idNumber, name: `窗口${n}`, phone: '13800138000' } };
}

describe('我受理的, 抄送我的, and the window outside the applicants\' daily quota', () => {
  let s: TestServer;
  let window: Agent;
  let window2: Agent;
  let applicant: Agent;
  let hrss: Agent;
  let housing: Agent;
  let medical: Agent;
  let czHrss: Agent;

  beforeAll(async () => {
    s = await startTestServer({ config: { quotas: { caseAttachmentBytes: 20_000, applicantDailyBytes: 25_000 } } });
    await publishMini(s);
    const admin = await s.login('luan.admin');
    await admin.post(`${API}/admin/users`).send({ username: 'luan.window-b', displayName: '窗口二', password: 'Str0ng-pass', roles: ['staff'], departments: ['window'] }).expect(201);
    [window, applicant, hrss, housing, medical, czHrss] = await Promise.all(['luan.window', 'luan.applicant', 'luan.hrss', 'luan.housing-fund', 'luan.medical', 'changzhou.hrss'].map((u) => s.login(u)));
    window2 = await s.login('luan.window-b', 'Str0ng-pass');
  });
  afterAll(async () => { await s?.close(); });

  it('should list the cases a window staff member filed, newest first, theirs only, and refuse an unknown list', async () => {
    const a = (await window.post(`${API}/cases`).send({ matter: 'mini', form: 'mini-form', ...citizen(1) }).expect(201)).body as Summary;
    const b = (await window.post(`${API}/cases`).send({ matter: 'mini', form: 'mini-form', ...citizen(2), draft: true }).expect(201)).body as Summary;
    const other = (await window2.post(`${API}/cases`).send({ matter: 'mini', form: 'mini-form', ...citizen(3) }).expect(201)).body as Summary;
    await applicant.post(`${API}/cases`).send({ matter: 'mini', form: 'mini-form', data: { name: '张三', idNumber: '341502196501150039', housingFund: false } }).expect(201);

    const mine = (await window.get(`${API}/cases?mine=filed`).expect(200)).body as Summary[];
    expect(mine.map((c) => c.id)).toEqual([b.id, a.id]);
    expect(mine[1]).toMatchObject({ channel: 'window', no: a.no });
    expect(((await window2.get(`${API}/cases?mine=filed`).expect(200)).body as Summary[]).map((c) => c.id)).toEqual([other.id]);
    // with a status and paging, like the plain list
    expect(((await window.get(`${API}/cases?mine=filed&status=draft`).expect(200)).body as Summary[]).map((c) => c.id)).toEqual([b.id]);
    const first = await window.get(`${API}/cases?mine=filed&limit=1`).expect(200);
    expect(first.body.map((c: Summary) => c.id)).toEqual([b.id]);
    const rest = await window.get(`${API}/cases?mine=filed&limit=1&cursor=${encodeURIComponent(first.headers['x-next-cursor']!)}`).expect(200);
    expect(rest.body.map((c: Summary) => c.id)).toEqual([a.id]);
    // nobody else's, no other city's
    expect((await applicant.get(`${API}/cases?mine=filed`).expect(200)).body).toEqual([]);
    expect((await czHrss.get(`${API}/cases?mine=filed`).expect(200)).body).toEqual([]);
    const bad = await window.get(`${API}/cases?mine=all`).expect(422);
    expect(bad.body.error).toMatchObject({ code: 'invalid', message: '参数 mine 只能是 filed 或 cc' });
  });

  it('should list the cases copied to the reader or their department', async () => {
    const c = (await applicant.post(`${API}/cases`).send({ matter: 'mini', form: 'mini-form', data: { name: '周六', idNumber: '341502196501150039', housingFund: false } }).expect(201)).body as Summary;
    const d = (await applicant.post(`${API}/cases`).send({ matter: 'mini', form: 'mini-form', data: { name: '吴七', idNumber: '341502196501150039', housingFund: false } }).expect(201)).body as Summary;
    const tasks = (await hrss.get(`${API}/tasks?limit=200`).expect(200)).body as { id: string; caseNo: string }[];
    const taskOf = (no: string | null) => tasks.find((t) => t.caseNo === no)!.id;
    for (const id of [taskOf(c.no), taskOf(d.no)]) await hrss.post(`${API}/tasks/${id}/claim`).expect(200);
    await hrss.post(`${API}/tasks/${taskOf(c.no)}/cc`).send({ users: ['luan.housing-fund'] }).expect(200);
    await hrss.post(`${API}/tasks/${taskOf(d.no)}/cc`).send({ departments: ['medical'] }).expect(200);

    expect(((await housing.get(`${API}/cases?mine=cc`).expect(200)).body as Summary[]).map((x) => x.id)).toEqual([c.id]);
    expect(((await medical.get(`${API}/cases?mine=cc`).expect(200)).body as Summary[]).map((x) => x.id)).toEqual([d.id]);
    // the one who copied it and the applicant read it otherwise: nothing was copied to them
    expect((await hrss.get(`${API}/cases?mine=cc`).expect(200)).body).toEqual([]);
    expect((await applicant.get(`${API}/cases?mine=cc`).expect(200)).body).toEqual([]);
  });

  it('should not hold window staff filing for citizens to the applicants\' daily upload quota, but keep the per-case quota', async () => {
    // three counter drafts of 12,000 bytes each: 36,000 bytes today, over the 25,000 an applicant may upload
    for (let n = 10; n < 13; n++) {
      const draft = (await window.post(`${API}/cases`).send({ matter: 'mini', form: 'mini-form', ...citizen(n), draft: true }).expect(201)).body as Summary;
      await window.post(`${API}/cases/${draft.id}/attachments`).attach('file', pdf(12_000), `材料${n}.pdf`).expect(201);
      if (n === 12) {
        const over = await window.post(`${API}/cases/${draft.id}/attachments`).attach('file', pdf(12_000), '再一份.pdf').expect(429);
        expect(over.body.error).toMatchObject({ code: 'quota-exceeded', quota: 'case-attachments' });
      }
    }
    // an applicant is still held to it
    const own = async () => (await applicant.post(`${API}/cases`).send({ matter: 'mini', form: 'mini-form', data: {}, draft: true }).expect(201)).body.id as string;
    await applicant.post(`${API}/cases/${await own()}/attachments`).attach('file', pdf(15_000), 'a.pdf').expect(201);
    const daily = await applicant.post(`${API}/cases/${await own()}/attachments`).attach('file', pdf(15_000), 'b.pdf').expect(429);
    expect(daily.body.error).toMatchObject({ code: 'quota-exceeded', quota: 'daily-uploads' });
  });
});
