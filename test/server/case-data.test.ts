/**
 * What a step may change of a case (issue 17, finding 3): a task completion sets only its own
 * form's fields (validated) and its outcome, a department system's message only the documented
 * result variables; every change of case data is audited with its before/after values.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishMini, startTestServer, type TestServer } from './helpers';

const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8');
const valid = { name: '张三', idNumber: '341502196501150039', housingFund: true };
const attack = { idNumber: '110101199003077777', name: '李四', requestedItems: [] };

describe('completing a task and sending a message', () => {
  let s: TestServer;
  let key: string;
  beforeAll(async () => {
    s = await startTestServer();
    await publishMini(s, fixture('system.bpmn'));
    const admin = await s.login('luan.admin');
    key = (await admin.post('/api/v1/admin/api-keys').send({ department: 'medical', name: '医保系统' }).expect(201)).body.key;
  });
  afterAll(async () => { await s?.close(); });

  async function submitted() {
    const applicant = await s.login('luan.applicant');
    const sub = await applicant.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data: valid }).expect(201);
    const hrss = await s.login('luan.hrss');
    const task = (await hrss.get('/api/v1/tasks').expect(200)).body.find((t: { caseNo: string }) => t.caseNo === sub.body.no);
    return { sub, hrss, task };
  }

  it('should refuse a completion that overwrites flow variables (422 naming them), change nothing, and push the application as it was', async () => {
    const { sub, hrss, task } = await submitted();
    const before = await s.models.Case.findById(sub.body.id).lean();
    const res = await hrss.post(`/api/v1/tasks/${task.id}/complete`).send({ data: attack }).expect(422);
    expect(res.body.error.code).toBe('invalid');
    expect(res.body.error.errors.map((e: { path: string }) => e.path).sort()).toEqual(['idNumber', 'name', 'requestedItems']);
    const after = await s.models.Case.findById(sub.body.id).lean();
    expect(after!.rev).toBe(before!.rev);
    expect(after!.data).toEqual(before!.data);
    expect(after!.flow).toEqual(before!.flow);
    expect(after!.tasks.find((t) => t.id === task.id)!.state).toBe('open');
    expect(await s.models.Outbox.countDocuments({ caseNo: sub.body.no })).toBe(0);
    const system = s.agent().set('authorization', `Bearer ${key}`);
    // completed without data: what is pushed is the application as submitted, every requested item still in it
    await hrss.post(`/api/v1/tasks/${task.id}/complete`).send({}).expect(200);
    const [pushed] = (await system.get('/api/v1/outbox').expect(200)).body.filter((o: { caseNo: string }) => o.caseNo === sub.body.no);
    expect(pushed.payload).toMatchObject({ name: '张三', idNumber: '341502196501150039', requestedItems: ['retirement-approval', 'housing-fund-withdrawal'] });
  });

  it('should refuse a message carrying a reserved or application variable, and audit the result it sets', async () => {
    const { sub, hrss, task } = await submitted();
    await hrss.post(`/api/v1/tasks/${task.id}/complete`).send({}).expect(200);
    const system = s.agent().set('authorization', `Bearer ${key}`);
    const flowBefore = (await s.models.Case.findById(sub.body.id).lean())!.flow;
    const bad = await system.post('/api/v1/messages').send({ name: 'medical-result', caseNo: sub.body.no, variables: { outcome: 'done', requestedItems: [], idNumber: '110101199003077777' } }).expect(422);
    expect(bad.body.error.errors.map((e: { path: string }) => e.path).sort()).toEqual(['variables.idNumber', 'variables.requestedItems']);
    const nested = await system.post('/api/v1/messages').send({ name: 'medical-result', caseNo: sub.body.no, variables: { result: { amount: 1 } } }).expect(422);
    expect(nested.body.error.errors[0].path).toBe('variables.result');
    expect((await s.models.Case.findById(sub.body.id).lean())!.flow).toEqual(flowBefore);
    await system.post('/api/v1/messages').send({ name: 'medical-result', caseNo: sub.body.no, variables: { outcome: 'not-eligible', reason: '已在外地办理' } }).expect(200);
    const record = await s.models.Audit.findOne({ action: 'message.correlate', target: `case:${sub.body.no}` }).lean();
    expect(record!.details!.changes).toEqual([
      { path: 'variables.outcome', before: 'pushed', after: 'not-eligible' },
      { path: 'variables.reason', before: null, after: '已在外地办理' },
    ]);
  });
});

/** The applicant's task form (like 常州's 附件5): an extra form filled during the flow. */
const infoForm = {
  type: 'object', title: '信息采集表',
  properties: {
    phone: { type: 'string', title: '联系电话', required: true, maxLength: 20, 'x-field-type': 'text' },
    name: { type: 'string', title: '姓名', maxLength: 30, 'x-field-type': 'text' },
  },
};
const infoFlow = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:lb="http://lianban.gov.cn/schema/bpmn" id="Defs_info" targetNamespace="http://lianban.gov.cn/test">
  <bpmn:process id="Process_info" isExecutable="true">
    <bpmn:startEvent id="Start" />
    <bpmn:sequenceFlow id="f1" sourceRef="Start" targetRef="Task_info" />
    <bpmn:userTask id="Task_info" name="填写信息采集表" lb:candidateGroups="applicant" lb:formKey="info-form" />
    <bpmn:sequenceFlow id="f2" sourceRef="Task_info" targetRef="Push" />
    <bpmn:serviceTask id="Push" name="推送" lb:connector="data-sharing" lb:department="medical" lb:linkedItem="housing-fund-withdrawal" />
    <bpmn:sequenceFlow id="f3" sourceRef="Push" targetRef="Task_approve" />
    <bpmn:userTask id="Task_approve" name="退休审批" lb:candidateGroups="hrss" lb:linkedItem="retirement-approval" />
    <bpmn:sequenceFlow id="f4" sourceRef="Task_approve" targetRef="End" />
    <bpmn:endEvent id="End" />
  </bpmn:process>
