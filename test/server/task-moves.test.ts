/**
 * The office's moves on a task (services/task-moves.ts, docs/office-moves.md): 转办, 委派,
 * 加签 in each mode, 抄送, 催办, batch handling — rights, 409s, the timeline, the audit and the
 * notifications, through the HTTP API on the small test matter (退休审批 by hrss, then 公积金提取
 * by housing-fund when ticked).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type request from 'supertest';
import { DEMO_PASSWORD, publishMini, startTestServer, type TestServer } from './helpers';

type Agent = ReturnType<typeof request.agent>;
interface TaskRow { id: string; caseId: string; caseNo: string; name: string; kind?: string; department: string; state: string; parentId?: string; claimedBy?: string | null }

const application = { name: '李四', idNumber: '341502196501150039', housingFund: true };

describe('office moves on tasks', () => {
  let s: TestServer;
  let applicant: Agent;
  let hrss: Agent;
  let hrss2: Agent;
  let housing: Agent;
  let medical: Agent;
  let admin: Agent;

  beforeAll(async () => {
    s = await startTestServer();
    await publishMini(s);
    admin = await s.login('luan.admin');
    await admin.post('/api/v1/admin/users').send({ username: 'luan.hrss2', displayName: '人社王五', password: DEMO_PASSWORD, roles: ['staff'], departments: ['hrss'] }).expect(201);
    [applicant, hrss, hrss2, housing, medical] = await Promise.all(['luan.applicant', 'luan.hrss', 'luan.hrss2', 'luan.housing-fund', 'luan.medical'].map((u) => s.login(u)));
  });
  afterAll(async () => { await s?.close(); });

  /** A new case; returns it with its open 退休审批 task. */
  async function newCase() {
    const sub = await applicant.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data: application }).expect(201);
    const doc = (await s.models.Case.findById(sub.body.id).lean())!;
    const task = doc.tasks.find((t) => t.elementId === 'Task_approve')!;
    return { caseId: sub.body.id as string, no: sub.body.no as string, taskId: task.id };
  }
  const tasksOf = async (caseId: string) => (await s.models.Case.findById(caseId).lean())!.tasks;
  const actionsOf = async (caseId: string) => (await s.models.Case.findById(caseId).lean())!.timeline.map((t) => t.action);
  const housingTasks = async (caseId: string) => (await tasksOf(caseId)).filter((t) => t.elementId === 'Task_housing');
  const notificationsOf = async (agent: Agent) => (await agent.get('/api/v1/notifications').expect(200)).body as { caseNo: string; kind: string; message: string }[];

  it('should transfer a task to a colleague of the department, who completes it', async () => {
    const c = await newCase();
    await hrss.post(`/api/v1/tasks/${c.taskId}/claim`).expect(200);
    // rights: another department does not see the task, an applicant may not call, another city's account is refused like an unknown one
    await housing.post(`/api/v1/tasks/${c.taskId}/transfer`).send({ to: 'luan.hrss2' }).expect(404);
    await applicant.post(`/api/v1/tasks/${c.taskId}/transfer`).send({ to: 'luan.hrss2' }).expect(403);
    await hrss2.post(`/api/v1/tasks/${c.taskId}/transfer`).send({ to: 'luan.hrss2' }).expect(409);
    const foreign = await hrss.post(`/api/v1/tasks/${c.taskId}/transfer`).send({ to: 'changzhou.hrss' }).expect(422);
    const unknown = await hrss.post(`/api/v1/tasks/${c.taskId}/transfer`).send({ to: 'luan.nobody' }).expect(422);
    expect(foreign.body.error).toEqual(unknown.body.error);
    expect(foreign.body.error.message).toBe('本部门没有该工作人员');
    await hrss.post(`/api/v1/tasks/${c.taskId}/transfer`).send({ to: 'luan.housing-fund' }).expect(422);
    // when hrss transfers it
    const res = await hrss.post(`/api/v1/tasks/${c.taskId}/transfer`).send({ to: 'luan.hrss2', reason: '休假' }).expect(200);
    expect(res.body).toEqual({ id: c.taskId, state: 'claimed', claimedBy: 'luan.hrss2' });
    // then only the colleague may complete it
    await hrss.post(`/api/v1/tasks/${c.taskId}/complete`).send({ outcome: 'approved' }).expect(409);
    await hrss2.post(`/api/v1/tasks/${c.taskId}/complete`).send({ outcome: 'approved' }).expect(200);
    expect(await housingTasks(c.caseId)).toHaveLength(1);
    expect(await actionsOf(c.caseId)).toEqual(expect.arrayContaining(['task.transferred', 'task.completed']));
    expect((await notificationsOf(hrss2)).some((n) => n.caseNo === c.no && n.kind === 'task-moved' && n.message.includes('转办给您'))).toBe(true);
    expect(await s.models.Audit.countDocuments({ action: 'task.transfer', actor: 'luan.hrss' })).toBe(1);
    // and a finished task can no longer be moved
    const late = await hrss2.post(`/api/v1/tasks/${c.taskId}/transfer`).send({ to: 'luan.hrss' }).expect(409);
    expect(late.body.error.code).toBe('already-done');
  });

  it('should let a delegate handle a task and hand it back to the delegator, who completes it', async () => {
    const c = await newCase();
    await hrss.post(`/api/v1/tasks/${c.taskId}/delegate`).send({ to: 'luan.hrss2' }).expect(403); // not claimed yet
    await hrss.post(`/api/v1/tasks/${c.taskId}/claim`).expect(200);
    await hrss2.post(`/api/v1/tasks/${c.taskId}/delegate`).send({ to: 'luan.hrss' }).expect(409); // not the claimant
    const res = await hrss.post(`/api/v1/tasks/${c.taskId}/delegate`).send({ to: 'luan.hrss2', reason: '请核对工龄' }).expect(200);
    expect(res.body).toMatchObject({ claimedBy: 'luan.hrss2', owner: 'luan.hrss', delegation: 'pending' });
    // while delegated, the delegator waits and may not move it further
    await hrss.post(`/api/v1/tasks/${c.taskId}/complete`).send({ outcome: 'approved' }).expect(409);
    await hrss.post(`/api/v1/tasks/${c.taskId}/transfer`).send({ to: 'luan.hrss2' }).expect(409);
    await housing.post(`/api/v1/tasks/${c.taskId}/complete`).send({ outcome: 'approved' }).expect(403);
    await hrss2.post(`/api/v1/tasks/${c.taskId}/unclaim`).expect(403);
    // the delegate handles it: the task returns to the delegator, the flow does not move
    await hrss2.post(`/api/v1/tasks/${c.taskId}/complete`).send({ outcome: 'maybe' }).expect(422);
    const back = await hrss2.post(`/api/v1/tasks/${c.taskId}/complete`).send({ outcome: 'approved', comment: '工龄核对无误' }).expect(200);
    expect(back.body).toMatchObject({ state: 'claimed', claimedBy: 'luan.hrss', delegation: 'resolved' });
    expect(await housingTasks(c.caseId)).toHaveLength(0);
    await hrss2.post(`/api/v1/tasks/${c.taskId}/complete`).send({ outcome: 'approved' }).expect(409);
    const view = (await hrss.get(`/api/v1/cases/${c.caseId}`).expect(200)).body;
    expect(view.tasks.find((t: { id: string }) => t.id === c.taskId).delegateResult).toMatchObject({ by: 'luan.hrss2', outcome: 'approved', comment: '工龄核对无误' });
    expect((await notificationsOf(hrss)).some((n) => n.caseNo === c.no && n.message.includes('请您确认办结'))).toBe(true);
    // the delegator completes
    await hrss.post(`/api/v1/tasks/${c.taskId}/complete`).send({ outcome: 'approved' }).expect(200);
    expect(await housingTasks(c.caseId)).toHaveLength(1);
    const actions = await actionsOf(c.caseId);
    expect(actions.indexOf('task.delegated')).toBeLessThan(actions.indexOf('task.delegate-resolved'));
    expect(actions.indexOf('task.delegate-resolved')).toBeLessThan(actions.indexOf('task.completed'));
    const done = (await tasksOf(c.caseId)).find((t) => t.id === c.taskId)!;
    expect(done).toMatchObject({ state: 'done', completedBy: 'luan.hrss', owner: 'luan.hrss' });
    expect(await s.models.Audit.countDocuments({ action: 'task.delegate' })).toBe(1);
    expect(await s.models.Audit.countDocuments({ action: 'task.delegate-resolve', actor: 'luan.hrss2' })).toBe(1);
  });

  it('should make the claimant wait for signers added before (加签 before)', async () => {
    const c = await newCase();
    await hrss.post(`/api/v1/tasks/${c.taskId}/claim`).expect(200);
    await hrss2.post(`/api/v1/tasks/${c.taskId}/add-signers`).send({ users: ['luan.housing-fund'], mode: 'before' }).expect(409);
    const bad = await hrss.post(`/api/v1/tasks/${c.taskId}/add-signers`).send({ users: ['luan.hrss', 'changzhou.hrss'], mode: 'before' }).expect(422);
    expect(bad.body.error.errors.map((e: { path: string }) => e.path)).toEqual(['users.0', 'users.1']);
    await hrss.post(`/api/v1/tasks/${c.taskId}/add-signers`).send({ users: ['luan.hrss2'], mode: 'sideways' }).expect(422);
    const res = await hrss.post(`/api/v1/tasks/${c.taskId}/add-signers`).send({ users: ['luan.hrss2', 'luan.housing-fund'], mode: 'before' }).expect(200);
    expect(res.body.tasks).toHaveLength(2);
    // the claimant must wait
    const wait = await hrss.post(`/api/v1/tasks/${c.taskId}/complete`).send({ outcome: 'approved' }).expect(409);
    expect(wait.body.error.code).toBe('waiting-for-signers');
    // each signer finds the sub-task in their queue, saying what it is for
    const queue = (await housing.get('/api/v1/tasks').expect(200)).body as TaskRow[];
    const mine = queue.find((t) => t.caseNo === c.no && t.kind === 'countersign')!;
    expect(mine).toMatchObject({ name: '加签审批：退休审批', parentId: c.taskId, claimedBy: 'luan.housing-fund' });
    // only the named signer may decide it
    const sub2 = res.body.tasks.find((t: { assignee: string }) => t.assignee === 'luan.hrss2').id;
    await hrss.post(`/api/v1/tasks/${sub2}/complete`).send({ outcome: 'approved' }).expect(403);
    await hrss2.post(`/api/v1/tasks/${sub2}/complete`).send({ outcome: 'approved', comment: '同意' }).expect(200);
    await hrss.post(`/api/v1/tasks/${c.taskId}/complete`).send({ outcome: 'approved' }).expect(409);
    await housing.post(`/api/v1/tasks/${mine.id}/complete`).send({ outcome: 'approved' }).expect(200);
    expect(await housingTasks(c.caseId)).toHaveLength(0);
    // now the claimant completes, and the flow moves once
    await hrss.post(`/api/v1/tasks/${c.taskId}/complete`).send({ outcome: 'approved' }).expect(200);
    expect(await housingTasks(c.caseId)).toHaveLength(1);
    expect((await actionsOf(c.caseId)).filter((a) => a === 'countersign.approved')).toHaveLength(2);
  });

  it('should hold the claimant\'s completion until the signers added after approve, then step once (加签 after)', async () => {
    const c = await newCase();
    await hrss.post(`/api/v1/tasks/${c.taskId}/claim`).expect(200);
    const res = await hrss.post(`/api/v1/tasks/${c.taskId}/add-signers`).send({ users: ['luan.hrss2'], mode: 'after' }).expect(200);
    expect(res.body.tasks).toEqual([]); // the signer's task opens when the claimant completes
    await hrss.post(`/api/v1/tasks/${c.taskId}/complete`).send({ outcome: 'maybe' }).expect(422);
    const held = await hrss.post(`/api/v1/tasks/${c.taskId}/complete`).send({ outcome: 'approved', comment: '符合条件' }).expect(200);
    expect(held.body).toMatchObject({ state: 'claimed', waitingFor: ['luan.hrss2'] });
    expect(await housingTasks(c.caseId)).toHaveLength(0);
    await hrss.post(`/api/v1/tasks/${c.taskId}/complete`).send({ outcome: 'approved' }).expect(409);
    const sub = (await tasksOf(c.caseId)).find((t) => t.parentId === c.taskId)!;
    await hrss2.post(`/api/v1/tasks/${sub.id}/complete`).send({ outcome: 'approved' }).expect(200);
    // the held completion took the step: the task is done as the claimant decided, the next step opened once
    const parent = (await tasksOf(c.caseId)).find((t) => t.id === c.taskId)!;
    expect(parent).toMatchObject({ state: 'done', completedBy: 'luan.hrss', outcome: 'approved', comment: '符合条件' });
    expect(await housingTasks(c.caseId)).toHaveLength(1);
    const actions = await actionsOf(c.caseId);
    expect(actions.filter((a) => a === 'task.completed')).toHaveLength(1);
    expect(actions.indexOf('task.held')).toBeLessThan(actions.indexOf('countersign.approved'));
    await hrss2.post(`/api/v1/tasks/${sub.id}/complete`).send({ outcome: 'approved' }).expect(409);
  });

  it('should step once when the claimant and every parallel signer approved, whoever is last (加签 parallel)', async () => {
    const c = await newCase();
    await hrss.post(`/api/v1/tasks/${c.taskId}/claim`).expect(200);
    await hrss.post(`/api/v1/tasks/${c.taskId}/add-signers`).send({ users: ['luan.hrss2', 'luan.housing-fund'], mode: 'parallel' }).expect(200);
    await hrss.post(`/api/v1/tasks/${c.taskId}/add-signers`).send({ users: ['luan.medical'], mode: 'parallel' }).expect(409);
    const subs = (await tasksOf(c.caseId)).filter((t) => t.parentId === c.taskId);
    await hrss2.post(`/api/v1/tasks/${subs.find((t) => t.assignee === 'luan.hrss2')!.id}/complete`).send({ outcome: 'approved' }).expect(200);
    await hrss.post(`/api/v1/tasks/${c.taskId}/complete`).send({ outcome: 'approved' }).expect(200);
    expect(await housingTasks(c.caseId)).toHaveLength(0);
    await housing.post(`/api/v1/tasks/${subs.find((t) => t.assignee === 'luan.housing-fund')!.id}/complete`).send({ outcome: 'approved' }).expect(200);
    expect(await housingTasks(c.caseId)).toHaveLength(1);
    expect((await tasksOf(c.caseId)).find((t) => t.id === c.taskId)).toMatchObject({ state: 'done', completedBy: 'luan.hrss' });
    expect((await actionsOf(c.caseId)).filter((a) => a === 'task.completed')).toHaveLength(1);
    // the chain shows in the case view
    const view = (await hrss.get(`/api/v1/cases/${c.caseId}`).expect(200)).body;
    expect(view.tasks.filter((t: { parentId?: string }) => t.parentId === c.taskId).map((t: { assignee: string; outcome: string }) => [t.assignee, t.outcome]).sort())
      .toEqual([['luan.housing-fund', 'approved'], ['luan.hrss2', 'approved']]);
  });

  it('should return the task to its claimant when a signer refuses', async () => {
    const c = await newCase();
    await hrss.post(`/api/v1/tasks/${c.taskId}/claim`).expect(200);
    await hrss.post(`/api/v1/tasks/${c.taskId}/add-signers`).send({ users: ['luan.hrss2', 'luan.housing-fund'], mode: 'parallel' }).expect(200);
    await hrss.post(`/api/v1/tasks/${c.taskId}/complete`).send({ outcome: 'approved' }).expect(200); // held
    const subs = (await tasksOf(c.caseId)).filter((t) => t.parentId === c.taskId);
    await hrss2.post(`/api/v1/tasks/${subs.find((t) => t.assignee === 'luan.hrss2')!.id}/complete`).send({ outcome: 'ok' }).expect(422);
    await hrss2.post(`/api/v1/tasks/${subs.find((t) => t.assignee === 'luan.hrss2')!.id}/complete`).send({ outcome: 'rejected', comment: '缴费年限不足' }).expect(200);
    const after = await tasksOf(c.caseId);
    expect(after.find((t) => t.assignee === 'luan.housing-fund' && t.parentId === c.taskId)!.state).toBe('cancelled');
    const parent = after.find((t) => t.id === c.taskId)!;
    expect(parent.state).toBe('claimed');
    expect(parent.held).toBeFalsy();
    expect(parent.countersign).toBeFalsy();
    expect(await housingTasks(c.caseId)).toHaveLength(0);
    expect((await notificationsOf(hrss)).some((n) => n.caseNo === c.no && n.message.includes('缴费年限不足'))).toBe(true);
    // the claimant decides afresh
    await hrss.post(`/api/v1/tasks/${c.taskId}/complete`).send({ outcome: 'approved' }).expect(200);
    expect(await housingTasks(c.caseId)).toHaveLength(1);
  });

  it('should give read-only access and a notification to those a case is copied to (抄送)', async () => {
    const c = await newCase();
    await medical.get(`/api/v1/cases/${c.caseId}`).expect(404);
    await hrss.post(`/api/v1/tasks/${c.taskId}/cc`).send({ users: ['luan.medical'] }).expect(403); // not claimed
    await hrss.post(`/api/v1/tasks/${c.taskId}/claim`).expect(200);
    await hrss2.post(`/api/v1/tasks/${c.taskId}/cc`).send({ users: ['luan.medical'] }).expect(409);
    await hrss.post(`/api/v1/tasks/${c.taskId}/cc`).send({}).expect(422);
    const bad = await hrss.post(`/api/v1/tasks/${c.taskId}/cc`).send({ users: ['changzhou.medical'], departments: ['nope'] }).expect(422);
    expect(bad.body.error.errors.map((e: { path: string }) => e.path)).toEqual(['users.0', 'departments.0']);
    await hrss.post(`/api/v1/tasks/${c.taskId}/cc`).send({ users: ['luan.medical'] }).expect(200);
    const seen = (await medical.get(`/api/v1/cases/${c.caseId}`).expect(200)).body;
    expect(seen.data.idNumber).toBe('341502************');
    await medical.post(`/api/v1/cases/${c.caseId}/reveal`).expect(403);
    await medical.post(`/api/v1/tasks/${c.taskId}/complete`).send({ outcome: 'approved' }).expect(403);
    expect((await notificationsOf(medical)).some((n) => n.caseNo === c.no && n.kind === 'cc')).toBe(true);
    expect(await actionsOf(c.caseId)).toContain('case.cc');
    expect(await s.models.Audit.countDocuments({ action: 'task.cc', target: `case:${c.no}` })).toBe(1);
    // a department: every member reads it
    const other = await newCase();
    await hrss.post(`/api/v1/tasks/${other.taskId}/claim`).expect(200);
    await hrss.post(`/api/v1/tasks/${other.taskId}/cc`).send({ departments: ['medical'] }).expect(200);
    await medical.get(`/api/v1/cases/${other.caseId}`).expect(200);
  });

  it('should let the applicant or an admin remind, at most once an hour per task (催办)', async () => {
    const c = await newCase();
    await hrss.post(`/api/v1/tasks/${c.taskId}/remind`).expect(403);
    const stranger = await s.login('changzhou.applicant');
    await stranger.post(`/api/v1/tasks/${c.taskId}/remind`).expect(404);
    const res = await applicant.post(`/api/v1/tasks/${c.taskId}/remind`).expect(200);
    expect(res.body.notified).toBeGreaterThanOrEqual(2); // hrss and hrss2: the department, nobody claimed it
    expect((await notificationsOf(hrss2)).some((n) => n.caseNo === c.no && n.kind === 'reminder')).toBe(true);
    const again = await applicant.post(`/api/v1/tasks/${c.taskId}/remind`).expect(429);
    expect(again.body.error.code).toBe('too-soon');
    expect(again.body.error.message).toMatch(/一小时内已催办过/);
    expect(Number(again.headers['retry-after'])).toBeGreaterThan(3000);
    await admin.post(`/api/v1/tasks/${c.taskId}/remind`).expect(429);
    expect(await actionsOf(c.caseId)).toContain('task.reminded');
    // an hour later the claimant alone is reminded
    await s.models.Case.updateOne({ _id: c.caseId }, { $set: { 'tasks.0.remindedAt': new Date(Date.now() - 61 * 60_000) } });
    await hrss.post(`/api/v1/tasks/${c.taskId}/claim`).expect(200);
    const second = await admin.post(`/api/v1/tasks/${c.taskId}/remind`).expect(200);
    expect(second.body.notified).toBe(1);
    await hrss.post(`/api/v1/tasks/${c.taskId}/complete`).send({ outcome: 'approved' }).expect(200);
    await s.models.Case.updateOne({ _id: c.caseId }, { $set: { 'tasks.0.remindedAt': new Date(0) } });
    await applicant.post(`/api/v1/tasks/${c.taskId}/remind`).expect(409);
  });

  it('should claim and complete several tasks in a batch, each on its own', async () => {
    const [a, b, d] = [await newCase(), await newCase(), await newCase()];
    await hrss2.post(`/api/v1/tasks/${d.taskId}/claim`).expect(200);
    const claimed = await hrss.post('/api/v1/tasks/batch').send({ action: 'claim', ids: [a.taskId, 'no-such-task', b.taskId, d.taskId] }).expect(200);
    expect(claimed.body.results.map((r: { id: string; ok: boolean; status: number }) => [r.id, r.ok, r.status])).toEqual([
      [a.taskId, true, 200], ['no-such-task', false, 404], [b.taskId, true, 200], [d.taskId, false, 409],
    ]);
    expect(claimed.body.results[3].error.message).toMatch(/已由 luan.hrss2 认领/);
    const done = await hrss.post('/api/v1/tasks/batch').send({ action: 'complete', ids: [a.taskId, b.taskId, d.taskId], outcome: 'approved', comment: '批量审批' }).expect(200);
    expect(done.body.results.map((r: { ok: boolean }) => r.ok)).toEqual([true, true, false]);
    expect(await housingTasks(a.caseId)).toHaveLength(1);
    expect(await housingTasks(b.caseId)).toHaveLength(1);
    expect(await housingTasks(d.caseId)).toHaveLength(0);
    await hrss.post('/api/v1/tasks/batch').send({ action: 'complete', ids: Array.from({ length: 51 }, (_, i) => `t${i}`), outcome: 'approved' }).expect(422);
    await hrss.post('/api/v1/tasks/batch').send({ action: 'delete', ids: [a.taskId] }).expect(422);
    await applicant.post('/api/v1/tasks/batch').send({ action: 'claim', ids: [a.taskId] }).expect(403);
  });

  it('should list the city\'s staff of a department by username and name only', async () => {
    const res = await hrss.get('/api/v1/staff?department=hrss').expect(200);
    expect(res.body.map((u: { username: string }) => u.username)).toEqual(['luan.hrss', 'luan.hrss2']);
    expect(Object.keys(res.body[0]).sort()).toEqual(['departments', 'name', 'username']);
    await applicant.get('/api/v1/staff').expect(403);
  });
});
