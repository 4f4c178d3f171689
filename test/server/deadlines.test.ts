/**
 * Issue 22 part 4: a matter's 承诺时限 and its items' 办理时限 (declared, checked at publish),
 * the due dates a submission sets in working days, moved by the case clock's pauses, and the
 * warning / escalation timers fired by the scheduler at a chosen time (a fake clock).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadlineDue, pausedWorkdays, workdaysBefore } from '@lianban/runtime';
import { startScheduler } from '@lianban/server';
import { startTestServer, type TestServer } from './helpers';

const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8');
const API = '/api/v1';
const MINUTE = 60_000;

describe('deadlines of a matter (承诺时限)', () => {
  let s: TestServer;
  let admin: Awaited<ReturnType<TestServer['login']>>;
  const matter = (extra: Record<string, unknown> = {}, itemLimit?: number) => ({
    title: '小事项', forms: [{ key: 'mini-form' }], flow: 'mini-flow',
    linkedItems: [
      { key: 'retirement-approval', title: '退休审批', department: 'hrss', mandatory: true },
      { key: 'housing-fund-withdrawal', title: '公积金提取', department: 'housing-fund', ...(itemLimit ? { timeLimit: { workdays: itemLimit } } : {}) },
    ],
    ...extra,
  });

  beforeAll(async () => {
    s = await startTestServer();
    admin = await s.login('luan.admin');
    await admin.put(`${API}/admin/forms/mini-form`).send({ title: '小申请表', schema: JSON.parse(fixture('mini-form.json')) }).expect(200);
    await admin.put(`${API}/admin/flows/mini-flow`).send({ title: '小流程', xml: fixture('mini.bpmn') }).expect(200);
  });
  afterAll(async () => { await s?.close(); });

  it('should keep the declared limits and refuse a publish whose item limit exceeds the matter\'s', async () => {
    // an item given longer than the whole matter: saved, but not publishable, the culprit named
    await admin.put(`${API}/admin/matters/mini`).send(matter({ timeLimit: { workdays: 5 } }, 8)).expect(200);
    const refused = await admin.post(`${API}/admin/matters/mini/publish`).expect(422);
    expect(refused.body.error.code).toBe('publish-problems');
    expect(refused.body.error.problems).toEqual([expect.objectContaining({ field: 'linkedItems.housing-fund-withdrawal.timeLimit', message: expect.stringContaining('超过了事项的承诺时限') })]);
    // a warning as long as the limit is refused the same way
    await admin.put(`${API}/admin/matters/mini`).send(matter({ timeLimit: { workdays: 5, warnWorkdays: 5 } }, 3)).expect(200);
    expect((await admin.post(`${API}/admin/matters/mini/publish`).expect(422)).body.error.problems[0].field).toBe('timeLimit.warnWorkdays');
    // not whole working days: refused at the door
    expect((await admin.put(`${API}/admin/matters/mini`).send(matter({ timeLimit: { workdays: 0 } })).expect(422)).body.error.code).toBe('invalid');
    expect((await admin.put(`${API}/admin/matters/mini`).send(matter({ timeLimit: { workdays: 2.5 } })).expect(422)).body.error.code).toBe('invalid');
    // a good one is kept, published and served with the matter
    const saved = (await admin.put(`${API}/admin/matters/mini`).send(matter({ timeLimit: { workdays: 5, warnWorkdays: 1 } }, 3)).expect(200)).body;
    expect(saved.draft.timeLimit).toEqual({ workdays: 5, warnWorkdays: 1 });
    await admin.post(`${API}/admin/matters/mini/publish`).expect(200);
    const applicant = await s.login('luan.applicant');
    const m = (await applicant.get(`${API}/matters/mini`).expect(200)).body;
    expect(m.linkedItems.find((i: { key: string }) => i.key === 'housing-fund-withdrawal').timeLimit).toEqual({ workdays: 3 });
  });

  it('should set the case and item due dates at 受理 in working days, and move them by the working days a pause cost', async () => {
    const applicant = await s.login('luan.applicant');
    const hrss = await s.login('luan.hrss');
    const c = (await applicant.post(`${API}/cases`).send({ matter: 'mini', form: 'mini-form', data: { name: '孙七', idNumber: '341502196501150039', housingFund: true } }).expect(201)).body;
    let view = (await applicant.get(`${API}/cases/${c.id}`).expect(200)).body;
    const submitted = new Date(view.submittedAt);
    const due = deadlineDue(submitted, 5);
    expect(view.deadline).toMatchObject({ workdays: 5, dueAt: due.toISOString(), pausedWorkdays: 0, paused: false, warnedAt: null, escalatedAt: null });
    // 17:00 China time on a working day after 受理
    expect(due.toISOString().slice(11, 16)).toBe('09:00');
    expect(view.items.find((i: { key: string }) => i.key === 'housing-fund-withdrawal').deadline).toEqual({ workdays: 3, dueAt: deadlineDue(submitted, 3).toISOString() });
    expect(view.items.find((i: { key: string }) => i.key === 'retirement-approval').deadline).toBeUndefined();
    // the timers of the warning (1 working day before) and of the expiry
    const timers = await s.models.Timer.find({ caseId: c.id, waitId: /^deadline:/ }).sort({ dueAt: 1 }).lean();
    expect(timers.map((t) => [t.waitId, t.dueAt.toISOString()])).toEqual([['deadline:warn', workdaysBefore(due, 1).toISOString()], ['deadline:overdue', due.toISOString()]]);
    // the staff see it too
    expect((await hrss.get(`${API}/cases/${c.id}`).expect(200)).body.deadline.dueAt).toBe(due.toISOString());

    // 挂起: the clock stops (and the view says so); it stood still three weeks when it resumes
    await hrss.post(`${API}/cases/${c.id}/suspend`).send({ reason: '等待劳动能力鉴定' }).expect(200);
    expect((await applicant.get(`${API}/cases/${c.id}`).expect(200)).body.deadline.paused).toBe(true);
    const pausedAt = new Date(Date.now() - 21 * 86_400_000);
    await s.models.Case.updateOne({ _id: c.id }, { $set: { 'clock.pausedAt': pausedAt } });
    await hrss.post(`${API}/cases/${c.id}/resume`).expect(200);
    const cost = pausedWorkdays(pausedAt, new Date());
    expect(cost).toBeGreaterThan(5);
    view = (await applicant.get(`${API}/cases/${c.id}`).expect(200)).body;
    const moved = deadlineDue(submitted, 5, cost);
    expect(view.deadline).toMatchObject({ dueAt: moved.toISOString(), pausedWorkdays: cost, paused: false });
    expect(view.items.find((i: { key: string }) => i.key === 'housing-fund-withdrawal').deadline.dueAt).toBe(deadlineDue(submitted, 3, cost).toISOString());
    const after = await s.models.Timer.find({ caseId: c.id, waitId: /^deadline:/ }).sort({ dueAt: 1 }).lean();
    expect(after.map((t) => [t.waitId, t.dueAt.toISOString(), t.leaseUntil])).toEqual([['deadline:warn', workdaysBefore(moved, 1).toISOString(), null], ['deadline:overdue', moved.toISOString(), null]]);
  });

  it('should warn the holding department before expiry and escalate to its lead and the city admin after, once each', async () => {
    const applicant = await s.login('luan.applicant');
    // a lead of 人社: only staff of a department may be one
    expect((await admin.put(`${API}/admin/users/luan.applicant`).send({ lead: true }).expect(422)).body.error.code).toBe('invalid');
    await admin.post(`${API}/admin/users`).send({ username: 'luan.hrss-lead', displayName: '人社科长', password: 'Lead-Passw0rd!x', roles: ['staff'], departments: ['hrss'] }).expect(201);
    const lead = (await admin.put(`${API}/admin/users/luan.hrss-lead`).send({ lead: true }).expect(200)).body;
    expect(lead.lead).toBe(true);
    expect((await admin.get(`${API}/admin/users`).expect(200)).body.find((u: { username: string }) => u.username === 'luan.hrss').lead).toBe(false);

    const c = (await applicant.post(`${API}/cases`).send({ matter: 'mini', form: 'mini-form', data: { name: '周八', idNumber: '341502196501150039', housingFund: false } }).expect(201)).body;
    const doc = await s.models.Case.findById(c.id).lean();
    const warnAt = new Date(doc!.deadline!.warnAt!);
    const dueAt = new Date(doc!.deadline!.dueAt);
    const users = new Map((await s.models.User.find({ tenant: 'luan' }).lean()).map((u) => [String(u._id), u.username]));
    const noticesOf = async (kind: 'deadline-warning' | 'deadline-overdue') => (await s.models.Notification.find({ caseId: c.id, kind }).lean()).map((n) => users.get(n.user)).sort();

    const a = startScheduler(s.models, s.db.connection!, { intervalMs: 3_600_000, owner: 'a' });
    const b = startScheduler(s.models, s.db.connection!, { intervalMs: 3_600_000, owner: 'b' });
    try {
      // not yet: nothing
      await a.tick(new Date(warnAt.getTime() - MINUTE));
      expect(await noticesOf('deadline-warning')).toEqual([]);
      // the warning: to the staff of the department holding the open task (人社), once with two processes
      await Promise.all([a.tick(new Date(warnAt.getTime() + MINUTE)), b.tick(new Date(warnAt.getTime() + MINUTE))]);
      expect(await noticesOf('deadline-warning')).toEqual(['luan.hrss', 'luan.hrss-lead']);
      const hrss = await s.login('luan.hrss');
      const mine = (await hrss.get(`${API}/notifications`).expect(200)).body.find((n: { caseId: string }) => n.caseId === c.id);
      expect(mine.message).toContain('到期');
      // after expiry: the lead of 人社 and the city admin, not the ordinary staff
      await Promise.all([a.tick(new Date(dueAt.getTime() + MINUTE)), b.tick(new Date(dueAt.getTime() + MINUTE))]);
      expect(await noticesOf('deadline-overdue')).toEqual(['luan.admin', 'luan.hrss-lead']);
      // idempotent: later ticks send nothing more
      await a.tick(new Date(dueAt.getTime() + 86_400_000));
      expect(await noticesOf('deadline-warning')).toHaveLength(2);
      expect(await noticesOf('deadline-overdue')).toHaveLength(2);
    } finally {
      await a.stop();
      await b.stop();
    }
    const view = (await applicant.get(`${API}/cases/${c.id}`).expect(200)).body;
    expect(view.timeline.filter((e: { action: string }) => e.action.startsWith('deadline.')).map((e: { action: string; detail?: string }) => `${e.action}:${e.detail}`)).toEqual(['deadline.warned:hrss', 'deadline.overdue:hrss']);
    expect(view.deadline.warnedAt).not.toBeNull();
    expect(view.deadline.escalatedAt).not.toBeNull();
    expect(await s.models.Audit.countDocuments({ action: 'case.deadline-warn', target: `case:${c.no}` })).toBe(1);
    expect(await s.models.Audit.countDocuments({ action: 'case.deadline-escalate', target: `case:${c.no}` })).toBe(1);
  });

  it('should move the deadline by the working days a 补正 cost, with the held timers released', async () => {
    const applicant = await s.login('luan.applicant');
    const hrss = await s.login('luan.hrss');
    const data = { name: '郑十', idNumber: '341502196501150039', housingFund: true };
    const c = (await applicant.post(`${API}/cases`).send({ matter: 'mini', form: 'mini-form', data }).expect(201)).body;
    const task = (await hrss.get(`${API}/tasks`).expect(200)).body.find((t: { caseNo: string }) => t.caseNo === c.no);
    await hrss.post(`${API}/tasks/${task.id}/return`).send({ to: 'applicant', reason: '姓名有误', fields: ['name'] }).expect(200);
    // held while the applicant corrects; the tasklist and the view say the clock stands still
    expect(await s.models.Timer.countDocuments({ caseId: c.id, waitId: /^deadline:/, leaseOwner: 'clock-paused' })).toBe(2);
    expect((await applicant.get(`${API}/cases/${c.id}`).expect(200)).body.deadline.paused).toBe(true);
    const pausedAt = new Date(Date.now() - 10 * 86_400_000);
    await s.models.Case.updateOne({ _id: c.id }, { $set: { 'clock.pausedAt': pausedAt } });
    await applicant.post(`${API}/cases/${c.id}/resubmit`).send({ data: { ...data, name: '郑拾' } }).expect(200);
    const cost = pausedWorkdays(pausedAt, new Date());
    const view = (await applicant.get(`${API}/cases/${c.id}`).expect(200)).body;
    const moved = deadlineDue(new Date(view.submittedAt), 5, cost);
    expect(view.deadline).toMatchObject({ dueAt: moved.toISOString(), pausedWorkdays: cost, paused: false });
    expect(view.items.find((i: { key: string }) => i.key === 'housing-fund-withdrawal').deadline.dueAt).toBe(deadlineDue(new Date(view.submittedAt), 3, cost).toISOString());
    const timers = await s.models.Timer.find({ caseId: c.id, waitId: /^deadline:/ }).sort({ dueAt: 1 }).lean();
    expect(timers.map((t) => [t.waitId, t.dueAt.toISOString(), t.leaseUntil])).toEqual([['deadline:warn', workdaysBefore(moved, 1).toISOString(), null], ['deadline:overdue', moved.toISOString(), null]]);
  });

  it('should send nothing for a case that ended before its deadline', async () => {
    const applicant = await s.login('luan.applicant');
    const hrss = await s.login('luan.hrss');
    const c = (await applicant.post(`${API}/cases`).send({ matter: 'mini', form: 'mini-form', data: { name: '吴九', idNumber: '341502196501150039', housingFund: false } }).expect(201)).body;
    const task = (await hrss.get(`${API}/tasks`).expect(200)).body.find((t: { caseNo: string }) => t.caseNo === c.no);
    expect(task.caseDueAt).toBe(new Date((await s.models.Case.findById(c.id).lean())!.deadline!.dueAt).toISOString());
    await hrss.post(`${API}/tasks/${task.id}/complete`).send({ outcome: 'approved' }).expect(200);
    expect((await applicant.get(`${API}/cases/${c.id}`).expect(200)).body.status).toBe('completed');
    const sched = startScheduler(s.models, s.db.connection!, { intervalMs: 3_600_000 });
    try {
      await sched.tick(new Date(Date.now() + 400 * 86_400_000));
    } finally {
      await sched.stop();
    }
    expect(await s.models.Notification.countDocuments({ caseId: c.id, kind: /^deadline-/ })).toBe(0);
    expect(await s.models.Timer.countDocuments({ caseId: c.id, waitId: /^deadline:/, firedAt: null })).toBe(0);
  });
});