</bpmn:definitions>`;

describe('a task with its own form', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
    const admin = await s.login('luan.admin');
    await admin.put('/api/v1/admin/forms/mini-form').send({ title: '小申请表', schema: JSON.parse(fixture('mini-form.json')) }).expect(200);
    await admin.put('/api/v1/admin/forms/info-form').send({ title: '信息采集表', schema: infoForm }).expect(200);
    await admin.put('/api/v1/admin/flows/info-flow').send({ title: '采集流程', xml: infoFlow }).expect(200);
    await admin.put('/api/v1/admin/matters/mini').send({
      title: '小事项', forms: [{ key: 'mini-form' }, { key: 'info-form' }], flow: 'info-flow',
      linkedItems: [
        { key: 'retirement-approval', title: '退休审批', department: 'hrss', mandatory: true },
        { key: 'housing-fund-withdrawal', title: '公积金提取', department: 'housing-fund' },
      ],
    }).expect(200);
    const pub = await admin.post('/api/v1/admin/matters/mini/publish');
    expect(pub.status, JSON.stringify(pub.body)).toBe(200);
  });
  afterAll(async () => { await s?.close(); });

  it('should store only the task form\'s validated fields, keep the application\'s values in the flow, and audit before/after', async () => {
    const applicant = await s.login('luan.applicant');
    const sub = await applicant.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data: valid }).expect(201);
    const task = (await applicant.get('/api/v1/tasks').expect(200)).body.find((t: { caseNo: string }) => t.caseNo === sub.body.no);
    expect(task.formKey).toBe('info-form');
    // fields outside the task form are refused by name; the form's own rules apply
    const bad = await applicant.post(`/api/v1/tasks/${task.id}/complete`).send({ data: { phone: '13800000000', requestedItems: [], idNumber: attack.idNumber } }).expect(422);
    expect(bad.body.error.errors.map((e: { path: string }) => e.path).sort()).toEqual(['idNumber', 'requestedItems']);
    await applicant.post(`/api/v1/tasks/${task.id}/complete`).send({ data: { name: '张三丰' } }).expect(422);
    await applicant.post(`/api/v1/tasks/${task.id}/complete`).send({ data: { phone: '13800000000', name: '张三丰' } }).expect(200);
    const doc = (await s.models.Case.findById(sub.body.id).lean())!;
    expect(doc.taskForms!['info-form']).toEqual({ phone: '13800000000', name: '张三丰' });
    expect(doc.data.name).toBe('张三');
    const pushed = await s.models.Outbox.findOne({ caseNo: sub.body.no }).lean();
    expect(pushed!.payload).toMatchObject({ name: '张三', idNumber: valid.idNumber, phone: '13800000000', requestedItems: ['retirement-approval', 'housing-fund-withdrawal'] });
    const record = await s.models.Audit.findOne({ action: 'task.complete', target: `case:${sub.body.no}` }).lean();
    expect(record!.details!.changes).toEqual([
      { path: 'taskForms.info-form.phone', before: null, after: '13800000000' },
      { path: 'taskForms.info-form.name', before: null, after: '张三丰' },
    ]);
  });

  it('should audit a draft update and its submission with the fields they changed', async () => {
    const applicant = await s.login('luan.applicant');
    const draft = await applicant.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data: { name: '王五' }, draft: true }).expect(201);
    await applicant.put(`/api/v1/cases/${draft.body.id}`).send({ data: { name: '王五', idNumber: valid.idNumber } }).expect(200);
    const update = await s.models.Audit.findOne({ action: 'case.update', target: `case:${draft.body.id}` }).lean();
    expect(update!.details!.changes).toEqual([{ path: 'data.idNumber', before: null, after: valid.idNumber }]);
    // a value too large to keep in the audit is recorded by its size and hash
    await applicant.put(`/api/v1/cases/${draft.body.id}`).send({ data: { name: '王五', idNumber: valid.idNumber, notes: 'x'.repeat(5000) } }).expect(200);
    const [, large] = await s.models.Audit.find({ action: 'case.update', target: `case:${draft.body.id}` }).sort({ _id: 1 }).lean();
    expect(large!.details!.changes).toEqual([{ path: 'data.notes', before: null, after: { omitted: 'too-large', chars: 5002, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) } }]);
    await applicant.put(`/api/v1/cases/${draft.body.id}`).send({ data: { name: '王五', idNumber: valid.idNumber } }).expect(200);
    const submitted = await applicant.post(`/api/v1/cases/${draft.body.id}/submit`).expect(200);
    const submit = await s.models.Audit.findOne({ action: 'case.submit', target: `case:${submitted.body.no}` }).lean();
    expect(Array.isArray(submit!.details!.changes)).toBe(true);
  });
});
