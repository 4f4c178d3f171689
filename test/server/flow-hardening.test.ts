/**
 * Issue 17 through the API: reserved department keys (finding 8), publish refusing a receive
 * task no department owns (finding 8) and a dead flow shape (finding 9), and a condition that
 * passes the publish check but spends its FEEL budget on the real submission (finding 1).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type request from 'supertest';
import { startTestServer, type TestServer } from './helpers';

const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8');

const NOTE_FORM = {
  type: 'object',
  title: '说明申请',
  properties: {
    name: { type: 'string', title: '姓名', required: true, maxLength: 30, 'x-field-type': 'text' },
    note: { type: 'string', title: '说明', maxLength: 2000, 'x-field-type': 'textarea' },
  },
};

/** S → G; G: the condition on `note` → review, otherwise → review; review → end. */
const NOTE_FLOW = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:lb="http://lianban.gov.cn/schema/bpmn" id="D_note" targetNamespace="http://lianban.gov.cn/test">
  <bpmn:process id="P_note" isExecutable="true">
    <bpmn:startEvent id="Start" />
    <bpmn:sequenceFlow id="f1" sourceRef="Start" targetRef="G" />
    <bpmn:exclusiveGateway id="G" default="f_short" />
    <bpmn:sequenceFlow id="f_long" sourceRef="G" targetRef="Review"><bpmn:conditionExpression>string length(replace(note, "", note)) &gt; 0</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f_short" sourceRef="G" targetRef="Review" />
    <bpmn:userTask id="Review" name="审核" lb:candidateGroups="hrss" />
    <bpmn:sequenceFlow id="f2" sourceRef="Review" targetRef="End" />
    <bpmn:endEvent id="End" />
  </bpmn:process>
</bpmn:definitions>`;

describe('issue 17 through the API', () => {
  let s: TestServer;
  let admin: ReturnType<typeof request.agent>;
  beforeAll(async () => {
    s = await startTestServer();
    admin = await s.login('luan.admin');
  });
  afterAll(async () => { await s?.close(); });

  const publish = async (status: number, flowXml: string, form = JSON.parse(fixture('mini-form.json')), linkedItems = [
    { key: 'retirement-approval', title: '退休审批', department: 'hrss', mandatory: true },
    { key: 'housing-fund-withdrawal', title: '公积金提取', department: 'housing-fund' },
  ]) => {
    await admin.put('/api/v1/admin/forms/h17-form').send({ title: '申请表', schema: form }).expect(200);
    await admin.put('/api/v1/admin/flows/h17-flow').send({ title: '流程', xml: flowXml }).expect(200);
    await admin.put('/api/v1/admin/matters/h17').send({ title: '事项', forms: [{ key: 'h17-form' }], flow: 'h17-flow', linkedItems }).expect(200);
    return admin.post('/api/v1/admin/matters/h17/publish').expect(status);
  };

  it('should refuse department keys the platform gives a meaning to (finding 8)', async () => {
    for (const key of ['applicant', 'unassigned', 'system', 'timer']) {
      const res = await admin.post('/api/v1/admin/departments').send({ key, name: '冒名部门' }).expect(422);
      expect(res.body.error).toMatchObject({ code: 'invalid', message: `部门标识「${key}」是系统保留标识，不能用作部门` });
    }
    await admin.put('/api/v1/admin/departments/applicant').send({ name: '冒名部门' }).expect(422);
    const list = await admin.get('/api/v1/admin/departments').expect(200);
    expect(list.body.map((d: { key: string }) => d.key)).not.toContain('applicant');
    await admin.post('/api/v1/admin/departments').send({ key: 'applicants-office', name: '申请人服务科' }).expect(201);
    // data-sharing is the outbox of pushes without a department: a city may create the system that reads it
    await admin.post('/api/v1/admin/departments').send({ key: 'data-sharing', name: '数据共享交换平台', mode: 'system' }).expect(201);
  });

  it('should refuse to publish a receive task without lb:department, naming it (finding 8)', async () => {
    const res = await publish(422, fixture('system.bpmn').replace(' messageRef="Msg_medical" lb:department="medical"', ' messageRef="Msg_medical"'));
    expect(res.body.error.code).toBe('publish-problems');
    expect(res.body.error.problems).toEqual([{ element: 'Receive_medical', message: expect.stringContaining('没有设置 lb:department') }]);
    await publish(200, fixture('system.bpmn'));
  });

  it('should refuse to publish a parallel join that can never fire, naming it (finding 9)', async () => {
    // mini.bpmn closes its inclusive split with an inclusive join; as exclusive split + parallel join it would stick.
    const broken = fixture('mini.bpmn').replace('<bpmn:inclusiveGateway id="Split" default="f_none" />', '<bpmn:exclusiveGateway id="Split" default="f_none" />')
      .replace('<bpmn:inclusiveGateway id="Join" />', '<bpmn:parallelGateway id="Join" />');
    const res = await publish(422, broken);
    expect(res.body.error.problems).toEqual([{ element: 'Join', message: expect.stringContaining('永远不会触发') }]);
  });

  it('should park a submission whose condition spends its FEEL budget in an incident, and keep answering (finding 1)', async () => {
    // given a condition that passes the publish check (the example data has no note)
    await publish(200, NOTE_FLOW, NOTE_FORM, []);
    const applicant = await s.login('luan.applicant');
    // when a submission brings a note whose self-replacement would build a 4-million-character string
    const began = Date.now();
    const [sub, health] = await Promise.all([
      applicant.post('/api/v1/cases').send({ matter: 'h17', form: 'h17-form', data: { name: '张三', note: '长'.repeat(2000) } }),
      (async () => {
        await new Promise((r) => setTimeout(r, 5));
        const t = Date.now();
        const res = await s.agent().get('/api/v1/health');
        return { status: res.status, ms: Date.now() - t };
      })(),
    ]);
    // then the case is accepted and rests in an incident at the gateway, and the server kept answering
    expect(sub.status).toBe(201);
    expect(Date.now() - began).toBeLessThan(10_000);
    expect(health.status).toBe(200);
    expect(health.ms).toBeLessThan(3_000);
    const view = await admin.get(`/api/v1/cases/${sub.body.id}`).expect(200);
    const incident = view.body.timeline.find((t: { action: string }) => t.action === 'incident');
    expect(incident).toMatchObject({ elementId: 'G', detail: expect.stringContaining('超出表达式预算') });
    await admin.get('/api/v1/admin/departments').expect(200);
  });
});
