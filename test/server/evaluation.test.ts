/**
 * 好差评 (issue 23, part 3): the applicant rates a case once after it ends (and each item once),
 * window staff record a rating at the counter for a case they filed, the SMS link rates without
 * sign-in and a forged link answers like none; a 差评 opens 整改 (admin) and 回访 (department)
 * due in 5 working days, tells them, and recording both closes them.
 */
import chineseDays from 'chinese-days';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type request from 'supertest';
import { evaluationLink } from '@lianban/server';
import { publishMini, startTestServer, type TestServer } from './helpers';

type Agent = ReturnType<typeof request.agent>;

const LUAN_APPLICANT_ID = '341502196501150039'; // the demo account luan.applicant's
const data = (housingFund: boolean) => ({ name: '张三', idNumber: LUAN_APPLICANT_ID, housingFund });

describe('好差评', () => {
  let s: TestServer;
  let applicant: Agent;
  let hrss: Agent;
  let housing: Agent;
  let admin: Agent;

  /** Files a mini case (as `filer`, for the citizen when it is window staff) and runs it to its end. */
  async function endedCase(filer: Agent, opts: { housingFund?: boolean; reject?: boolean; onBehalf?: boolean } = {}) {
    const body = { matter: 'mini', form: 'mini-form', data: data(!!opts.housingFund), ...(opts.onBehalf ? { onBehalfOf: { idNumber: LUAN_APPLICANT_ID, name: '张三', phone: '13800138000' } } : {}) };
    const sub = await filer.post('/api/v1/cases').send(body).expect(201);
    const task = async (agent: Agent, name: string) => ((await agent.get('/api/v1/tasks').expect(200)).body as { id: string; caseId: string; name: string }[])
      .find((t) => t.caseId === sub.body.id && t.name === name)!;
    await hrss.post(`/api/v1/tasks/${(await task(hrss, '退休审批')).id}/complete`).send({ outcome: opts.reject ? 'rejected' : 'approved' }).expect(200);
    if (opts.housingFund && !opts.reject) await housing.post(`/api/v1/tasks/${(await task(housing, '公积金提取')).id}/complete`).send({ outcome: 'done' }).expect(200);
    return sub.body as { id: string; no: string };
  }

  beforeAll(async () => {
    s = await startTestServer();
    await publishMini(s);
    [applicant, hrss, housing, admin] = await Promise.all(['luan.applicant', 'luan.hrss', 'luan.housing-fund', 'luan.admin'].map((u) => s.login(u)));
  });
  afterAll(async () => { await s?.close(); });

  it('should take one rating per case from its applicant after it ends, and keep it on the case', async () => {
    const sub = await applicant.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data: data(false) }).expect(201);
    // not before it ends
    const early = await applicant.post(`/api/v1/cases/${sub.body.id}/evaluation`).send({ score: 5 }).expect(409);
    expect(early.body.error).toMatchObject({ code: 'moved-on', message: '办件办结后才能评价' });

    const ended = await endedCase(applicant);
    const res = await applicant.post(`/api/v1/cases/${ended.id}/evaluation`).send({ score: 4, indicators: { 办事效率: 4, 办事便捷度: 5 }, comment: '很顺利' }).expect(201);
    expect(res.body).toMatchObject({ caseNo: ended.no, score: 4, level: '满意', channel: 'portal', department: 'hrss', followUps: [], indicators: { 办事效率: 4, 办事便捷度: 5 } });
    // once per case
    const again = await applicant.post(`/api/v1/cases/${ended.id}/evaluation`).send({ score: 5 }).expect(409);
    expect(again.body.error.code).toBe('already-done');

    const doc = await s.models.Case.findById(ended.id).lean();
    expect(doc!.evaluation).toMatchObject({ score: 4, channel: 'portal', department: 'hrss', comment: '很顺利' });
    expect(doc!.timeline.at(-1)).toMatchObject({ action: 'case.evaluated', actor: 'luan.applicant', detail: '满意' });
    expect(await s.models.Audit.findOne({ action: 'case.evaluate', target: `case:${ended.no}` }).lean()).toMatchObject({ actor: 'luan.applicant', details: { score: 4, channel: 'portal' } });
    const seen = await applicant.get(`/api/v1/cases/${ended.id}/evaluations`).expect(200);
    expect(seen.body.map((e: { score: number }) => e.score)).toEqual([4]);
  });

  it('should refuse what the rules do not allow, saying what is wrong', async () => {
    const ended = await endedCase(applicant);
    const url = `/api/v1/cases/${ended.id}/evaluation`;
    expect((await applicant.post(url).send({ score: 6 }).expect(422)).body.error.errors[0].path).toBe('score');
    expect((await applicant.post(url).send({ score: 5, indicators: { 服务态度: 5 } }).expect(422)).body.error.message).toBe('「服务态度」不是线上评价的指标');
    expect((await applicant.post(url).send({ score: 5, reasons: ['办理时间过长'] }).expect(422)).body.error.message).toBe('只有「不满意」「非常不满意」时选择原因');
    expect((await applicant.post(url).send({ score: 1 }).expect(422)).body.error.message).toBe('差评请选择原因或写明意见，以便整改');
    expect((await applicant.post(url).send({ score: 1, reasons: ['随便写的'] }).expect(422)).body.error.message).toBe('「随便写的」不是可选的原因');
    expect((await applicant.post(url).send({ score: 5, item: 'nope' }).expect(422)).body.error.errors[0].path).toBe('item');
    // nothing was stored by the refusals
    expect(await s.models.Evaluation.countDocuments({ caseId: ended.id })).toBe(0);
    // someone else's case, staff and admins: not theirs to rate
    await hrss.post(url).send({ score: 5 }).expect(404);
    await admin.post(url).send({ score: 5 }).expect(403);
    const other = await s.login('luan.window');
    await other.post(url).send({ score: 5 }).expect(404);
  });

  it('should rate each item once after it is done, apart from the case', async () => {
    const ended = await endedCase(applicant, { housingFund: true });
    const url = `/api/v1/cases/${ended.id}/evaluation`;
    const item = await applicant.post(url).send({ score: 5, item: 'housing-fund-withdrawal' }).expect(201);
    expect(item.body).toMatchObject({ item: 'housing-fund-withdrawal', itemTitle: '公积金提取', department: 'housing-fund', level: '非常满意' });
    await applicant.post(url).send({ score: 4, item: 'housing-fund-withdrawal' }).expect(409);
    await applicant.post(url).send({ score: 3 }).expect(201);
    const doc = await s.models.Case.findById(ended.id).lean();
    expect(doc!.items.find((i) => i.key === 'housing-fund-withdrawal')!.evaluation).toMatchObject({ score: 5, department: 'housing-fund' });
    expect(doc!.evaluation).toMatchObject({ score: 3 });
  });

  it('should open 整改 and 回访 due in 5 working days on a 差评, tell the admin and the department, and close them when recorded', async () => {
    const ended = await endedCase(applicant, { reject: true });
    const before = new Date();
    const res = await applicant.post(`/api/v1/cases/${ended.id}/evaluation`).send({ score: 2, reasons: ['办理时间过长', '要求重复提交材料'], comment: '跑了两次' }).expect(201);
    expect(res.body.followUps.map((f: { kind: string; department: string; state: string }) => [f.kind, f.department, f.state])).toEqual([['rectify', 'admin', 'open'], ['revisit', 'hrss', 'open']]);
    // 5 official working days (chinese-days: weekends, holidays and 调休 counted), China time
    const china = new Date(before.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    const due = new Date(res.body.followUps[0].dueAt);
    expect(new Date(due.getTime() + 8 * 3_600_000).toISOString().slice(0, 10)).toBe(chineseDays.findWorkday(5, china));

    // told in-app: the admin and hrss staff, not housing-fund staff
    const told = async (agent: Agent) => ((await agent.get('/api/v1/notifications').expect(200)).body as { kind: string; caseNo: string }[]).some((n) => n.kind === 'evaluation' && n.caseNo === ended.no);
    expect(await told(admin)).toBe(true);
    expect(await told(hrss)).toBe(true);
    expect(await told(housing)).toBe(false);

    // lists: the admin sees it among the open ones, hrss too (it answers for it), housing-fund does not
    const open = (await admin.get('/api/v1/evaluations?open=1').expect(200)).body as { id: string }[];
    expect(open.map((e) => e.id)).toContain(res.body.id);
    expect(((await hrss.get('/api/v1/evaluations?poor=1').expect(200)).body as { id: string }[]).map((e) => e.id)).toContain(res.body.id);
    expect(((await housing.get('/api/v1/evaluations').expect(200)).body as { id: string }[]).map((e) => e.id)).not.toContain(res.body.id);

    const url = `/api/v1/evaluations/${res.body.id}/follow-up`;
    // 整改 is the admin's; 回访 the department's; another department sees nothing
    await hrss.post(url).send({ kind: 'rectify', note: '已整改' }).expect(403);
    await housing.post(url).send({ kind: 'revisit', note: '回访' }).expect(404);
    const revisit = await hrss.post(url).send({ kind: 'revisit', note: '已电话回访，申请人认可' }).expect(200);
    expect(revisit.body.followUps[1]).toMatchObject({ state: 'done', doneBy: 'luan.hrss', note: '已电话回访，申请人认可' });
    await hrss.post(url).send({ kind: 'revisit', note: '再次' }).expect(409);
    await admin.post(url).send({ kind: 'rectify', note: '已优化材料清单，避免重复提交' }).expect(200);
    expect(((await admin.get('/api/v1/evaluations?open=1').expect(200)).body as { id: string }[]).map((e) => e.id)).not.toContain(res.body.id);
    const audits = (await s.models.Audit.find({ target: `case:${ended.no}` }).lean()).filter((a) => a.action.startsWith('evaluation.'));
    expect(audits.map((a) => [a.action, a.actor]).sort()).toEqual([['evaluation.rectify', 'luan.admin'], ['evaluation.revisit', 'luan.hrss']]);
    // a good rating opens nothing
    const fine = await endedCase(applicant);
    expect((await applicant.post(`/api/v1/cases/${fine.id}/evaluation`).send({ score: 3 }).expect(201)).body.followUps).toEqual([]);
  });

  it('should let window staff record the rating of a citizen at the counter for a case they filed', async () => {
    const window = await s.login('luan.window');
    const ended = await endedCase(window, { onBehalf: true });
    const res = await window.post(`/api/v1/cases/${ended.id}/evaluation`).send({ score: 5, indicators: { 服务态度: 5 } }).expect(201);
    expect(res.body).toMatchObject({ channel: 'window', score: 5 });
    // the citizen cannot rate it a second time online
    await applicant.post(`/api/v1/cases/${ended.id}/evaluation`).send({ score: 1, comment: '再评' }).expect(409);
    // an applicant may not claim the window channel
    const own = await endedCase(applicant);
    expect((await applicant.post(`/api/v1/cases/${own.id}/evaluation`).send({ score: 5, channel: 'window' }).expect(403)).body.error.message).toBe('现场评价须由窗口录入');
  });

  it('should rate through the SMS link without sign-in, and answer a forged link like none', async () => {
    const ended = await endedCase(applicant, { housingFund: true });
    const link = await evaluationLink(s.models, 'luan', ended.id);
    expect(link).toMatch(/^\/e\/[0-9a-f]{24}\.[A-Za-z0-9_-]{22}$/);
    const token = link.slice(3);
    const anon = s.agent();
    const invite = await anon.get(`/api/v1/public/evaluation/${token}`).expect(200);
    expect(invite.body).toEqual({ caseNo: ended.no, matterTitle: '小事项', items: [{ key: 'retirement-approval', title: '退休审批' }, { key: 'housing-fund-withdrawal', title: '公积金提取' }], rated: { case: false, items: [] } });
    expect(invite.text).not.toContain('张三');
    expect(invite.text).not.toContain(LUAN_APPLICANT_ID);
    await anon.post(`/api/v1/public/evaluation/${token}`).send({ score: 5 }).expect(201);
    expect((await anon.get(`/api/v1/public/evaluation/${token}`).expect(200)).body.rated).toEqual({ case: true, items: [] });
    await anon.post(`/api/v1/public/evaluation/${token}`).send({ score: 1, comment: 'x' }).expect(409);
    expect((await s.models.Evaluation.findOne({ caseId: ended.id, scope: 'case' }).lean())!.channel).toBe('sms');

    // forged: another case's id with this signature, a changed character, garbage — all 404 alike
    const other = await endedCase(applicant);
    const sig = token.split('.')[1]!;
    const flipped = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    for (const bad of [`${other.id}.${sig}`, flipped, 'nonsense']) {
      const r = await anon.get(`/api/v1/public/evaluation/${bad}`).expect(404);
      expect(r.body.error.code).toBe('not-found');
      await anon.post(`/api/v1/public/evaluation/${bad}`).send({ score: 5 }).expect(404);
    }
    expect(await s.models.Evaluation.countDocuments({ caseId: other.id })).toBe(0);
  });
});
