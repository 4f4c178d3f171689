import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type request from 'supertest';
import { publishMini, startTestServer, type TestServer } from './helpers';

const PDF = Buffer.from('%PDF-1.4\n% test material\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const valid = { name: '张三', idNumber: '341502196501150039', housingFund: true };
type Agent = ReturnType<typeof request.agent>;

describe('attachments', () => {
  let s: TestServer;
  let applicant: Agent;
  beforeAll(async () => {
    s = await startTestServer();
    await publishMini(s);
    applicant = await s.login('luan.applicant');
  });
  afterAll(async () => { await s?.close(); });

  it('should store a PDF in GridFS for a draft and let only those who see the case download it', async () => {
    const draft = await applicant.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data: {}, draft: true }).expect(201);
    const up = await applicant.post(`/api/v1/cases/${draft.body.id}/attachments`).field('material', 'social-security-card').attach('file', PDF, '社保卡.pdf').expect(201);
    expect(up.body).toMatchObject({ name: '社保卡.pdf', size: PDF.length, contentType: 'application/pdf', material: 'social-security-card' });
    const down = await applicant.get(`/api/v1/attachments/${up.body.fileId}`).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(Buffer.compare(down.body as Buffer, PDF)).toBe(0);
    const stranger = await s.login('changzhou.applicant');
    await stranger.get(`/api/v1/attachments/${up.body.fileId}`).expect(404);
    const medical = await s.login('luan.medical');
    await medical.get(`/api/v1/attachments/${up.body.fileId}`).expect(404);
    await applicant.get('/api/v1/attachments/nonsense').expect(404);
  });

  it('should refuse files that are not PDF/PNG/JPG whatever their name says, and files over 10 MB', async () => {
    const draft = await applicant.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data: {}, draft: true }).expect(201);
    const exe = await applicant.post(`/api/v1/cases/${draft.body.id}/attachments`).attach('file', Buffer.from('MZ not a pdf'), 'looks-fine.pdf').expect(415);
    expect(exe.body.error.message).toMatch(/PDF/);
    const big = Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024)]);
    await applicant.post(`/api/v1/cases/${draft.body.id}/attachments`).attach('file', big, 'big.pdf').expect(413);
    const none = await applicant.post(`/api/v1/cases/${draft.body.id}/attachments`).send({}).expect(422);
    expect(none.body.error.errors).toEqual([{ path: 'file', message: '必填' }]);
  });

  it('should refuse a submission that points at another case\'s file', async () => {
    const a = await applicant.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data: {}, draft: true }).expect(201);
    const up = await applicant.post(`/api/v1/cases/${a.body.id}/attachments`).attach('file', PDF, 'a.pdf').expect(201);
    const b = await applicant.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data: {}, draft: true }).expect(201);
    // The mini form has no upload field, so a smuggled file reference is refused as an unknown field first.
    const res = await applicant.put(`/api/v1/cases/${b.body.id}`).send({ data: { ...valid, proof: [{ name: 'a.pdf', fileId: up.body.fileId }] } }).expect(200);
    expect(res.body.status).toBe('draft');
    const submit = await applicant.post(`/api/v1/cases/${b.body.id}/submit`).expect(422);
    expect(submit.body.error.errors.some((e: { path: string }) => e.path === 'proof')).toBe(true);
  });
});

