/**
 * 退回 / 补正 / admin move (API.md "Office moves"): rights, 409s, the 补正 round trip with the
 * due-date clock paused, lb:noReturn, and the administrator's token move.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishMini, startTestServer, type TestServer } from './helpers';

const flow = fs.readFileSync(path.join(import.meta.dirname, 'fixtures', 'moves.bpmn'), 'utf8');
const DATA = { name: '王五', idNumber: '341502196501150039', housingFund: false };
const DAY = 86_400_000;

type Agent = Awaited<ReturnType<TestServer['login']>>;
interface TaskRow { id: string; caseId: string; caseNo: string; name: string; dueAt: string | null }

describe('office moves: 退回, 补正, move', () => {
  let s: TestServer;
  let applicant: Agent;
  let window: Agent;
  let hrss: Agent;
  beforeAll(async () => {
    s = await startTestServer();
    await publishMini(s, flow);
    applicant = await s.login('luan.applicant');
    window = await s.login('luan.window');
    hrss = await s.login('luan.hrss');
  });
  afterAll(async () => { await s?.close(); });

  async function taskOf(agent: Agent, caseId: string, name: string): Promise<TaskRow> {
    const rows = (await agent.get('/api/v1/tasks?limit=200').expect(200)).body as TaskRow[];
    const t = rows.find((r) => r.caseId === caseId && r.name === name);
    if (!t) throw new Error(`no open task ${name} of case ${caseId}`);
    return t;
  }

  /** A case waiting at 审批 (预审 and 受理 done). */
  async function caseAtApproval(): Promise<{ id: string; task: TaskRow }> {
    const res = await applicant.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data: DATA }).expect(201);
    const id = res.body.id as string;
    await window.post(`/api/v1/tasks/${(await taskOf(window, id, '预审')).id}/complete`).send({}).expect(200);
    await hrss.post(`/api/v1/tasks/${(await taskOf(hrss, id, '受理')).id}/complete`).send({}).expect(200);
    return { id, task: await taskOf(hrss, id, '审批') };
  }

  it('should let only the task\'s department return it, and never the applicant', async () => {
    const { task } = await caseAtApproval();
    const body = { to: 'applicant', reason: '姓名与身份证不一致', fields: ['name'] };
    expect((await window.post(`/api/v1/tasks/${task.id}/return`).send(body).expect(403)).body.error.code).toBe('forbidden');
    await applicant.post(`/api/v1/tasks/${task.id}/return`).send(body).expect(403);
    const other = await s.login('changzhou.hrss');
    await other.post(`/api/v1/tasks/${task.id}/return`).send(body).expect(404);
    await other.get(`/api/v1/tasks/${task.id}/return-targets`).expect(404);
    // a field the form does not have, or none at all: 422 naming them
    const bad = await hrss.post(`/api/v1/tasks/${task.id}/return`).send({ ...body, fields: ['name', 'salary'] }).expect(422);
    expect(bad.body.error.errors).toEqual([{ path: 'fields.salary', message: expect.stringContaining('salary') }]);
    await hrss.post(`/api/v1/tasks/${task.id}/return`).send({ ...body, fields: [] }).expect(422);
  });

  it('should return to an earlier step, not before one marked lb:noReturn, and refuse the same return again with 409', async () => {
    const { id, task } = await caseAtApproval();
    const targets = (await hrss.get(`/api/v1/tasks/${task.id}/return-targets`).expect(200)).body;
    expect(targets).toEqual([{ elementId: 'Task_accept', name: '受理' }]);
    const refused = await hrss.post(`/api/v1/tasks/${task.id}/return`).send({ to: 'Task_prep', reason: '重新预审' }).expect(422);
    expect(refused.body.error.errors[0].path).toBe('to');

    const res = await hrss.post(`/api/v1/tasks/${task.id}/return`).send({ to: 'Task_accept', reason: '材料需重新受理' }).expect(200);
    expect(res.body).toEqual({ id: task.id, state: 'cancelled', caseStatus: 'in-progress', to: 'Task_accept' });
    const view = (await hrss.get(`/api/v1/cases/${id}`).expect(200)).body;
    expect(view.tasks.filter((t: { state: string }) => t.state === 'open').map((t: { name: string }) => t.name)).toEqual(['受理']);
    expect(view.items.find((i: { key: string }) => i.key === 'retirement-approval').status).toBe('requested');
    expect(view.timeline.map((e: { action: string }) => e.action)).toContain('task.returned');
    // the reminder timer of 审批 is withdrawn with it
    expect(await s.models.Timer.countDocuments({ caseId: id, firedAt: null })).toBe(0);
    expect(await s.models.Audit.countDocuments({ action: 'task.return', target: `case:${view.no}` })).toBe(1);
    expect(await s.models.Notification.countDocuments({ caseId: id, kind: 'returned' })).toBe(1);
    // the case has moved on
    expect((await hrss.post(`/api/v1/tasks/${task.id}/return`).send({ to: 'Task_accept', reason: '再退' }).expect(409)).body.error.code).toBe('already-done');
  });

  it('should run the 补正 round trip: one notice, only the listed fields editable, the clock paused and the task back in 人社\'s queue', async () => {
    // given a case at 审批 with its due date and reminder timer
    const { id, task } = await caseAtApproval();
    const dueBefore = new Date(task.dueAt!).getTime();
    const timerBefore = (await s.models.Timer.findOne({ caseId: id, firedAt: null }).lean())!.dueAt.getTime();

    // when 人社 returns it to the applicant for 补正
    const res = await hrss.post(`/api/v1/tasks/${task.id}/return`).send({
      to: 'applicant', reason: '申请信息有误', fields: ['name', 'housingFund'], notes: { name: '请按身份证填写姓名' },
    }).expect(200);
    expect(res.body.caseStatus).toBe('needs-correction');

    // then the applicant sees one notice listing every problem, and 人社's queue no longer has the task
    const view = (await applicant.get(`/api/v1/cases/${id}`).expect(200)).body;
    expect(view.status).toBe('needs-correction');
    expect(view.correction).toMatchObject({
      step: '审批', reason: '申请信息有误',
      fields: [{ path: 'name', title: '姓名', message: '请按身份证填写姓名' }, { path: 'housingFund', title: '是否申请提取住房公积金', message: '' }],
    });
    const notice = await s.models.Notification.findOne({ caseId: id, kind: 'needs-action' }).lean();
    expect(notice!.message).toContain('姓名（请按身份证填写姓名）；是否申请提取住房公积金');
    await expect(taskOf(hrss, id, '审批')).rejects.toThrow();
    // the due-date clock is paused and the timers held; another return is refused
    expect(await s.models.Timer.countDocuments({ caseId: id, firedAt: null, leaseOwner: 'clock-paused' })).toBe(1);
    await hrss.post(`/api/v1/tasks/${task.id}/return`).send({ to: 'applicant', reason: 'x', fields: ['name'] }).expect(409);

    // three days pass while the applicant corrects
    await s.models.Case.updateOne({ _id: id }, { $set: { 'clock.pausedAt': new Date(Date.now() - 3 * DAY) } });

    // when they change a locked field: 422 naming it, nothing saved
    const locked = await applicant.post(`/api/v1/cases/${id}/resubmit`).send({ data: { ...DATA, name: '王伍', idNumber: '11010519491231002X' } }).expect(422);
    expect(locked.body.error.errors).toEqual([{ path: 'idNumber', message: expect.stringContaining('公民身份号码') }]);
    // another applicant's or staff's resubmission: 404 / 403
    await (await s.login('changzhou.applicant')).post(`/api/v1/cases/${id}/resubmit`).send({ data: { name: '王伍' } }).expect(404);
    await hrss.post(`/api/v1/cases/${id}/resubmit`).send({ data: { name: '王伍' } }).expect(403);
    // an invalid value of a listed field: 422 from the form's validation
    await applicant.post(`/api/v1/cases/${id}/resubmit`).send({ data: { name: '' } }).expect(422);

    // when they correct the listed fields and resubmit
    const done = await applicant.post(`/api/v1/cases/${id}/resubmit`).send({ data: { name: '王伍' } }).expect(200);
    expect(done.body).toEqual({ id, status: 'in-progress', taskId: task.id });

    // then the task is back in 人社's queue, due three days later, the timer too, the data audited
    const back = await taskOf(hrss, id, '审批');
    expect(back.id).toBe(task.id);
    expect(new Date(back.dueAt!).getTime() - dueBefore).toBeGreaterThanOrEqual(3 * DAY - 60_000);
    expect(new Date(back.dueAt!).getTime() - dueBefore).toBeLessThan(3 * DAY + 60_000);
    const timer = (await s.models.Timer.findOne({ caseId: id, firedAt: null }).lean())!;
    expect(timer.leaseUntil).toBeNull();
    expect(timer.dueAt.getTime() - timerBefore).toBeGreaterThanOrEqual(3 * DAY - 60_000);
    const after = (await applicant.get(`/api/v1/cases/${id}`).expect(200)).body;
    expect(after.data.name).toBe('王伍');
    expect(after.correction).toBeNull();
    expect(after.timeline.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['case.correction-requested', 'case.resubmitted', 'task.reopened']));
    const record = await s.models.Audit.findOne({ action: 'case.resubmit', target: `case:${after.no}` }).lean();
    expect(record!.details).toMatchObject({ changes: [{ path: 'data.name', before: '王五', after: '王伍' }] });
    // a second resubmission: the case has moved on
    expect((await applicant.post(`/api/v1/cases/${id}/resubmit`).send({ data: { name: '王伍' } }).expect(409)).body.error.code).toBe('moved-on');
    // and the case runs on to its end
    await hrss.post(`/api/v1/tasks/${back.id}/complete`).send({}).expect(200);
    const fund = await s.login('luan.housing-fund');
    await fund.post(`/api/v1/tasks/${(await taskOf(fund, id, '办结确认')).id}/complete`).send({}).expect(200);
    expect((await applicant.get(`/api/v1/cases/${id}`).expect(200)).body.status).toBe('completed');
  });

  it('should refuse a return while the case is suspended (409 case-suspended), and allow it after 恢复', async () => {
    const { id, task } = await caseAtApproval();
    await hrss.post(`/api/v1/cases/${id}/suspend`).send({ reason: '等待劳动能力鉴定' }).expect(200);
    const body = { to: 'applicant', reason: '姓名与身份证不一致', fields: ['name'] };
    expect((await hrss.post(`/api/v1/tasks/${task.id}/return`).send(body).expect(409)).body.error.code).toBe('case-suspended');
    expect((await applicant.get(`/api/v1/cases/${id}`).expect(200)).body.status).toBe('suspended');
    await hrss.post(`/api/v1/cases/${id}/resume`).expect(200);
    await hrss.post(`/api/v1/tasks/${task.id}/return`).send(body).expect(200);
    expect((await applicant.get(`/api/v1/cases/${id}`).expect(200)).body.status).toBe('needs-correction');
    // 挂起 during 补正 and 恢复: back to 补正 with the clock still paused, the timers still held
    const admin = await s.login('luan.admin');
    await admin.post(`/api/v1/cases/${id}/suspend`).send({ reason: '等待劳动能力鉴定' }).expect(200);
    await admin.post(`/api/v1/cases/${id}/resume`).expect(200);
    const doc = await s.models.Case.findById(id).lean();
    expect(doc?.status).toBe('needs-correction');
    expect(doc?.clock?.pausedAt).toBeInstanceOf(Date);
    expect(await s.models.Timer.countDocuments({ caseId: id, firedAt: null, leaseOwner: 'clock-paused' })).toBeGreaterThan(0);
  });

  it('should let the administrator move a token, and refuse 409 when nothing is at `from`', async () => {
    const { id } = await caseAtApproval();
    const admin = await s.login('luan.admin');
    await hrss.post(`/api/v1/admin/cases/${id}/move`).send({ from: 'Task_approve', to: 'Task_final' }).expect(403);
    await admin.post(`/api/v1/admin/cases/${id}/move`).send({ from: 'Task_final', to: 'Task_prep' }).expect(409);
    await admin.post(`/api/v1/admin/cases/${id}/move`).send({ from: 'Task_approve', to: 'Nowhere' }).expect(422);
    const res = await admin.post(`/api/v1/admin/cases/${id}/move`).send({ from: 'Task_approve', to: 'Task_final' }).expect(200);
    expect(res.body).toEqual({ id, status: 'in-progress', active: ['Task_final'] });
    const view = (await admin.get(`/api/v1/cases/${id}`).expect(200)).body;
    expect(view.tasks.filter((t: { state: string }) => t.state === 'open').map((t: { name: string }) => t.name)).toEqual(['办结确认']);
    expect(view.timeline.at(-2)).toMatchObject({ action: 'case.moved', actor: 'luan.admin' });
    expect(await s.models.Audit.countDocuments({ action: 'case.move', target: `case:${view.no}` })).toBe(1);
  });
});
