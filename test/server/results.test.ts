/**
 * Declared results per task (issue 20, part 1): the shipped 常州 flow's 待遇核定, 退休证发放,
 * 公积金 and 医保 tasks fill a result form whose `x-item-result` fields become the item's result —
 * validated (422 naming the field), stored on the case's item, shown to the applicant and to
 * staff, and pushed to the data-sharing platform instead of a constant `approved: true`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type request from 'supertest';
import { loadCity } from '@lianban/templates';
import { seedDemoTemplates } from '@lianban/server';
import { startTestServer, type TestServer } from './helpers';

type Agent = ReturnType<typeof request.agent>;
interface Item { key: string; status: string; result?: Record<string, unknown>; resultFields?: { key: string; title: string; text: string }[] }

async function openTask(agent: Agent, caseNo: string, name: string) {
  const list = (await agent.get('/api/v1/tasks').expect(200)).body as { caseNo: string; name: string; id: string; formKey: string | null }[];
  const task = list.find((t) => t.caseNo === caseNo && t.name === name);
  if (!task) throw new Error(`no open task「${name}」for ${caseNo}: ${list.filter((t) => t.caseNo === caseNo).map((t) => t.name).join(', ')}`);
  return task;
}

const itemOf = (view: { items: Item[] }, key: string) => view.items.find((i) => i.key === key)!;

describe('declared results of linked items (常州)', () => {
  let s: TestServer;
  const changzhou = loadCity('changzhou');
  const example = changzhou.forms.find((f) => f.key === 'changzhou-retirement')!.example as Record<string, unknown>;
  const pension = { monthlyPension: 3125.4, pooledPension: 2210.15, personalPension: 915.25, pensionStartMonth: '2026-04' };
  let applicant: Agent; let hrss: Agent; let housing: Agent; let medical: Agent; let admin: Agent;
  let caseId = ''; let caseNo = '';
  const withKey = (key: string) => ({
    get: (url: string) => s.agent().get(url).set('authorization', `Bearer ${key}`),
    post: (url: string) => s.agent().post(url).set('authorization', `Bearer ${key}`),
  });

  beforeAll(async () => {
    s = await startTestServer();
    await seedDemoTemplates(s.models);
    [applicant, hrss, housing, medical, admin] = await Promise.all(['applicant', 'hrss', 'housing-fund', 'medical', 'admin'].map((r) => s.login(`changzhou.${r}`)));
    const data = { ...example, socializedManagement: false, hasOnlyChildCertificate: false, onlyChildCertificateFile: undefined };
    const sub = await applicant.post('/api/v1/cases').send({ matter: 'changzhou-retirement', form: 'changzhou-retirement', data }).expect(201);
    caseId = sub.body.id; caseNo = sub.body.no;
    const approval = await openTask(hrss, caseNo, '企业职工退休审批');
    await hrss.post(`/api/v1/tasks/${approval.id}/complete`).send({ outcome: 'approved' }).expect(200);
  });
  afterAll(async () => { await s?.close(); });

  it('should refuse 待遇核定 without the monthly pension, naming the field, and change nothing', async () => {
    const task = await openTask(hrss, caseNo, '企业职工基本养老保险待遇核定');
    expect(task.formKey).toBe('changzhou-pension-result');
    const { monthlyPension: _, ...rest } = pension;
    const res = await hrss.post(`/api/v1/tasks/${task.id}/complete`).send({ data: rest }).expect(422);
    expect(res.body.error.code).toBe('invalid');
    expect(res.body.error.errors).toEqual([expect.objectContaining({ path: 'monthlyPension', code: 'required' })]);
    // three decimals are not money
    const cents = await hrss.post(`/api/v1/tasks/${task.id}/complete`).send({ data: { ...pension, monthlyPension: 3125.405 } }).expect(422);
    expect(cents.body.error.errors).toEqual([expect.objectContaining({ path: 'monthlyPension', code: 'money' })]);
    const view = (await applicant.get(`/api/v1/cases/${caseId}`).expect(200)).body;
    expect(itemOf(view, 'pension-determination').status).toBe('in-progress');
    expect(itemOf(view, 'pension-determination').result).toBeUndefined();
  });

  it('should store the result on the item and show it to the applicant and to staff', async () => {
    const task = await openTask(hrss, caseNo, '企业职工基本养老保险待遇核定');
    await hrss.post(`/api/v1/tasks/${task.id}/complete`).send({ data: { ...pension, remark: '按 2026 年计发基数核定' } }).expect(200);
    const stored = await s.models.Case.findById(caseId).lean();
    expect(stored!.items.find((i) => i.key === 'pension-determination')).toMatchObject({ status: 'done', result: pension, resultForm: 'changzhou-pension-result', resultBy: 'changzhou.hrss' });
    expect(stored!.timeline.some((t) => t.action === 'item.result' && t.detail === '企业职工基本养老保险待遇核定')).toBe(true);

    const mine = (await applicant.get(`/api/v1/cases/${caseId}`).expect(200)).body;
    const item = itemOf(mine, 'pension-determination');
    // the internal remark is no result: not on the item
    expect(item.result).toEqual(pension);
    expect(item.resultFields!.map((f) => [f.title, f.text])).toEqual([
      ['月基本养老金', '3,125.40 元'], ['其中：统筹账户养老金', '2,210.15 元'], ['其中：个人账户养老金', '915.25 元'], ['待遇起始年月', '2026年04月'],
    ]);
    const staff = (await hrss.get(`/api/v1/cases/${caseId}`).expect(200)).body;
    expect(itemOf(staff, 'pension-determination').result).toEqual(pension);
    // the task lists (and so the dashboard's Excel export) carry it in one line
    const done = (await hrss.get('/api/v1/tasks?state=done').expect(200)).body.find((t: { caseNo: string; name: string }) => t.caseNo === caseNo && t.name === '企业职工基本养老保险待遇核定');
    expect(done.itemResult).toBe('月基本养老金：3,125.40 元；其中：统筹账户养老金：2,210.15 元；其中：个人账户养老金：915.25 元；待遇起始年月：2026年04月');
    // another applicant sees nothing of it
    const other = await s.login('luan.applicant');
    await other.get(`/api/v1/cases/${caseId}`).expect(404);
  });

  it('should push the declared results to the data-sharing platform instead of a constant', async () => {
    const cert = await openTask(hrss, caseNo, '职工退休养老证发放');
    await hrss.post(`/api/v1/tasks/${cert.id}/complete`).send({ data: { certificateNo: 'CZTX2026000123' } }).expect(422);
    await hrss.post(`/api/v1/tasks/${cert.id}/complete`).send({ data: { certificateNo: 'CZTX2026000123', certificateIssuedOn: '2026-03-28' } }).expect(200);
    const key = (await admin.post('/api/v1/admin/api-keys').send({ department: 'hrss', name: '数据共享平台' }).expect(201)).body.key as string;
    const outbox = (await withKey(key).get('/api/v1/outbox').expect(200)).body as { caseNo: string; elementId: string; payload: Record<string, unknown> }[];
    const push = outbox.find((o) => o.caseNo === caseNo && o.elementId === 'Push_results');
    expect(push).toBeDefined();
    expect(push!.payload).not.toHaveProperty('approved');
    expect(push!.payload).toMatchObject({
      name: example.name, idNumber: example.idNumber,
      pension, certificate: { certificateNo: 'CZTX2026000123', certificateIssuedOn: '2026-03-28' },
    });
    const view = (await applicant.get(`/api/v1/cases/${caseId}`).expect(200)).body;
    expect(itemOf(view, 'retirement-certificate').resultFields!.map((f) => f.text)).toEqual(['CZTX2026000123', '2026-03-28']);
  });

  it('should take a department system\'s results by API key, and none with a not-eligible answer', async () => {
    const key = (await admin.post('/api/v1/admin/api-keys').send({ department: 'housing-fund', name: '公积金系统' }).expect(201)).body.key as string;
    const system = withKey(key);
    const task = await openTask(housing, caseNo, '退休人员住房公积金提取');
    const missing = await system.post(`/api/v1/tasks/${task.id}/complete`).send({ outcome: 'done', data: { withdrawalAmount: 86432.17 } }).expect(422);
    expect(missing.body.error.errors).toEqual([expect.objectContaining({ path: 'creditedOn' })]);
    await system.post(`/api/v1/tasks/${task.id}/complete`).send({ outcome: 'done', data: { withdrawalAmount: 86432.17, creditedOn: '2026-04-10' } }).expect(200);

    // 医保 finds the applicant not eligible: no result form then (data refused), the item turns standalone without a result
    const med = await openTask(medical, caseNo, '在职转退休医疗保险办理');
    const refused = await medical.post(`/api/v1/tasks/${med.id}/complete`).send({ outcome: 'not-eligible', data: { transferStatus: 'transferred' } }).expect(422);
    expect(refused.body.error.errors).toEqual([expect.objectContaining({ path: 'transferStatus' })]);
    await medical.post(`/api/v1/tasks/${med.id}/complete`).send({ outcome: 'not-eligible', comment: '不符合在职转退休条件' }).expect(200);

    const view = (await applicant.get(`/api/v1/cases/${caseId}`).expect(200)).body;
    expect(view.status).toBe('completed');
    expect(itemOf(view, 'housing-fund-withdrawal')).toMatchObject({ status: 'done', result: { withdrawalAmount: 86432.17, creditedOn: '2026-04-10' } });
    expect(itemOf(view, 'housing-fund-withdrawal').resultFields!.map((f) => f.text)).toEqual(['86,432.17 元', '2026-04-10']);
    expect(itemOf(view, 'medical-insurance-transfer').status).toBe('standalone');
    expect(itemOf(view, 'medical-insurance-transfer').result).toBeUndefined();
    const stored = await s.models.Case.findById(caseId).lean();
    expect(stored!.items.find((i) => i.key === 'housing-fund-withdrawal')!.resultBy).toMatch(/^apikey:/);
  });
});
