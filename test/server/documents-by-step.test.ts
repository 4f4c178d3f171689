/**
 * A city's own notice issued by a step, without code (issue 20): the admin adds a document kind
 * (文书模板), the flow's user task names it (`lb:issueDocument`), and completing that task issues
 * the document — dated by the completion, one per completed task, listed with the case's documents,
 * its text from the city's template. A value that is no document kind is refused at publish.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type request from 'supertest';
import { deploy } from '@lianban/runtime';
import { documentsSettled } from '@lianban/server';
import { publishMini, startTestServer, type TestServer } from './helpers';
import { binary, pdfText } from '../pdf';

type Agent = ReturnType<typeof request.agent>;
const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8');
const flow = fixture('mini.bpmn').replace('<bpmn:userTask id="Task_approve" name="退休审批"', '<bpmn:userTask id="Task_approve" name="退休审批" lb:issueDocument="approval-notice"');

describe('documents issued by a step (lb:issueDocument)', () => {
  let s: TestServer;
  let applicant: Agent;
  let hrss: Agent;
  beforeAll(async () => {
    s = await startTestServer();
    await publishMini(s, flow);
    const admin = await s.login('luan.admin');
    await admin.post('/api/v1/admin/document-templates').send({
      kind: 'approval-notice', title: '退休审批结果通知', paragraphs: ['{{applicantName}}：', '您的「{{matterTitle}}」（办件编号 {{caseNo}}）已完成退休审批。'],
    }).expect(201);
    [applicant, hrss] = await Promise.all([s.login('luan.applicant'), s.login('luan.hrss')]);
  });
  afterAll(async () => {
    await documentsSettled();
    await s?.close();
  });

  it('should issue the city\'s notice when the task naming it is completed, with the template\'s text', async () => {
    const sub = await applicant.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data: { name: '张三', idNumber: '341502196501150039', housingFund: true } }).expect(201);
    await documentsSettled();
    expect(await s.models.OfficialDocument.countDocuments({ caseId: sub.body.id, kind: 'approval-notice' })).toBe(0);
    const task = ((await hrss.get('/api/v1/tasks').expect(200)).body as { id: string; caseId: string; name: string }[]).find((t) => t.caseId === sub.body.id && t.name === '退休审批')!;
    await hrss.post(`/api/v1/tasks/${task.id}/complete`).send({ outcome: 'approved' }).expect(200);
    await documentsSettled();
    // issued by the step itself (the case is still running: 公积金 is open), before anyone reads the list
    const stored = await s.models.OfficialDocument.find({ caseId: sub.body.id, kind: 'approval-notice' }).lean();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.key).toBe(`approval-notice:${task.id}`);
    const docs = (await applicant.get(`/api/v1/cases/${sub.body.id}/documents`).expect(200)).body as { id: string; kind: string; title: string }[];
    const notice = docs.find((d) => d.kind === 'approval-notice')!;
    expect(notice.title).toBe('退休审批结果通知');
    const pdf = (await applicant.get(`/api/v1/documents/${notice.id}`).buffer(true).parse(binary).expect(200)).body as Buffer;
    const text = pdfText(pdf, { squash: true });
    expect(text).toContain('退休审批结果通知');
    expect(text).toContain(`办件编号${sub.body.no}`);
    expect(text).toContain('已完成退休审批');
    // reading again issues nothing twice
    await applicant.get(`/api/v1/cases/${sub.body.id}/documents`).expect(200);
    expect(await s.models.OfficialDocument.countDocuments({ caseId: sub.body.id, kind: 'approval-notice' })).toBe(1);
  });

  it('should refuse an lb:issueDocument that is no document kind, or on anything but a user task', async () => {
    const bad = flow.replace('lb:issueDocument="approval-notice"', 'lb:issueDocument="Approval Notice!"');
    expect((await deploy(bad)).problems.map((p) => p.code)).toContain('invalid-issue-document');
    const onGateway = fixture('mini.bpmn').replace('<bpmn:inclusiveGateway id="Split"', '<bpmn:inclusiveGateway id="Split" lb:issueDocument="approval-notice"');
    expect(onGateway).not.toBe(fixture('mini.bpmn'));
    expect((await deploy(onGateway)).problems.map((p) => p.code)).toContain('invalid-issue-document');
  });
});
