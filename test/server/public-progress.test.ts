/**
 * Public progress lookup (issue 20, part 4): `GET /public/progress?no=&id4=` without sign-in —
 * the case's and each item's status, nothing personal; a wrong pair answers byte for byte like an
 * unknown number; rate-limited per client address.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCity } from '@lianban/templates';
import { seedDemoTemplates } from '@lianban/server';
import { startTestServer, type TestServer } from './helpers';

describe('GET /public/progress', () => {
  let s: TestServer;
  const example = loadCity('changzhou').forms.find((f) => f.key === 'changzhou-retirement')!.example as Record<string, unknown>;
  const idNumber = example.idNumber as string;
  let no = '';
  let caseId = '';
  // each test its own client address (the app believes X-Forwarded-For from the trusted loopback proxy)
  let address = 0;
  const from = () => { const ip = `203.0.113.${++address}`; return (url: string) => s.agent().get(url).set('x-forwarded-for', ip); };

  beforeAll(async () => {
    s = await startTestServer({ config: { trustedProxies: ['127.0.0.1'] } });
    await seedDemoTemplates(s.models);
    const applicant = await s.login('changzhou.applicant');
    const data = { ...example, hasOnlyChildCertificate: false, onlyChildCertificateFile: undefined };
    const sub = await applicant.post('/api/v1/cases').send({ matter: 'changzhou-retirement', form: 'changzhou-retirement', data }).expect(201);
    no = sub.body.no; caseId = sub.body.id;
  });
  afterAll(async () => { await s?.close(); });

  it('should answer the statuses of the case and its items for the right pair, without sign-in', async () => {
    const get = from();
    const res = await get(`/api/v1/public/progress?no=${no}&id4=${idNumber.slice(-4)}`).expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatchObject({ no, matterTitle: '退休“一件事”', status: 'in-progress', statusLabel: '办理中', endedOn: null });
    expect(res.body.submittedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(res.body.items).toEqual(expect.arrayContaining([
      { title: '企业职工退休审批', status: 'in-progress', statusLabel: '办理中' },
      { title: '退休人员住房公积金提取', status: 'requested', statusLabel: '已申请' },
    ]));
    // lower-case x and spaces are forgiven
    await get(`/api/v1/public/progress?no=${no.toLowerCase()}&id4=%20${idNumber.slice(-4)}`).expect(200);
    // the lookup is audited with the address
    const audit = await s.models.Audit.findOne({ action: 'case.public-progress', target: `case:${no}` }).lean();
    expect(audit).toMatchObject({ tenant: 'changzhou', actor: 'public', ip: '203.0.113.1' });
  });

  it('should tell nothing personal', async () => {
    const res = await from()(`/api/v1/public/progress?no=${no}&id4=${idNumber.slice(-4)}`).expect(200);
    const body = res.text;
    expect(Object.keys(res.body).sort()).toEqual(['endedOn', 'items', 'matterTitle', 'no', 'status', 'statusLabel', 'submittedOn']);
    expect(body).not.toContain(idNumber);
    expect(body).not.toContain(idNumber.slice(0, 6));
    expect(body).not.toContain(example.name as string);
    expect(body).not.toContain(caseId);
    for (const v of Object.values(example)) if (typeof v === 'string' && v.length >= 4 && !/^\d{4}-\d{2}/.test(v)) expect(body, v).not.toContain(v);
  });

  it('should answer a wrong pair byte for byte like an unknown number', async () => {
    const get = from();
    const last = idNumber.slice(-4);
    const wrong4 = last === '0000' ? '0001' : '0000';
    const wrong = await get(`/api/v1/public/progress?no=${no}&id4=${wrong4}`);
    const unknown = await get(`/api/v1/public/progress?no=CZ209912319999&id4=${last}`);
    expect(wrong.status).toBe(404);
    expect(unknown.status).toBe(wrong.status);
    expect(unknown.text).toBe(wrong.text);
    expect(wrong.body.error).toEqual({ code: 'not-found', message: '未查询到该办件，请核对办件编号和身份证号码后四位' });
    expect(unknown.headers['content-type']).toBe(wrong.headers['content-type']);
    expect(unknown.headers['content-length']).toBe(wrong.headers['content-length']);
    // a draft has no number; a malformed pair is told what is wrong (it reveals nothing)
    const bad = await get('/api/v1/public/progress?no=abc&id4=12').expect(422);
    expect(bad.body.error.errors.map((e: { path: string }) => e.path)).toEqual(['no', 'id4']);
  });

  it('should take about as long for a wrong pair as for an unknown number', async () => {
    const get = from();
    const time = async (url: string) => { const t = performance.now(); await get(url); return performance.now() - t; };
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const wrong: number[] = []; const unknown: number[] = [];
    for (let i = 0; i < 9; i++) {
      wrong.push(await time(`/api/v1/public/progress?no=${no}&id4=000${i}`));
      unknown.push(await time(`/api/v1/public/progress?no=CZ20991231${String(1000 + i)}&id4=000${i}`));
    }
    // loose bound (a shared CI machine): the same work, one read each, no early exit
    expect(Math.abs(median(wrong) - median(unknown))).toBeLessThan(Math.max(25, median(unknown)));
  });

  it('should limit lookups per client address (429 in Chinese, with Retry-After), not per case', async () => {
    const get = from();
    for (let i = 0; i < 20; i++) await get(`/api/v1/public/progress?no=CZ20991231${String(2000 + i)}&id4=1234`).expect(404);
    const limited = await get(`/api/v1/public/progress?no=${no}&id4=${idNumber.slice(-4)}`).expect(429);
    expect(limited.body.error.code).toBe('too-many-attempts');
    expect(limited.body.error.message).toMatch(/查询过于频繁/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // another address is not held back
    await from()(`/api/v1/public/progress?no=${no}&id4=${idNumber.slice(-4)}`).expect(200);
  });
});
