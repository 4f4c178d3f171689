/**
 * The lists of cases someone follows without a task in them (issue #18): window staff see the
 * cases they filed (`GET /cases?mine=filed`, 「我受理的」), readers of a 抄送 the cases copied to
 * them or their department (`?mine=cc`); and window staff filing for citizens are not held to the
 * applicants' daily upload quota (the per-case quota stays); and 办件查询 (`GET /cases?q=`): by
 * number, ID number or name, among the cases the caller may see, a search by ID number audited.
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

describe('办件查询: GET /cases?q= by number, ID number or name', () => {
  let s: TestServer;
  const get = async (agent: Agent, q: string, status = 200) => (await agent.get(`${API}/cases?q=${encodeURIComponent(q)}`).expect(status)).body as Summary[] & { error?: { code: string; message: string } };
  const ids = (list: Summary[]) => list.map((c) => c.id).sort();

  beforeAll(async () => {
    s = await startTestServer();
    await publishMini(s);
  });
  afterAll(async () => { await s?.close(); });

  it('should find a case by its number, the applicant\'s ID number or name, only where the caller may see it', async () => {
    const [window, applicant, hrss, medical, admin, czHrss] = await Promise.all(['luan.window', 'luan.applicant', 'luan.hrss', 'luan.medical', 'luan.admin', 'changzhou.hrss'].map((u) => s.login(u)));
    // an online case of the demo applicant (their account has the ID number), and a counter case for a citizen without an account
    const online = (await applicant.post(`${API}/cases`).send({ matter: 'mini', form: 'mini-form', data: { name: '演示申请人', idNumber: '341502196501150039', housingFund: false } }).expect(201)).body as Summary;
    const counter = (await window.post(`${API}/cases`).send({ matter: 'mini', form: 'mini-form', ...citizen(30) }).expect(201)).body as Summary;
    const citizenId = citizen(30).onBehalfOf.idNumber;

    // by number, whatever the case of its letters; by the applicant's name; by ID number (account or counter citizen)
    expect(ids(await get(hrss, online.no!.toLowerCase()))).toEqual([online.id]);
    expect(ids(await get(hrss, '演示申请人'))).toEqual([online.id]);
    expect(ids(await get(hrss, '341502196501150039'))).toEqual([online.id]);
    expect(ids(await get(window, citizenId))).toEqual([counter.id]);
    expect(ids(await get(window, ` ${counter.no!} `))).toEqual([counter.id]);
    expect(ids(await get(admin, citizenId))).toEqual([counter.id]);
    // a department without a task in it, another city, the other applicant's own search: nothing
    expect(await get(medical, online.no!)).toEqual([]);
    expect(await get(czHrss, online.no!)).toEqual([]);
    expect(await get(czHrss, '341502196501150039')).toEqual([]);
    expect(await get(applicant, counter.no!)).toEqual([]);
    // what is not found is an empty list, not an error; the summaries carry the steps under way
    expect(await get(hrss, 'LA209912319999')).toEqual([]);
    const [found] = await get(hrss, online.no!) as (Summary & { tasks: { state: string; department: string }[] })[];
    expect(found!.tasks.some((t) => t.state === 'open' && t.department === 'hrss')).toBe(true);

    // a search by ID number is audited, the number kept masked; one by case number is not
    const audits = await s.models.Audit.find({ tenant: 'luan', action: 'case.search' }).lean();
    expect(audits.map((a) => [a.actor, a.target])).toEqual([
      ['luan.hrss', 'id:341502********0039'],
      ['luan.window', `id:${citizenId.slice(0, 6)}********${citizenId.slice(14)}`],
      ['luan.admin', `id:${citizenId.slice(0, 6)}********${citizenId.slice(14)}`],
    ]);
  });

  it('should refuse a query it cannot search by, saying why', async () => {
    const hrss = await s.login('luan.hrss');
    const refused = async (q: string) => (await get(hrss, q, 422)).error!;
    expect(await refused('341502196501150038')).toMatchObject({ code: 'invalid', message: '身份证号校验位不正确，请核对' });
    expect(await refused('341502199913320039')).toMatchObject({ code: 'invalid', message: '身份证号不正确，请核对' });
    expect(await refused('   ')).toMatchObject({ code: 'invalid', message: '请输入办件编号、身份证号或申请人姓名' });
    expect(await refused('张'.repeat(41))).toMatchObject({ code: 'invalid', message: '查询内容不能超过 40 个字符' });
    expect(await refused('abc')).toMatchObject({ code: 'invalid', message: '办件编号应含数字；按姓名查询请输入中文姓名' });
    const twice = await hrss.get(`${API}/cases?q=a1&q=b2`).expect(422);
    expect(twice.body.error).toMatchObject({ code: 'invalid' });
    // operators are text, not a query
    expect(await get(hrss, '{"$ne":null}')).toEqual([]);
  });
});
