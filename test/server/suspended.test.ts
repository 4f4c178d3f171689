/**
 * 挂起 refuses every move of tasks or tokens (issue #18): while a case is suspended, claim,
 * release, complete, batch, 转办, 委派, 加签, 催办, 退回, 撤回 and the admin's move answer 409
 * `case-suspended` 「办件已挂起，恢复后才能办理」 and change nothing; comments, 抄送, reading and
 * 恢复 stay allowed (and 终止, which ends the suspension with the case). The check lives in one
 * place, the case model (server/src/models/case-suspension.ts): any write of tasks or flow is
 * refused, whichever service makes it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishMini, startTestServer, type TestServer } from './helpers';

const API = '/api/v1';
const MESSAGE = '办件已挂起，恢复后才能办理';
type Agent = Awaited<ReturnType<TestServer['login']>>;
type Task = { id: string; caseNo: string; name: string; state: string; claimedBy?: string };

describe('a suspended case refuses task and token moves', () => {
  let s: TestServer;
  let applicant: Agent;
  let hrss: Agent;
  let housing: Agent;
  let admin: Agent;

  beforeAll(async () => {
    s = await startTestServer();
    await publishMini(s);
    [applicant, hrss, housing, admin] = await Promise.all(['luan.applicant', 'luan.hrss', 'luan.housing-fund', 'luan.admin'].map((u) => s.login(u)));
    // a colleague in 人社 (转办/委派) and one in 公积金 (加签)
    await admin.post(`${API}/admin/users`).send({ username: 'luan.hrss-b', displayName: '人社同事', password: 'Str0ng-pass', roles: ['staff'], departments: ['hrss'] }).expect(201);
    await admin.post(`${API}/admin/users`).send({ username: 'luan.housing-b', displayName: '公积金同事', password: 'Str0ng-pass', roles: ['staff'], departments: ['housing-fund'] }).expect(201);
  });
  afterAll(async () => { await s?.close(); });

  async function file(name: string, housingFund = true) {
    const res = await applicant.post(`${API}/cases`).send({ matter: 'mini', form: 'mini-form', data: { name, idNumber: '341502196501150039', housingFund } }).expect(201);
    return res.body as { id: string; no: string };
  }
  async function taskOf(agent: Agent, caseNo: string) {
    const list = (await agent.get(`${API}/tasks?state=all&limit=200`).expect(200)).body as Task[];
    return list.filter((t) => t.caseNo === caseNo && (t.state === 'open' || t.state === 'claimed'))[0]!;
  }
  const stored = async (id: string) => (await s.models.Case.findById(id).lean())!;
  const refused = (res: { status: number; body: { error?: { code: string; message: string } } }) => {
    expect(res.status).toBe(409);
    expect(res.body.error).toEqual({ code: 'case-suspended', message: MESSAGE });
  };

  it('should answer 409 case-suspended to every move of a task or token and change nothing, allow comments, 抄送, reading and 恢复', async () => {
    // given a claimed 人社 task, then the case suspended
    const c = await file('孙一');
    const task = await taskOf(hrss, c.no);
    await hrss.post(`${API}/tasks/${task.id}/claim`).expect(200);
    await hrss.post(`${API}/cases/${c.id}/suspend`).send({ reason: '等待劳动能力鉴定结论' }).expect(200);
    const before = await stored(c.id);

    // when every move is tried, then each is refused the same way
    refused(await hrss.post(`${API}/tasks/${task.id}/transfer`).send({ to: 'luan.hrss-b' }));
    refused(await hrss.post(`${API}/tasks/${task.id}/delegate`).send({ to: 'luan.hrss-b' }));
    refused(await hrss.post(`${API}/tasks/${task.id}/add-signers`).send({ users: ['luan.housing-b'], mode: 'before' }));
    refused(await hrss.post(`${API}/tasks/${task.id}/unclaim`));
    refused(await hrss.post(`${API}/tasks/${task.id}/complete`).send({ outcome: 'approved' }));
    refused(await hrss.post(`${API}/tasks/${task.id}/return`).send({ to: 'applicant', reason: '请补正姓名', fields: ['name'] }));
    refused(await applicant.post(`${API}/tasks/${task.id}/remind`));
    refused(await admin.post(`${API}/admin/cases/${c.id}/move`).send({ from: task.id, to: 'Task_approve' }));
    const batch = await hrss.post(`${API}/tasks/batch`).send({ action: 'complete', ids: [task.id], outcome: 'approved' }).expect(200);
    expect(batch.body.results).toEqual([expect.objectContaining({ id: task.id, ok: false, status: 409, error: { code: 'case-suspended', message: MESSAGE } })]);

    // and nothing moved: the same tasks, flow, status and revision
    const after = await stored(c.id);
    expect(after.rev).toBe(before.rev);
    expect(after.status).toBe('suspended');
    expect(JSON.stringify(after.tasks)).toBe(JSON.stringify(before.tasks));
    expect(JSON.stringify(after.flow)).toBe(JSON.stringify(before.flow));

    // comments, 抄送 and reading stay allowed
    await hrss.post(`${API}/tasks/${task.id}/comments`).send({ text: '已函请劳动能力鉴定委员会' }).expect(201);
    await hrss.post(`${API}/tasks/${task.id}/cc`).send({ users: ['luan.housing-b'] }).expect(200);
    const view = (await applicant.get(`${API}/cases/${c.id}`).expect(200)).body as { status: string; timeline: { action: string }[] };
    expect(view.status).toBe('suspended');
    expect(view.timeline.map((e) => e.action)).toEqual(expect.arrayContaining(['task.commented', 'case.cc']));

    // once resumed, the same moves work
    await hrss.post(`${API}/cases/${c.id}/resume`).expect(200);
    await hrss.post(`${API}/tasks/${task.id}/transfer`).send({ to: 'luan.hrss-b' }).expect(200);
    expect((await stored(c.id)).tasks.find((t) => t.id === task.id)!.claimedBy).toBe('luan.hrss-b');
  });

  it('should refuse claiming and a batch claim of an open task, and 撤回 of a completion, while suspended', async () => {
    const c = await file('孙二');
    const task = await taskOf(hrss, c.no);
    // a completion that can be recalled: the next step (公积金) is untouched
    await hrss.post(`${API}/tasks/${task.id}/claim`).expect(200);
    await hrss.post(`${API}/tasks/${task.id}/complete`).send({ outcome: 'approved' }).expect(200);
    const next = await taskOf(housing, c.no);
    await housing.post(`${API}/cases/${c.id}/suspend`).send({ reason: '等待不动产登记信息' }).expect(200);

    refused(await hrss.post(`${API}/tasks/${task.id}/recall`));
    refused(await housing.post(`${API}/tasks/${next.id}/claim`));
    const batch = await housing.post(`${API}/tasks/batch`).send({ action: 'claim', ids: [next.id] }).expect(200);
    expect(batch.body.results[0]).toMatchObject({ ok: false, status: 409, error: { code: 'case-suspended' } });
    expect((await stored(c.id)).tasks.find((t) => t.id === next.id)!.state).toBe('open');

    await housing.post(`${API}/cases/${c.id}/resume`).expect(200);
    await hrss.post(`${API}/tasks/${task.id}/recall`).expect(200);
  });

  it('should let the admin end a suspended case (终止 ends the suspension with it)', async () => {
    const c = await file('孙三', false);
    await hrss.post(`${API}/cases/${c.id}/suspend`).send({ reason: '等待劳动能力鉴定结论' }).expect(200);
    const res = await admin.post(`${API}/admin/cases/${c.id}/cancel`).send({ reason: '经鉴定不符合退休条件' }).expect(200);
    expect(res.body.status).toBe('cancelled');
    const doc = await stored(c.id);
    expect(doc.suspension).toBeNull();
    expect(doc.tasks.every((t) => t.state === 'cancelled' || t.state === 'done')).toBe(true);
  });

  it('should refuse in the model any write of tasks or flow to a suspended case, whichever code makes it', async () => {
    const c = await file('孙四', false);
    await hrss.post(`${API}/cases/${c.id}/suspend`).send({ reason: '等待劳动能力鉴定结论' }).expect(200);
    const doc = await stored(c.id);
    await expect(s.models.Case.updateOne({ _id: doc._id, rev: doc.rev }, { $set: { 'tasks.0.state': 'done' }, $inc: { rev: 1 } }))
      .rejects.toMatchObject({ code: 'case-suspended', message: MESSAGE });
    await expect(s.models.Case.updateOne({ _id: doc._id }, { $set: { flow: { hash: 'x', state: null } } }))
      .rejects.toMatchObject({ code: 'case-suspended' });
    // a write of anything else, or one that ends the suspension, goes through
    expect((await s.models.Case.updateOne({ _id: doc._id, rev: doc.rev }, { $push: { timeline: { at: new Date(), actor: 'test', action: 'note' } }, $inc: { rev: 1 } })).matchedCount).toBe(1);
    // a stale revision of a case that is not suspended stays an ordinary miss (the caller's revision conflict)
    await hrss.post(`${API}/cases/${c.id}/resume`).expect(200);
    expect((await s.models.Case.updateOne({ _id: doc._id, rev: doc.rev }, { $set: { 'tasks.0.state': 'done' } })).matchedCount).toBe(0);
  });
});
