import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type request from 'supertest';
import { publishMini, startTestServer, type TestServer } from './helpers';

type Agent = ReturnType<typeof request.agent>;

const valid = { name: '张三', idNumber: '341502196501150039', housingFund: true };

describe('cases and tasks', () => {
  let s: TestServer;
  let applicant: Agent;
  let hrss: Agent;
  let housing: Agent;
  beforeAll(async () => {
    s = await startTestServer();
    await publishMini(s);
    [applicant, hrss, housing] = await Promise.all([s.login('luan.applicant'), s.login('luan.hrss'), s.login('luan.housing-fund')]);
  });
  afterAll(async () => { await s?.close(); });

  it('should refuse an invalid submission with 422 paths in Chinese and store nothing', async () => {
    const before = await s.models.Case.countDocuments();
    const res = await applicant.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data: { name: '', idNumber: '341502196501150038', evil: 1 } }).expect(422);
    expect(res.body.error.code).toBe('invalid');
    const paths = res.body.error.errors.map((e: { path: string }) => e.path).sort();
    expect(paths).toEqual(['evil', 'idNumber', 'name']);
    expect(res.body.error.errors.find((e: { path: string }) => e.path === 'idNumber').message).toMatch(/校验位/);
    expect(await s.models.Case.countDocuments()).toBe(before);
  });

  it('should run a case from submission to completion with the housing-fund item turned standalone', async () => {
    // given a submission with the housing fund ticked
    const sub = await applicant.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data: valid }).expect(201);
    expect(sub.body.no).toMatch(/^LA\d{8}\d{4}$/);
    expect(sub.body.status).toBe('in-progress');
    const mine = await applicant.get(`/api/v1/cases/${sub.body.id}`).expect(200);
    expect(mine.body.items).toEqual([
      expect.objectContaining({ key: 'retirement-approval', status: 'in-progress' }),
      expect.objectContaining({ key: 'housing-fund-withdrawal', status: 'requested' }),
    ]);
    expect(mine.body.data.idNumber).toBe('341502196501150039');
    // when hrss approves
    const queue = await hrss.get('/api/v1/tasks?state=open').expect(200);
    const approve = queue.body.find((t: { caseNo: string }) => t.caseNo === sub.body.no);
    expect(approve).toMatchObject({ name: '退休审批', department: 'hrss', outcomes: ['approved', 'rejected'] });
    await hrss.post(`/api/v1/tasks/${approve.id}/complete`).send({ outcome: 'maybe' }).expect(422);
    await hrss.post(`/api/v1/tasks/${approve.id}/claim`).expect(200);
    await housing.post(`/api/v1/tasks/${approve.id}/complete`).send({ outcome: 'approved' }).expect(403);
    await hrss.post(`/api/v1/tasks/${approve.id}/complete`).send({ outcome: 'approved', comment: '材料齐全' }).expect(200);
    await hrss.post(`/api/v1/tasks/${approve.id}/complete`).send({ outcome: 'approved' }).expect(409);
    // then the housing-fund staff sees the case masked, and finds the applicant not eligible
    const hq = await housing.get('/api/v1/tasks').expect(200);
    const withdraw = hq.body.find((t: { caseNo: string }) => t.caseNo === sub.body.no);
    const seen = await housing.get(`/api/v1/cases/${sub.body.id}`).expect(200);
    expect(seen.body.data.idNumber).toBe('341502************');
    const revealed = await housing.post(`/api/v1/cases/${sub.body.id}/reveal`).expect(200);
    expect(revealed.body.data.idNumber).toBe('341502196501150039');
    await housing.post(`/api/v1/tasks/${withdraw.id}/complete`).send({ outcome: 'not-eligible' }).expect(200);
    const done = await applicant.get(`/api/v1/cases/${sub.body.id}`).expect(200);
    expect(done.body.status).toBe('completed');
    expect(done.body.items.find((i: { key: string }) => i.key === 'housing-fund-withdrawal').status).toBe('standalone');
    expect(done.body.timeline.map((t: { action: string }) => t.action)).toEqual(expect.arrayContaining(['case.submitted', 'task.completed', 'case.completed']));
    const flow = await applicant.get(`/api/v1/cases/${sub.body.id}/flow`).expect(200);
    expect(flow.body.done).toEqual(expect.arrayContaining(['Task_approve', 'Task_housing']));
    expect(flow.body.xml).toContain('Process_mini');
    const reveals = await s.models.Audit.find({ action: 'case.reveal' }).lean();
    expect(reveals).toHaveLength(1);
    expect(reveals[0]!.actor).toBe('luan.housing-fund');
  });

  it('should not show a case to staff of a department without a task in it, nor to another applicant', async () => {
    const sub = await applicant.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data: { ...valid, housingFund: false } }).expect(201);
    const medical = await s.login('luan.medical');
    await medical.get(`/api/v1/cases/${sub.body.id}`).expect(404);
    const other = await s.login('changzhou.applicant');
    await other.get(`/api/v1/cases/${sub.body.id}`).expect(404);
    await hrss.get(`/api/v1/cases/${sub.body.id}`).expect(200);
    const mine = await applicant.get(`/api/v1/cases/${sub.body.id}`).expect(200);
    expect(mine.body.items.map((i: { key: string }) => i.key)).toEqual(['retirement-approval']);
  });

  it('should let exactly one of 100 parallel completions of one task win', async () => {
    const sub = await applicant.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data: valid }).expect(201);
    const task = (await hrss.get('/api/v1/tasks').expect(200)).body.find((t: { caseNo: string }) => t.caseNo === sub.body.no);
    const results = await Promise.all(Array.from({ length: 100 }, () => hrss.post(`/api/v1/tasks/${task.id}/complete`).send({ outcome: 'approved' })));
    const codes = results.map((r) => r.status);
    expect(codes.filter((c) => c === 200)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(99);
    const doc = await s.models.Case.findById(sub.body.id).lean();
    expect(doc!.tasks.filter((t) => t.name === '退休审批' && t.state === 'done')).toHaveLength(1);
    expect(doc!.tasks.filter((t) => t.name === '公积金提取')).toHaveLength(1);
  });

  it('should show an administrator every task of the city, done ones with their completion', async () => {
    const admin = await s.login('luan.admin');
    const all = (await admin.get('/api/v1/tasks?state=all').expect(200)).body as { department: string; state: string; completedAt: string | null }[];
    expect(new Set(all.map((t) => t.department))).toEqual(new Set(['hrss', 'housing-fund']));
    expect(all.filter((t) => t.state === 'done').every((t) => t.completedAt)).toBe(true);
    const other = await s.login('changzhou.admin');
    expect((await other.get('/api/v1/tasks?state=all').expect(200)).body).toEqual([]);
  });

  it('should keep an open task in the queue behind more than a page of finished cases', async () => {
    // given 1100 finished cases of the same department, stored before a new submission
    const done = await s.models.Case.findOne({ tenant: 'luan', status: 'completed' }).lean();
    const { _id: _ignored, ...template } = done!;
    await s.models.Case.collection.insertMany(Array.from({ length: 1100 }, (_, i) => ({
      ...template, no: `LA20260101${String(9000 + i).padStart(5, '0')}`,
      tasks: template.tasks.map((t) => ({ ...t, id: `${t.id}-h${i}` })),
    })));
    const sub = await applicant.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data: valid }).expect(201);
    // then the open task of the new case is in the hrss queue, and history pages newest first
    const open = (await hrss.get('/api/v1/tasks').expect(200)).body as { caseNo: string; state: string }[];
    expect(open.map((t) => t.caseNo)).toContain(sub.body.no);
    expect(open.every((t) => t.state === 'open' || t.state === 'claimed')).toBe(true);
    // (the list is paged: follow X-Next-Cursor)
    const history: { caseNo: string }[] = [];
    for (let cursor = ''; ;) {
      const page = await hrss.get('/api/v1/tasks').query({ state: 'done', limit: 200, ...(cursor ? { cursor } : {}) }).expect(200);
      history.push(...page.body);
      cursor = page.headers['x-next-cursor'] ?? '';
      if (!cursor) break;
    }
    expect(history.map((t) => t.caseNo)).toContain('LA2026010110099');
  });

  it('should keep drafts editable by their owner until submitted', async () => {
    const draft = await applicant.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data: { name: '李四' }, draft: true }).expect(201);
    expect(draft.body).toMatchObject({ no: null, status: 'draft' });
    await applicant.put(`/api/v1/cases/${draft.body.id}`).send({ data: valid }).expect(200);
    const submitted = await applicant.post(`/api/v1/cases/${draft.body.id}/submit`).expect(200);
    expect(submitted.body.no).toMatch(/^LA/);
    await applicant.put(`/api/v1/cases/${draft.body.id}`).send({ data: valid }).expect(409);
  });
});
