/**
 * Staff's work on a case besides completing: scanning paper materials into it, and comments
 * (with files) on their task — who may, what the case view, timeline and audit then show.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type request from 'supertest';
import { publishMini, startTestServer, type TestServer } from './helpers';

type Agent = ReturnType<typeof request.agent>;
const PDF = Buffer.from('%PDF-1.4\n% 纸质材料扫描件\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const data = { name: '张三', idNumber: '341502196501150039', housingFund: false };

describe('staff attachments and task comments', () => {
  let s: TestServer;
  let applicant: Agent;
  let hrss: Agent;
  let caseId: string;
  let taskId: string;
  beforeAll(async () => {
    s = await startTestServer();
    await publishMini(s);
    applicant = await s.login('luan.applicant');
    hrss = await s.login('luan.hrss');
    caseId = (await applicant.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data }).expect(201)).body.id;
    taskId = (await hrss.get('/api/v1/tasks').expect(200)).body.find((t: { caseId: string }) => t.caseId === caseId).id;
  });
  afterAll(async () => { await s?.close(); });

  it('should let staff with a task in the case attach scanned paper materials, shown with who attached them', async () => {
    const up = await hrss.post(`/api/v1/cases/${caseId}/attachments`).field('material', 'paper-scan').attach('file', PDF, '户口簿扫描件.pdf').expect(201);
    expect(up.body).toMatchObject({ name: '户口簿扫描件.pdf', uploadedBy: 'luan.hrss' });
    // the applicant sees it in the case, with who attached it
    const files = await applicant.get(`/api/v1/cases/${caseId}/attachments`).expect(200);
    expect(files.body).toEqual([expect.objectContaining({ fileId: up.body.fileId, name: '户口簿扫描件.pdf', uploadedBy: 'luan.hrss', material: 'paper-scan' })]);
    const view = await applicant.get(`/api/v1/cases/${caseId}`).expect(200);
    expect(view.body.timeline.at(-1)).toMatchObject({ action: 'attachment.added', actor: 'luan.hrss' });
    expect(view.body.timeline.at(-1).detail).toContain('户口簿扫描件.pdf');
    const audit = await s.models.Audit.findOne({ action: 'attachment.upload', actor: 'luan.hrss' }).lean();
    expect(audit?.details).toMatchObject({ file: up.body.fileId, by: 'staff' });
    // staff of a department without a task in it may not (nor see it), nor may another applicant
    const medical = await s.login('luan.medical');
    await medical.post(`/api/v1/cases/${caseId}/attachments`).attach('file', PDF, 'x.pdf').expect(404);
    await medical.get(`/api/v1/cases/${caseId}/attachments`).expect(404);
    const stranger = await s.login('changzhou.hrss');
    await stranger.post(`/api/v1/cases/${caseId}/attachments`).attach('file', PDF, 'x.pdf').expect(404);
    // a window staff member who did not file it has no task in it either
    const window = await s.login('luan.window');
    await window.post(`/api/v1/cases/${caseId}/attachments`).attach('file', PDF, 'x.pdf').expect(404);
  });

  it('should let the staff member add a comment with files to their task without completing it', async () => {
    const scan = await hrss.post(`/api/v1/cases/${caseId}/attachments`).attach('file', PDF, '核查记录.pdf').expect(201);
    const res = await hrss.post(`/api/v1/tasks/${taskId}/comments`).send({ text: '已电话核实参保缴费年限，待调取档案', attachments: [scan.body.fileId] }).expect(201);
    expect(res.body).toMatchObject({ taskId, author: 'luan.hrss', department: 'hrss', text: '已电话核实参保缴费年限，待调取档案', attachments: [{ fileId: scan.body.fileId, name: '核查记录.pdf' }] });
    // the task stays open; the case view shows the comment to those who may see the case
    const tasks = await hrss.get('/api/v1/tasks').expect(200);
    expect(tasks.body.find((t: { id: string }) => t.id === taskId).state).toBe('open');
    for (const who of [applicant, hrss, await s.login('luan.admin')]) {
      const view = await who.get(`/api/v1/cases/${caseId}`).expect(200);
      expect(view.body.comments).toEqual([expect.objectContaining({ id: res.body.id, text: '已电话核实参保缴费年限，待调取档案', taskName: '退休审批' })]);
    }
    const view = await applicant.get(`/api/v1/cases/${caseId}`).expect(200);
    expect(view.body.timeline.at(-1)).toMatchObject({ action: 'task.commented', actor: 'luan.hrss', elementId: 'Task_approve' });
    const audit = await s.models.Audit.findOne({ action: 'task.comment' }).lean();
    expect(audit).toMatchObject({ actor: 'luan.hrss', target: `task:${taskId}`, details: { attachments: [scan.body.fileId] } });
  });

  it('should refuse comments from others, on files of other cases, and on finished tasks', async () => {
    // another department, another city, the applicant: not their task
    await (await s.login('luan.medical')).post(`/api/v1/tasks/${taskId}/comments`).send({ text: '意见' }).expect(404);
    await (await s.login('changzhou.hrss')).post(`/api/v1/tasks/${taskId}/comments`).send({ text: '意见' }).expect(404);
    await applicant.post(`/api/v1/tasks/${taskId}/comments`).send({ text: '意见' }).expect(403);
    // empty text, a file of another case
    const empty = await hrss.post(`/api/v1/tasks/${taskId}/comments`).send({ text: '   ' }).expect(422);
    expect(empty.body.error.message).toBe('请填写意见内容');
    const draft = await applicant.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data: {}, draft: true }).expect(201);
    const foreign = await applicant.post(`/api/v1/cases/${draft.body.id}/attachments`).attach('file', PDF, 'other.pdf').expect(201);
    const refused = await hrss.post(`/api/v1/tasks/${taskId}/comments`).send({ text: '见附件', attachments: [foreign.body.fileId] }).expect(422);
    expect(refused.body.error.message).toBe('附件须是本办件已上传的文件');
    // claimed by a colleague: only they comment
    const admin = await s.login('luan.admin');
    await admin.post('/api/v1/admin/users').send({ username: 'luan.hrss2', password: 'Hrss-Two-Passw0rd', roles: ['staff'], departments: ['hrss'] }).expect(201);
    const colleague = await s.login('luan.hrss2', 'Hrss-Two-Passw0rd');
    await colleague.post(`/api/v1/tasks/${taskId}/claim`).expect(200);
    await hrss.post(`/api/v1/tasks/${taskId}/comments`).send({ text: '意见' }).expect(409);
    await colleague.post(`/api/v1/tasks/${taskId}/comments`).send({ text: '已认领，继续核查' }).expect(201);
    // once done, no more comments (409)
    await colleague.post(`/api/v1/tasks/${taskId}/complete`).send({ outcome: 'approved' }).expect(200);
    const done = await colleague.post(`/api/v1/tasks/${taskId}/comments`).send({ text: '补充意见' }).expect(409);
    expect(done.body.error.code).toBe('already-done');
    const view = await applicant.get(`/api/v1/cases/${caseId}`).expect(200);
    expect(view.body.comments).toHaveLength(2);
  });
});
