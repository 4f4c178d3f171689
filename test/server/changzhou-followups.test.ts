/**
 * 常州 after approval (issue 19 parts 5 and 6), through the API on the shipped templates:
 * 附件5 prefilled from the application and cross-checked (a changed name or ID number refused,
 * a changed unit flagged to staff, the application's own fields never overwritten), due in 15
 * days with a reminder 3 days before; 卫健 gets the 独生子女父母光荣证 information only after
 * approval, 核定 and 发证 and only when 持有=是; 附件4's 社会保障卡寄送 reaches 人社.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type request from 'supertest';
import { loadCity } from '@lianban/templates';
import { makeResidentId, prefillValues, type FieldSchema } from '@lianban/runtime';
import { seedDemoTemplates, startScheduler } from '@lianban/server';
import { startTestServer, type TestServer } from './helpers';

type Agent = ReturnType<typeof request.agent>;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const DAY = 24 * 3_600_000;

async function openTask(agent: Agent, caseNo: string, name: string) {
  const list = (await agent.get('/api/v1/tasks').expect(200)).body as { caseNo: string; name: string; id: string; dueAt: string | null }[];
  const task = list.find((t) => t.caseNo === caseNo && t.name === name);
  if (!task) throw new Error(`no open task「${name}」for ${caseNo}: ${list.filter((t) => t.caseNo === caseNo).map((t) => t.name).join(', ')}`);
  return task;
}

describe('常州 after approval', () => {
  let s: TestServer;
  let applicant: Agent;
  let hrss: Agent;
  let health: Agent;
  let healthSystem: Agent;
  let hrssSystem: Agent;
  const city = loadCity('changzhou');
  const form = (key: string) => city.forms.find((f) => f.key === key)!;
  const example = form('changzhou-retirement').example as Record<string, unknown>;
  const special = form('changzhou-retirement-special').example as Record<string, unknown>;
  const info = form('changzhou-socialized-info');

  beforeAll(async () => {
    s = await startTestServer();
    await seedDemoTemplates(s.models);
    [applicant, hrss, health] = await Promise.all(['applicant', 'hrss', 'health'].map((r) => s.login(`changzhou.${r}`)));
    const admin = await s.login('changzhou.admin');
    const key = async (department: string) => (await admin.post('/api/v1/admin/api-keys').send({ department, name: department }).expect(201)).body.key as string;
    healthSystem = s.agent().set('authorization', `Bearer ${await key('health')}`);
    hrssSystem = s.agent().set('authorization', `Bearer ${await key('hrss')}`);
  });
  afterAll(async () => { await s?.close(); });

  // 核定 and 发证 declare their results (x-item-result): the shipped examples
  const resultOf = (key: string) => form(key).example as Record<string, unknown>;
  const completion = (name: string) => name === '企业职工退休审批' ? { outcome: 'approved' }
    : name === '企业职工基本养老保险待遇核定' ? { data: resultOf('changzhou-pension-result') }
    : name === '职工退休养老证发放' ? { data: resultOf('changzhou-certificate-result') } : {};
  async function approveAll(no: string) {
    for (const name of ['企业职工退休审批', '企业职工基本养老保险待遇核定', '职工退休养老证发放']) {
      const task = await openTask(hrss, no, name);
      await hrss.post(`/api/v1/tasks/${task.id}/complete`).send(completion(name)).expect(200);
    }
  }
  const outboxOf = async (system: Agent, no: string) => ((await system.get('/api/v1/outbox').expect(200)).body as { caseNo: string; kind: string; payload: Record<string, unknown>; elementId: string }[]).filter((o) => o.caseNo === no);
  const healthSees = async (id: string, no: string) => ({
    tasks: ((await health.get('/api/v1/tasks').expect(200)).body as { caseNo: string }[]).filter((t) => t.caseNo === no).length,
    caseStatus: (await health.get(`/api/v1/cases/${id}`)).status,
    outbox: (await outboxOf(healthSystem, no)).length,
  });

  describe('附件5', () => {
    let caseId: string;
    let no: string;
    let sheet: { id: string; dueAt: string | null };
    beforeAll(async () => {
      const data = { ...example, medicalInsuranceTransfer: false, housingFundWithdrawal: false, hasOnlyChildCertificate: false, onlyChildCertificateFile: undefined };
      const sub = await applicant.post('/api/v1/cases').send({ matter: 'changzhou-retirement', form: 'changzhou-retirement', data }).expect(201);
      ({ id: caseId, no } = sub.body);
      await approveAll(no);
      sheet = await openTask(applicant, no, '填写社会化管理服务基本信息采集表');
    });

    it('should prefill name, ID number, unit and address from the application', async () => {
      const view = (await applicant.get(`/api/v1/cases/${caseId}`).expect(200)).body;
      expect(prefillValues(info.schema as FieldSchema, view.data)).toMatchObject({
        name: example.name, idNumber: example.idNumber, unitName: example.unitName, residenceAddress: example.address, residencePhone: example.mobile,
      });
    });

    it('should be due in 15 days and remind the applicant 3 days before', async () => {
      const due = new Date(sheet.dueAt!).getTime();
      expect(due - Date.now()).toBeGreaterThan(14.9 * DAY);
      expect(due - Date.now()).toBeLessThan(15.1 * DAY);
      const sched = startScheduler(s.models, s.db.connection!, { intervalMs: 3_600_000 });
      try {
        expect(await sched.tick(new Date(Date.now() + 11 * DAY))).toBe(0);
        expect(await sched.tick(new Date(Date.now() + 12.5 * DAY))).toBeGreaterThan(0);
      } finally { await sched.stop(); }
      const notes = (await applicant.get('/api/v1/notifications').expect(200)).body as { caseNo: string; message: string }[];
      const reminder = notes.find((n) => n.caseNo === no && n.message.startsWith('提醒'));
      expect(reminder?.message).toContain('填写社会化管理服务基本信息采集表');
      expect(reminder?.message).toMatch(/请于 \d{4}-\d{2}-\d{2} 前完成/);
      // the task is still open, the case still waits for the applicant
      expect((await openTask(applicant, no, '填写社会化管理服务基本信息采集表')).id).toBe(sheet.id);
    });

    it('should refuse a changed name or ID number, naming the field', async () => {
      const base = info.example as Record<string, unknown>;
      const renamed = await applicant.post(`/api/v1/tasks/${sheet.id}/complete`).send({ data: { ...base, name: '钱改名' } }).expect(422);
      expect(renamed.body.error.message).toContain('姓名');
      expect(renamed.body.error.errors).toEqual([{ path: 'name', message: expect.stringContaining(`申请表为「${String(example.name)}」`) }]);
      // another valid number of the same birth date and sex: only the cross-check can catch it
      const other = makeResidentId('320402', '1966-03-12', 137);
      expect(other).not.toBe(example.idNumber);
      const otherId = await applicant.post(`/api/v1/tasks/${sheet.id}/complete`).send({ data: { ...base, idNumber: other } }).expect(422);
      expect(otherId.body.error.errors).toEqual([{ path: 'idNumber', message: expect.stringContaining('须与申请表一致') }]);
    });

    it('should accept a changed unit, flag it to staff, and never overwrite the application', async () => {
      const base = info.example as Record<string, unknown>;
      await applicant.post(`/api/v1/tasks/${sheet.id}/complete`).send({ data: { ...base, unitName: '常州另一家示例有限公司' } }).expect(200);
      const staffView = (await hrss.get(`/api/v1/cases/${caseId}`).expect(200)).body;
      const flag = staffView.timeline.find((t: { action: string }) => t.action === 'task-form.mismatch');
      expect(flag.detail).toBe(`与申请表不一致，请核实：单位全称「${String(example.unitName)}」→「常州另一家示例有限公司」`);
      const doc = await s.models.Case.findById(caseId).lean();
      expect(doc!.data.unitName).toBe(example.unitName);
      expect(doc!.data.name).toBe(example.name);
      expect((doc!.taskForms as Record<string, Record<string, unknown>>)['changzhou-socialized-info']!.unitName).toBe('常州另一家示例有限公司');
    });
  });

  describe('卫健 and the 独生子女父母光荣证', () => {
    it('should see nothing before approval nor after 发证 when 持有=否', async () => {
      const data = { ...example, socializedManagement: false, medicalInsuranceTransfer: false, housingFundWithdrawal: false, hasOnlyChildCertificate: false, onlyChildCertificateFile: undefined };
      const sub = await applicant.post('/api/v1/cases').send({ matter: 'changzhou-retirement', form: 'changzhou-retirement', data }).expect(201);
      expect(await healthSees(sub.body.id, sub.body.no)).toEqual({ tasks: 0, caseStatus: 404, outbox: 0 });
      // the receipt push carries the requests but no 光荣证 information
      const [receipt] = await outboxOf(hrssSystem, sub.body.no);
      expect(receipt!.elementId).toBe('Push_requests');
      expect(receipt!.payload).not.toHaveProperty('hasOnlyChildCertificate');
      await approveAll(sub.body.no);
      expect(await healthSees(sub.body.id, sub.body.no)).toEqual({ tasks: 0, caseStatus: 404, outbox: 0 });
      expect((await applicant.get(`/api/v1/cases/${sub.body.id}`).expect(200)).body.status).toBe('completed');
    });

    it('should get the information only after approval, 核定 and 发证 when 持有=是', async () => {
      const draft = await applicant.post('/api/v1/cases').send({ matter: 'changzhou-retirement', form: 'changzhou-retirement', data: {}, draft: true }).expect(201);
      const up = await applicant.post(`/api/v1/cases/${draft.body.id}/attachments`).attach('file', PDF, '光荣证.pdf').expect(201);
      const data = { ...example, socializedManagement: false, medicalInsuranceTransfer: false, housingFundWithdrawal: false, hasOnlyChildCertificate: true, onlyChildCertificateFile: [{ name: '光荣证.pdf', fileId: up.body.fileId, material: 'only-child-certificate' }] };
      await applicant.put(`/api/v1/cases/${draft.body.id}`).send({ data }).expect(200);
      const sub = (await applicant.post(`/api/v1/cases/${draft.body.id}/submit`).expect(200)).body as { id: string; no: string };
      expect(await healthSees(sub.id, sub.no)).toEqual({ tasks: 0, caseStatus: 404, outbox: 0 });
      // after approval and 核定, before 发证: still nothing
      for (const name of ['企业职工退休审批', '企业职工基本养老保险待遇核定']) {
        const task = await openTask(hrss, sub.no, name);
        await hrss.post(`/api/v1/tasks/${task.id}/complete`).send(completion(name)).expect(200);
      }
      expect(await healthSees(sub.id, sub.no)).toEqual({ tasks: 0, caseStatus: 404, outbox: 0 });
      await hrss.post(`/api/v1/tasks/${(await openTask(hrss, sub.no, '职工退休养老证发放')).id}/complete`).send(completion('职工退休养老证发放')).expect(200);
      const pushed = (await outboxOf(healthSystem, sub.no)).find((o) => o.kind === 'push');
      expect(pushed).toMatchObject({ elementId: 'Push_health', payload: { name: example.name, idNumber: example.idNumber, hasOnlyChildCertificate: true, approved: true } });
      const seen = await healthSees(sub.id, sub.no);
      expect(seen.caseStatus).toBe(200);
      expect(seen.tasks).toBe(1);
    });
  });

  describe('附件4 社会保障卡寄送', () => {
    it('should push the mailing address with the results and give 人社 a mailing task', async () => {
      const data = { ...special, socializedManagement: false, medicalInsuranceTransfer: false, housingFundWithdrawal: false };
      const sub = await applicant.post('/api/v1/cases').send({ matter: 'changzhou-retirement', form: 'changzhou-retirement-special', data }).expect(201);
      await approveAll(sub.body.no);
      const results = (await outboxOf(hrssSystem, sub.body.no)).find((o) => o.elementId === 'Push_results');
      expect(results!.payload).toMatchObject({ cardMailing: true, cardMailingAddress: special.cardMailingAddress });
      const mailing = await openTask(hrss, sub.body.no, '社会保障卡寄送');
      await hrss.post(`/api/v1/tasks/${mailing.id}/complete`).send({}).expect(200);
      expect((await applicant.get(`/api/v1/cases/${sub.body.id}`).expect(200)).body.status).toBe('completed');
    });

    it('should not ask for mailing when the applicant will collect the card', async () => {
      const data = { ...special, socializedManagement: false, medicalInsuranceTransfer: false, housingFundWithdrawal: false, cardMailing: false, cardMailingAddress: undefined };
      const sub = await applicant.post('/api/v1/cases').send({ matter: 'changzhou-retirement', form: 'changzhou-retirement-special', data }).expect(201);
      await approveAll(sub.body.no);
      const results = (await outboxOf(hrssSystem, sub.body.no)).find((o) => o.elementId === 'Push_results');
      expect(results!.payload).toMatchObject({ cardMailing: false, cardMailingAddress: null });
      expect((await applicant.get(`/api/v1/cases/${sub.body.id}`).expect(200)).body.status).toBe('completed');
    });
  });
});