describe('a department working in its own system', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
    await publishMini(s, fs.readFileSync(path.join(import.meta.dirname, 'fixtures', 'system.bpmn'), 'utf8'));
  });
  afterAll(async () => { await s?.close(); });

  it('should push to the outbox and take the result back through POST /messages', async () => {
    const admin = await s.login('luan.admin');
    const key = (await admin.post('/api/v1/admin/api-keys').send({ department: 'medical', name: '医保系统' }).expect(201)).body.key;
    const system = s.agent();
    const auth = { authorization: `Bearer ${key}` };
    const applicant = await s.login('luan.applicant');
    const hrss = await s.login('luan.hrss');
    const sub = await applicant.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data: valid }).expect(201);
    // nothing pushed before approval; a message now is refused
    expect((await system.get('/api/v1/outbox').set(auth).expect(200)).body).toEqual([]);
    await system.post('/api/v1/messages').set(auth).send({ name: 'medical-result', caseNo: sub.body.no }).expect(409);
    const task = (await hrss.get('/api/v1/tasks').expect(200)).body.find((t: { caseNo: string }) => t.caseNo === sub.body.no);
    await hrss.post(`/api/v1/tasks/${task.id}/complete`).send({}).expect(200);
    // the approval result was pushed to the medical department
    const outbox = (await system.get('/api/v1/outbox').set(auth).expect(200)).body;
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ caseNo: sub.body.no, kind: 'push', elementId: 'Push' });
    expect(outbox[0].payload.idNumber).toBe('341502196501150039');
    await system.post(`/api/v1/outbox/${outbox[0].id}/ack`).set(auth).expect(200);
    expect((await system.get('/api/v1/outbox').set(auth).expect(200)).body).toEqual([]);
    // a staff session cannot post messages; the system's result completes the case
    await hrss.post('/api/v1/messages').send({ name: 'medical-result', caseNo: sub.body.no }).expect(401);
    const res = await system.post('/api/v1/messages').set(auth).send({ name: 'medical-result', caseNo: sub.body.no, variables: { outcome: 'not-eligible' } }).expect(200);
    expect(res.body).toMatchObject({ caseNo: sub.body.no, elementId: 'Receive_medical', caseStatus: 'completed' });
    const view = await applicant.get(`/api/v1/cases/${sub.body.id}`).expect(200);
    expect(view.body.items.find((i: { key: string }) => i.key === 'housing-fund-withdrawal').status).toBe('standalone');
    // another city's case number is unknown to this key
    await system.post('/api/v1/messages').set(auth).send({ name: 'medical-result', caseNo: 'CZ202611210001' }).expect(404);
  });

  it('should tell the applicant when the case is accepted and done', async () => {
    const applicant = await s.login('luan.applicant');
    const list = (await applicant.get('/api/v1/notifications').expect(200)).body;
    expect(list.map((n: { kind: string }) => n.kind)).toEqual(expect.arrayContaining(['accepted', 'completed']));
    expect(list[0].message).toMatch(/办件/);
  });
});

describe('a department switched to its own system by configuration', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
    await publishMini(s);
  });
  afterAll(async () => { await s?.close(); });

  it('should put its user tasks in its outbox and take the completion from its API key, with the same flow', async () => {
    const admin = await s.login('luan.admin');
    await admin.put('/api/v1/admin/departments/housing-fund').send({ name: '住房公积金管理部门', mode: 'system' }).expect(200);
    const key = (await admin.post('/api/v1/admin/api-keys').send({ department: 'housing-fund' }).expect(201)).body.key;
    const auth = { authorization: `Bearer ${key}` };
    const [applicant, hrss] = await Promise.all([s.login('luan.applicant'), s.login('luan.hrss')]);
    const sub = await applicant.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data: valid }).expect(201);
    const approve = (await hrss.get('/api/v1/tasks').expect(200)).body.find((t: { caseNo: string }) => t.caseNo === sub.body.no);
    await hrss.post(`/api/v1/tasks/${approve.id}/complete`).send({ outcome: 'approved' }).expect(200);
    const outbox = (await s.agent().get('/api/v1/outbox').set(auth).expect(200)).body;
    expect(outbox).toEqual([expect.objectContaining({ caseNo: sub.body.no, kind: 'task', elementId: 'Task_housing' })]);
    // another department's key cannot complete it; this one can
    const otherKey = (await admin.post('/api/v1/admin/api-keys').send({ department: 'medical' }).expect(201)).body.key;
    await s.agent().post(`/api/v1/tasks/${outbox[0].taskId}/complete`).set({ authorization: `Bearer ${otherKey}` }).send({ outcome: 'done' }).expect(403);
    await s.agent().post(`/api/v1/tasks/${outbox[0].taskId}/complete`).set(auth).send({ outcome: 'done' }).expect(200);
    const view = (await applicant.get(`/api/v1/cases/${sub.body.id}`).expect(200)).body;
    expect(view.status).toBe('completed');
    expect(view.items.find((i: { key: string }) => i.key === 'housing-fund-withdrawal').status).toBe('done');
  });
});
