/**
 * Office moves on a whole case (issue #18): 撤回, 撤回申请, 挂起/恢复, 终止, incidents and retry —
 * their rights (wrong role/department 403, other city 404), their 409s, and what they do.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScheduler } from '@lianban/server';
import { publishMini, startTestServer, type TestServer } from './helpers';

const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8');
const HOUR = 3_600_000;
const API = '/api/v1';

/** Approval, then an exclusive gateway with no default: without `housingFund` the case is stuck (incident). */
const INCIDENT_FLOW = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:lb="http://lianban.gov.cn/schema/bpmn" id="Defs_inc" targetNamespace="http://lianban.gov.cn/test">
  <bpmn:process id="Process_inc" isExecutable="true">
    <bpmn:startEvent id="Start" />
    <bpmn:sequenceFlow id="f1" sourceRef="Start" targetRef="Task_approve" />
    <bpmn:userTask id="Task_approve" name="退休审批" lb:candidateGroups="hrss" lb:linkedItem="retirement-approval" />
    <bpmn:sequenceFlow id="f2" sourceRef="Task_approve" targetRef="Choose" />
    <bpmn:exclusiveGateway id="Choose" />
    <bpmn:sequenceFlow id="f3" sourceRef="Choose" targetRef="Task_housing"><bpmn:conditionExpression>housingFund = true</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:userTask id="Task_housing" name="公积金提取" lb:candidateGroups="housing-fund" lb:linkedItem="housing-fund-withdrawal" />
    <bpmn:sequenceFlow id="f4" sourceRef="Task_housing" targetRef="End" />
    <bpmn:endEvent id="End" />
  </bpmn:process>
