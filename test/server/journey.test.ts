/**
 * The 常州 journey through the HTTP API on the shipped templates: submit with 公积金 and 医保
 * ticked and 社会化管理 not, 人社 approves, determines and issues the certificate, 公积金 completes,
 * 医保 finds the applicant not eligible — the case completes with that item standalone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type request from 'supertest';
import { loadCity } from '@lianban/templates';
import { seedDemoTemplates } from '@lianban/server';
import { startTestServer, type TestServer } from './helpers';

type Agent = ReturnType<typeof request.agent>;

// the declared results of 待遇核定 and 退休证发放 (their task forms; test/server/results.test.ts)
const PENSION = { monthlyPension: 3125.4, pooledPension: 2210.15, personalPension: 915.25, pensionStartMonth: '2026-04' };
const CERTIFICATE = { certificateNo: 'CZTX2026000123', certificateIssuedOn: '2026-03-28' };

async function openTask(agent: Agent, caseNo: string, name: string) {
  const list = (await agent.get('/api/v1/tasks').expect(200)).body as { caseNo: string; name: string; id: string; outcomes: string[] }[];
  const task = list.find((t) => t.caseNo === caseNo && t.name === name);
  if (!task) throw new Error(`no open task「${name}」for ${caseNo}: ${list.filter((t) => t.caseNo === caseNo).map((t) => t.name).join(', ')}`);
  return task;
}

describe('常州 退休一件事 through the API', () => {
  let s: TestServer;
  const changzhou = loadCity('changzhou');
  const form = changzhou.forms.find((f) => f.key === 'changzhou-retirement')!;
  const example = form.example as Record<string, unknown>;
  beforeAll(async () => {
    s = await startTestServer();
    await seedDemoTemplates(s.models);
  });
  afterAll(async () => { await s?.close(); });

  it('should complete with the medical item turned standalone', async () => {
    const [applicant, hrss, housing, medical, health] = await Promise.all(
      ['applicant', 'hrss', 'housing-fund', 'medical', 'health'].map((r) => s.login(`changzhou.${r}`)),
    );
    const data = { ...example, socializedManagement: false, hasOnlyChildCertificate: false, onlyChildCertificateFile: undefined };
    const sub = await applicant.post('/api/v1/cases').send({ matter: 'changzhou-retirement', form: 'changzhou-retirement', data }).expect(201);
    const no = sub.body.no as string;
    expect(no).toMatch(/^CZ\d{12}$/);

    // on receipt the linked-item requests were pushed (recorded in the timeline)
    let view = (await applicant.get(`/api/v1/cases/${sub.body.id}`).expect(200)).body;
    expect(view.items.map((i: { key: string }) => i.key).sort()).toEqual(
      ['housing-fund-withdrawal', 'medical-insurance-transfer', 'pension-determination', 'retirement-approval', 'retirement-certificate'],
    );
    expect(view.timeline.some((t: { action: string; elementId?: string }) => t.action === 'pushed' && t.elementId === 'Push_requests')).toBe(true);

    const approval = await openTask(hrss, no, '企业职工退休审批');
    expect(approval.outcomes).toEqual(['approved', 'rejected']);
    await hrss.post(`/api/v1/tasks/${approval.id}/complete`).send({ outcome: 'approved', comment: '符合退休条件' }).expect(200);
    await hrss.post(`/api/v1/tasks/${(await openTask(hrss, no, '企业职工基本养老保险待遇核定')).id}/complete`).send({ data: PENSION }).expect(200);
    await hrss.post(`/api/v1/tasks/${(await openTask(hrss, no, '职工退休养老证发放')).id}/complete`).send({ data: CERTIFICATE }).expect(200);

    // the results were pushed, and only the ticked departments have work
    expect((await health.get('/api/v1/tasks').expect(200)).body.filter((t: { caseNo: string }) => t.caseNo === no)).toEqual([]);
    await housing.post(`/api/v1/tasks/${(await openTask(housing, no, '退休人员住房公积金提取')).id}/complete`).send({ outcome: 'done', data: { withdrawalAmount: 86432.17, creditedOn: '2026-04-10' } }).expect(200);
    view = (await applicant.get(`/api/v1/cases/${sub.body.id}`).expect(200)).body;
    expect(view.status).toBe('in-progress');
    await medical.post(`/api/v1/tasks/${(await openTask(medical, no, '在职转退休医疗保险办理')).id}/complete`).send({ outcome: 'not-eligible', comment: '不符合在职转退休条件' }).expect(200);

    view = (await applicant.get(`/api/v1/cases/${sub.body.id}`).expect(200)).body;
    expect(view.status).toBe('completed');
    expect(Object.fromEntries(view.items.map((i: { key: string; status: string }) => [i.key, i.status]))).toEqual({
      'retirement-approval': 'done', 'pension-determination': 'done', 'retirement-certificate': 'done',
      'housing-fund-withdrawal': 'done', 'medical-insurance-transfer': 'standalone',
    });
    const flow = (await applicant.get(`/api/v1/cases/${sub.body.id}/flow`).expect(200)).body;
    expect(flow.done).toEqual(expect.arrayContaining(['Task_approval', 'Task_pension', 'Task_certificate', 'Task_housing', 'Task_medical', 'End']));
    expect(flow.done).not.toContain('Task_health');
    expect(flow.active).toEqual([]);
  });

  it('should ask the applicant for 附件5 when 社会化管理 is ticked, and check it like a submission', async () => {
    const [applicant, hrss] = await Promise.all([s.login('changzhou.applicant'), s.login('changzhou.hrss')]);
    const data = { ...example, medicalInsuranceTransfer: false, housingFundWithdrawal: false, hasOnlyChildCertificate: false, onlyChildCertificateFile: undefined };
    const sub = await applicant.post('/api/v1/cases').send({ matter: 'changzhou-retirement', form: 'changzhou-retirement', data }).expect(201);
    for (const name of ['企业职工退休审批', '企业职工基本养老保险待遇核定', '职工退休养老证发放']) {
      const task = await openTask(hrss, sub.body.no, name);
      await hrss.post(`/api/v1/tasks/${task.id}/complete`).send(name === '企业职工退休审批' ? { outcome: 'approved' } : { data: name === '职工退休养老证发放' ? CERTIFICATE : PENSION }).expect(200);
    }
    const view = (await applicant.get(`/api/v1/cases/${sub.body.id}`).expect(200)).body;
    expect(view.status).toBe('needs-applicant');
    const mine = (await applicant.get('/api/v1/tasks').expect(200)).body;
    const sheet = mine.find((t: { caseNo: string }) => t.caseNo === sub.body.no);
    expect(sheet).toMatchObject({ name: '填写社会化管理服务基本信息采集表', formKey: 'changzhou-socialized-info' });
    const bad = await applicant.post(`/api/v1/tasks/${sheet.id}/complete`).send({ data: {} }).expect(422);
    expect(bad.body.error.errors.length).toBeGreaterThan(0);
    const info = changzhou.forms.find((f) => f.key === 'changzhou-socialized-info')!.example;
    await applicant.post(`/api/v1/tasks/${sheet.id}/complete`).send({ data: info }).expect(200);
    const social = await openTask(hrss, sub.body.no, '企业退休人员纳入社会化管理');
    await hrss.post(`/api/v1/tasks/${social.id}/complete`).send({}).expect(200);
    const done = (await applicant.get(`/api/v1/cases/${sub.body.id}`).expect(200)).body;
    expect(done.status).toBe('completed');
    expect(done.items.find((i: { key: string }) => i.key === 'socialized-management').status).toBe('done');
    const notes = (await applicant.get('/api/v1/notifications').expect(200)).body.map((n: { kind: string }) => n.kind);
    expect(notes).toEqual(expect.arrayContaining(['accepted', 'needs-action', 'completed']));
  });

  it('should end the case rejected when 人社 rejects: the refused item reads 不予批准, the others not applicable', async () => {
    const [applicant, hrss] = await Promise.all([s.login('changzhou.applicant'), s.login('changzhou.hrss')]);
    const data = { ...example, hasOnlyChildCertificate: false, onlyChildCertificateFile: undefined };
    const sub = await applicant.post('/api/v1/cases').send({ matter: 'changzhou-retirement', form: 'changzhou-retirement', data }).expect(201);
    const task = await openTask(hrss, sub.body.no, '企业职工退休审批');
    await hrss.post(`/api/v1/tasks/${task.id}/complete`).send({ outcome: 'rejected', comment: '未达到退休年龄' }).expect(200);
    const view = (await applicant.get(`/api/v1/cases/${sub.body.id}`).expect(200)).body;
    expect(view.status).toBe('rejected');
    // the item refused is not "not applicable" (the engine's settling of what lapsed): it was refused
    const statuses = Object.fromEntries(view.items.map((i: { key: string; status: string }) => [i.key, i.status]));
    expect(statuses['retirement-approval']).toBe('rejected');
    expect(new Set(Object.entries(statuses).filter(([k]) => k !== 'retirement-approval').map(([, v]) => v))).toEqual(new Set(['not-applicable']));
    // and so on the public progress page
    const id4 = String(example.idNumber).slice(-4);
    const progress = (await s.agent().get(`/api/v1/public/progress?no=${sub.body.no}&id4=${id4}`).expect(200)).body as { items: { title: string; statusLabel: string }[] };
    expect(progress.items.find((i) => i.title === '企业职工退休审批')!.statusLabel).toBe('不予批准');
    expect(progress.items.filter((i) => i.statusLabel === '不适用').length).toBe(view.items.length - 1);
  });
});