</bpmn:definitions>`;

type Agent = Awaited<ReturnType<TestServer['login']>>;

describe('office moves on a case', () => {
  let s: TestServer;
  let applicant: Agent;
  let hrss: Agent;
  let housing: Agent;
  let medical: Agent;
  let admin: Agent;
  let czAdmin: Agent;
  let czHrss: Agent;
  let czApplicant: Agent;

  beforeAll(async () => {
    s = await startTestServer();
    await publishMini(s);
    [applicant, hrss, housing, medical, admin, czAdmin, czHrss, czApplicant] = await Promise.all(
      ['luan.applicant', 'luan.hrss', 'luan.housing-fund', 'luan.medical', 'luan.admin', 'changzhou.admin', 'changzhou.hrss', 'changzhou.applicant'].map((u) => s.login(u)),
    );
  });
  afterAll(async () => { await s?.close(); });

  async function file(name = '王五', housingFund = true) {
    const res = await applicant.post(`${API}/cases`).send({ matter: 'mini', form: 'mini-form', data: { name, idNumber: '341502196501150039', housingFund } }).expect(201);
    return res.body as { id: string; no: string };
  }
  async function taskOf(agent: Agent, caseNo: string, state = 'open') {
    const list = (await agent.get(`${API}/tasks?state=${state}&limit=200`).expect(200)).body as { id: string; caseNo: string; name: string; dueAt: string | null }[];
    return list.find((t) => t.caseNo === caseNo)!;
  }
  const caseDoc = async (id: string) => (await s.models.Case.findById(id).lean())!;

  describe('撤回 (recall)', () => {
    it('should reopen the completed task for who completed it and withdraw the task it opened', async () => {
      const c = await file();
      const task = await taskOf(hrss, c.no);
      await hrss.post(`${API}/tasks/${task.id}/complete`).send({ outcome: 'approved', comment: '同意' }).expect(200);
      expect((await caseDoc(c.id)).tasks.map((t) => `${t.name}:${t.state}`)).toEqual(['退休审批:done', '公积金提取:open']);
      const listed = (await hrss.get(`${API}/tasks?state=done&limit=200`).expect(200)).body as { id: string; recallable?: boolean }[];
      expect(listed.find((t) => t.id === task.id)!.recallable).toBe(true);

      // another department, another staff member of the city, and another city may not
      await housing.post(`${API}/tasks/${task.id}/recall`).expect(404);
      await czHrss.post(`${API}/tasks/${task.id}/recall`).expect(404);
      await applicant.post(`${API}/tasks/${task.id}/recall`).expect(403);
      await admin.post(`${API}/tasks/${task.id}/recall`).expect(403);

      const res = await hrss.post(`${API}/tasks/${task.id}/recall`).expect(200);
      expect(res.body).toMatchObject({ id: task.id, state: 'claimed', caseStatus: 'in-progress' });
      const doc = await caseDoc(c.id);
      expect(doc.tasks.map((t) => `${t.name}:${t.state}`)).toEqual(['退休审批:claimed', '公积金提取:cancelled']);
      expect(doc.tasks[0]).toMatchObject({ claimedBy: 'luan.hrss' });
      expect(doc.tasks[0]!.completedBy).toBeUndefined();
      expect(doc.timeline.map((e) => e.action)).toContain('task.recalled');
      expect(await s.models.Audit.countDocuments({ action: 'task.recall', target: `case:${c.no}` })).toBe(1);
      // the housing-fund staff learn their task was withdrawn
      const notes = (await housing.get(`${API}/notifications`).expect(200)).body as { kind: string; caseNo: string }[];
      expect(notes.some((n) => n.kind === 'recalled' && n.caseNo === c.no)).toBe(true);
      // a second recall finds nothing to undo; the task can be completed again and the flow goes on
      await hrss.post(`${API}/tasks/${task.id}/recall`).expect(409);
      await hrss.post(`${API}/tasks/${task.id}/complete`).send({ outcome: 'approved' }).expect(200);
      expect((await caseDoc(c.id)).tasks.map((t) => `${t.name}:${t.state}`)).toEqual(['退休审批:done', '公积金提取:cancelled', '公积金提取:open']);
    });

    it('should refuse a recall once the next step was claimed, and leave everything as it was', async () => {
      const c = await file('赵六');
      const task = await taskOf(hrss, c.no);
      await hrss.post(`${API}/tasks/${task.id}/complete`).send({ outcome: 'approved' }).expect(200);
      const next = await taskOf(housing, c.no);
      await housing.post(`${API}/tasks/${next.id}/claim`).expect(200);
      const before = await caseDoc(c.id);

      const res = await hrss.post(`${API}/tasks/${task.id}/recall`).expect(409);
      expect(res.body.error).toMatchObject({ code: 'moved-on' });
      expect(res.body.error.message).toContain('公积金提取');
      const after = await caseDoc(c.id);
      expect(after.rev).toBe(before.rev);
      expect(after.tasks.map((t) => `${t.name}:${t.state}`)).toEqual(['退休审批:done', '公积金提取:claimed']);
    });

    it('should refuse a recall once the next step was completed and the case ended', async () => {
      const c = await file('孙七');
      const task = await taskOf(hrss, c.no);
      await hrss.post(`${API}/tasks/${task.id}/complete`).send({ outcome: 'approved' }).expect(200);
      const next = await taskOf(housing, c.no);
      await housing.post(`${API}/tasks/${next.id}/complete`).send({ outcome: 'done' }).expect(200);
      expect((await hrss.post(`${API}/tasks/${task.id}/recall`).expect(409)).body.error.code).toBe('case-ended');
      expect((await housing.post(`${API}/tasks/${next.id}/recall`).expect(409)).body.error.code).toBe('case-ended');
    });
  });

  describe('撤回申请 (withdraw)', () => {
    it('should withdraw the case before any department completed a step: tasks cancelled, items not applicable, departments told', async () => {
      const c = await file('周八');
      await hrss.post(`${API}/cases/${c.id}/withdraw`).send({ reason: '不办了' }).expect(403);
      await czApplicant.post(`${API}/cases/${c.id}/withdraw`).send({ reason: '不办了' }).expect(404);
      await applicant.post(`${API}/cases/${c.id}/withdraw`).send({ reason: '  ' }).expect(422);

      const res = await applicant.post(`${API}/cases/${c.id}/withdraw`).send({ reason: '已决定延迟退休' }).expect(200);
      expect(res.body).toEqual({ id: c.id, status: 'withdrawn' });
      const doc = await caseDoc(c.id);
      expect(doc.status).toBe('withdrawn');
      expect(doc.endedAt).toBeTruthy();
      expect(doc.tasks.map((t) => t.state)).toEqual(['cancelled']);
      expect(doc.items.map((i) => i.status)).toEqual(['not-applicable', 'not-applicable']);
      // people read the lapsed items as withdrawn, not 「不适用」 (the stored status is the engine's)
      const view = (await applicant.get(`${API}/cases/${c.id}`).expect(200)).body as { items: { status: string }[] };
      expect(view.items.map((i) => i.status)).toEqual(['withdrawn', 'withdrawn']);
      expect((doc.flow.state as { status: string; tokens: unknown[] })).toMatchObject({ status: 'cancelled', tokens: [] });
      expect(doc.timeline.find((e) => e.action === 'case.withdrawn')).toMatchObject({ actor: 'luan.applicant', detail: '已决定延迟退休' });
      expect(await s.models.Audit.countDocuments({ action: 'case.withdraw', target: `case:${c.no}` })).toBe(1);
      const notes = (await hrss.get(`${API}/notifications`).expect(200)).body as { kind: string; caseNo: string }[];
      expect(notes.some((n) => n.kind === 'withdrawn' && n.caseNo === c.no)).toBe(true);
      // the task is gone from the queue and can no longer be completed; a second withdraw is refused
      expect(await taskOf(hrss, c.no)).toBeUndefined();
      await hrss.post(`${API}/tasks/${doc.tasks[0]!.id}/complete`).send({ outcome: 'approved' }).expect(409);
      expect((await applicant.post(`${API}/cases/${c.id}/withdraw`).send({ reason: '再撤' }).expect(409)).body.error.code).toBe('case-ended');
    });

    it('should refuse a withdrawal once a department completed a step', async () => {
      const c = await file('吴九');
      const task = await taskOf(hrss, c.no);
      await hrss.post(`${API}/tasks/${task.id}/complete`).send({ outcome: 'approved' }).expect(200);
      const res = await applicant.post(`${API}/cases/${c.id}/withdraw`).send({ reason: '不办了' }).expect(409);
      expect(res.body.error).toMatchObject({ code: 'moved-on' });
      expect((await caseDoc(c.id)).status).toBe('in-progress');
    });
  });

  describe('终止 (admin cancel)', () => {
    it('should let only the city admin cancel a running case, at any step', async () => {
      const c = await file('郑十');
      const task = await taskOf(hrss, c.no);
      await hrss.post(`${API}/tasks/${task.id}/complete`).send({ outcome: 'approved' }).expect(200);
      await hrss.post(`${API}/admin/cases/${c.id}/cancel`).send({ reason: '重复申报' }).expect(403);
      await czAdmin.post(`${API}/admin/cases/${c.id}/cancel`).send({ reason: '重复申报' }).expect(404);
      const res = await admin.post(`${API}/admin/cases/${c.id}/cancel`).send({ reason: '重复申报' }).expect(200);
      expect(res.body).toEqual({ id: c.id, status: 'cancelled' });
      const doc = await caseDoc(c.id);
      expect(doc.tasks.map((t) => `${t.name}:${t.state}`)).toEqual(['退休审批:done', '公积金提取:cancelled']);
      expect(doc.items.find((i) => i.key === 'retirement-approval')!.status).toBe('done');
      expect(doc.items.find((i) => i.key === 'housing-fund-withdrawal')!.status).toBe('not-applicable');
      const view = (await applicant.get(`${API}/cases/${c.id}`).expect(200)).body as { items: { key: string; status: string }[] };
      expect(Object.fromEntries(view.items.map((i) => [i.key, i.status]))).toEqual({ 'retirement-approval': 'done', 'housing-fund-withdrawal': 'cancelled' });
      const notes = (await applicant.get(`${API}/notifications`).expect(200)).body as { kind: string; caseNo: string }[];
      expect(notes.some((n) => n.kind === 'cancelled' && n.caseNo === c.no)).toBe(true);
      expect((await admin.post(`${API}/admin/cases/${c.id}/cancel`).send({ reason: '再次' }).expect(409)).body.error.code).toBe('case-ended');
    });
  });

  describe('挂起/恢复 (suspend/resume)', () => {
    beforeAll(async () => { await publishMini(s, fixture('timer.bpmn')); });

    it('should refuse claims and completions while suspended, keep its timer from firing, and shift due dates on resume', async () => {
      const c = await file('钱一');
      const task = await taskOf(hrss, c.no);
      const due = new Date(task.dueAt!).getTime();
      // rights: a department without an open task in the case, the applicant, another city
      await medical.post(`${API}/cases/${c.id}/suspend`).send({ reason: '等待劳动能力鉴定' }).expect(404);
      await housing.post(`${API}/cases/${c.id}/suspend`).send({ reason: '等待劳动能力鉴定' }).expect(404);
      await applicant.post(`${API}/cases/${c.id}/suspend`).send({ reason: '等待劳动能力鉴定' }).expect(403);
      await czHrss.post(`${API}/cases/${c.id}/suspend`).send({ reason: '等待劳动能力鉴定' }).expect(404);
      await hrss.post(`${API}/cases/${c.id}/resume`).expect(409);

      const res = await hrss.post(`${API}/cases/${c.id}/suspend`).send({ reason: '等待劳动能力鉴定' }).expect(200);
      expect(res.body).toMatchObject({ status: 'suspended' });
      await hrss.post(`${API}/cases/${c.id}/suspend`).send({ reason: '再挂' }).expect(409);
      expect((await hrss.post(`${API}/tasks/${task.id}/claim`).expect(409)).body.error.code).toBe('case-suspended');
      expect((await hrss.post(`${API}/tasks/${task.id}/complete`).send({ outcome: 'approved' }).expect(409)).body.error.code).toBe('case-suspended');
      const view = (await applicant.get(`${API}/cases/${c.id}`).expect(200)).body;
      expect(view.status).toBe('suspended');

      // the one-hour timer is due two hours later, but the case is suspended: it does not fire
      const sched = startScheduler(s.models, s.db.connection!, { intervalMs: HOUR });
      try {
        expect(await sched.tick(new Date(Date.now() + 2 * HOUR))).toBe(0);
      } finally {
        await sched.stop();
      }
      let doc = await caseDoc(c.id);
      expect(doc.tasks.map((t) => `${t.name}:${t.state}`)).toEqual(['退休审批:open']);
      expect(doc.timeline.some((e) => e.action === 'timer.fired')).toBe(false);

      // resuming moves the due date and the timer by the time suspended
      await new Promise((r) => setTimeout(r, 50));
      const resumed = await hrss.post(`${API}/cases/${c.id}/resume`).expect(200);
      expect(resumed.body.status).toBe('in-progress');
      const paused = resumed.body.pausedMs as number;
      expect(paused).toBeGreaterThanOrEqual(50);
      doc = await caseDoc(c.id);
      expect(doc.tasks[0]!.dueAt!.getTime()).toBe(due + paused);
      const timer = (await s.models.Timer.find({ caseId: c.id }).lean()).find((t) => !t.waitId.startsWith('resume:'))!;
      expect(timer.firedAt).toBeNull();
      expect(timer.dueAt.getTime()).toBe(due + paused);
      expect(doc.timeline.map((e) => e.action)).toEqual(expect.arrayContaining(['case.suspended', 'case.resumed']));
      expect(await s.models.Audit.countDocuments({ action: 'case.suspend', target: `case:${c.no}` })).toBe(1);
      expect(await s.models.Audit.countDocuments({ action: 'case.resume', target: `case:${c.no}` })).toBe(1);
      await hrss.post(`${API}/tasks/${task.id}/complete`).send({ outcome: 'approved' }).expect(200);
    });

    it('should resume by itself when `until` comes, through the scheduler', async () => {
      const c = await file('李二');
      const until = new Date(Date.now() + 3 * HOUR);
      await admin.post(`${API}/cases/${c.id}/suspend`).send({ reason: '等待档案调取', until: until.toISOString() }).expect(200);
      await admin.post(`${API}/cases/${c.id}/suspend`).send({ reason: '再挂' }).expect(409);
      const sched = startScheduler(s.models, s.db.connection!, { intervalMs: HOUR });
      try {
        await sched.tick(new Date(Date.now() + HOUR));
        expect((await caseDoc(c.id)).status).toBe('suspended');
        await sched.tick(new Date(until.getTime() + 1000));
      } finally {
        await sched.stop();
      }
      const doc = await caseDoc(c.id);
      expect(doc.status).toBe('in-progress');
      expect(doc.timeline.find((e) => e.action === 'case.resumed')).toMatchObject({ actor: 'system' });
      // the task's timer was put off while suspended and now stands shifted, still pending
      expect(doc.tasks.map((t) => `${t.name}:${t.state}`)).toEqual(['退休审批:open']);
      const timer = (await s.models.Timer.find({ caseId: c.id }).lean()).find((t) => !t.waitId.startsWith('resume:'))!;
      expect(timer.firedAt).toBeNull();
      expect(timer.dueAt.getTime()).toBe(doc.tasks[0]!.dueAt!.getTime());
    });

    it('should refuse an `until` in the past', async () => {
      const c = await file('张三');
      const res = await hrss.post(`${API}/cases/${c.id}/suspend`).send({ reason: '等待', until: new Date(Date.now() - HOUR).toISOString() }).expect(422);
      expect(res.body.error.code).toBe('invalid');
    });
  });

  describe('incidents', () => {
    beforeAll(async () => { await publishMini(s, INCIDENT_FLOW); });

    it('should list a stuck step for the city admin only and retry it through the engine', async () => {
      const c = await file('陈四', false);
      const task = await taskOf(hrss, c.no);
      await hrss.post(`${API}/tasks/${task.id}/complete`).send({ outcome: 'approved' }).expect(200);
      const list = (await admin.get(`${API}/admin/incidents`).expect(200)).body as { id: string; caseNo: string; code: string; elementId: string }[];
      const incident = list.find((i) => i.caseNo === c.no)!;
      expect(incident).toMatchObject({ code: 'no-path', elementId: 'Choose' });
      await hrss.get(`${API}/admin/incidents`).expect(403);
      expect(((await czAdmin.get(`${API}/admin/incidents`).expect(200)).body as unknown[]).length).toBe(0);
      await czAdmin.post(`${API}/admin/incidents/${incident.id}/retry`).expect(404);
      await hrss.post(`${API}/admin/incidents/${incident.id}/retry`).expect(403);

      // the cause is still there: refused, nothing saved
      const rev = (await caseDoc(c.id)).rev;
      expect((await admin.post(`${API}/admin/incidents/${incident.id}/retry`).expect(409)).body.error.code).toBe('retry-failed');
      expect((await caseDoc(c.id)).rev).toBe(rev);

      // once the data allows it (here set in the database), the retry carries the case on
      await s.models.Case.updateOne({ _id: c.id }, { $set: { 'flow.state.vars.housingFund': true } });
      const res = await admin.post(`${API}/admin/incidents/${incident.id}/retry`).expect(200);
      expect(res.body).toMatchObject({ id: incident.id, resolved: true });
      const doc = await caseDoc(c.id);
      expect(doc.tasks.map((t) => `${t.name}:${t.state}`)).toEqual(['退休审批:done', '公积金提取:open']);
      expect(doc.timeline.map((e) => e.action)).toContain('incident.retried');
      expect(((await admin.get(`${API}/admin/incidents`).expect(200)).body as { caseNo: string }[]).some((i) => i.caseNo === c.no)).toBe(false);
      await admin.post(`${API}/admin/incidents/${incident.id}/retry`).expect(404);
    });
  });
});
