/**
 * 补正告知书 (docs/documents.md): returning a case to the applicant for 补正 issues the notice —
 * every field with its note, the reason, the deadline — once per round (a second 补正 gives a
 * second document), off the request; `GET /cases/:id/documents` issues a round the queue lost;
 * each issued document is written to the case timeline (「出具《…》」).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type request from 'supertest';
import { documentsSettled } from '@lianban/server';
import { publishMini, startTestServer, type TestServer } from './helpers';
import { binary, pdfText } from '../pdf';

type Agent = ReturnType<typeof request.agent>;
const flow = fs.readFileSync(path.join(import.meta.dirname, 'fixtures', 'moves.bpmn'), 'utf8');
const DATA = { name: '王五', idNumber: '341502196501150039', housingFund: false };

const download = async (agent: Agent, id: string) => (await agent.get(`/api/v1/documents/${id}`).buffer(true).parse(binary).expect(200)).body as Buffer;
/** pdftotext may wrap a long line: compare without white space. */
const flat = (text: string) => text.replace(/\s+/g, '');

/** `YYYY-MM-DD` in China, `days` from now. */
const chinaDay = (days: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Date.now() + days * 86_400_000));

describe('补正告知书', () => {
  let s: TestServer;
  let applicant: Agent;
  let window: Agent;
  let hrss: Agent;
  beforeAll(async () => {
    s = await startTestServer();
    await publishMini(s, flow);
    [applicant, window, hrss] = await Promise.all([s.login('luan.applicant'), s.login('luan.window'), s.login('luan.hrss')]);
  });
  afterAll(async () => {
    await documentsSettled();
    await s?.close();
  });

  async function taskOf(agent: Agent, caseId: string, name: string) {
    const rows = (await agent.get('/api/v1/tasks?limit=200').expect(200)).body as { id: string; caseId: string; name: string }[];
    const t = rows.find((r) => r.caseId === caseId && r.name === name);
    if (!t) throw new Error(`no open task ${name} of case ${caseId}`);
    return t;
  }

  async function caseAtApproval() {
    const res = await applicant.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data: DATA }).expect(201);
    const id = res.body.id as string;
    await window.post(`/api/v1/tasks/${(await taskOf(window, id, '预审')).id}/complete`).send({}).expect(200);
    await hrss.post(`/api/v1/tasks/${(await taskOf(hrss, id, '受理')).id}/complete`).send({}).expect(200);
    return { id, no: res.body.no as string, task: await taskOf(hrss, id, '审批') };
  }

  const corrections = async (agent: Agent, id: string) =>
    ((await agent.get(`/api/v1/cases/${id}/documents`).expect(200)).body as { id: string; kind: string; title: string }[]).filter((d) => d.kind === 'correction');

  it('should issue one 补正告知书 per round listing each field with its note, the reason and the deadline', async () => {
    const { id, no, task } = await caseAtApproval();
    const deadline = chinaDay(10);
    await hrss.post(`/api/v1/tasks/${task.id}/return`).send({
      to: 'applicant', reason: '申请信息与身份证不一致', fields: ['name', 'housingFund'], notes: { name: '请按身份证填写姓名' }, deadline,
    }).expect(200);
    await documentsSettled();

    // the queue issued it after the return: the applicant and the staff both see it
    const [first] = await corrections(applicant, id);
    expect(first).toMatchObject({ title: '补正材料一次性告知书' });
    expect(await corrections(hrss, id)).toHaveLength(1);
    const text = flat(pdfText(await download(applicant, first!.id)));
    expect(text).toContain('补正材料一次性告知书');
    expect(text).toContain(no);
    expect(text).toContain('补正原因：申请信息与身份证不一致');
    expect(text).toContain('1.姓名：请按身份证填写姓名');
    expect(text).toContain('2.是否申请提取住房公积金');
    const [y, m, d] = deadline.split('-').map(Number);
    expect(text).toContain(`补正期限：${y}年${m}月${d}日`);
    // the timeline says it was issued, and the audit records it
    const view = (await applicant.get(`/api/v1/cases/${id}`).expect(200)).body as { timeline: { action: string; detail?: string }[] };
    expect(view.timeline.filter((e) => e.action === 'document.issued').map((e) => e.detail)).toContain('出具《补正材料一次性告知书》');
    expect(await s.models.Audit.countDocuments({ action: 'document.issued', 'details.caseId': id, 'details.kind': 'correction' })).toBe(1);

    // a second round on the same case: a second document with its own content; the first unchanged
    await applicant.post(`/api/v1/cases/${id}/resubmit`).send({ data: { name: '王伍' } }).expect(200);
    await hrss.post(`/api/v1/tasks/${task.id}/return`).send({ to: 'applicant', reason: '公积金选项有误', fields: ['housingFund'] }).expect(200);
    await documentsSettled();
    const both = await corrections(applicant, id);
    expect(both).toHaveLength(2);
    expect(both[0]!.id).toBe(first!.id);
    const second = flat(pdfText(await download(applicant, both[1]!.id)));
    expect(second).toContain('补正原因：公积金选项有误');
    expect(second).toContain('1.是否申请提取住房公积金');
    expect(second).not.toContain('姓名：请按身份证填写姓名');
    expect(second).toContain('补正期限：未设定，请尽快补正');
    // reading again issues nothing more
    expect(await corrections(applicant, id)).toHaveLength(2);
    expect(await s.models.OfficialDocument.countDocuments({ caseId: id, kind: 'correction' })).toBe(2);
  });

  it('should issue a round the queue lost at the next reading of the documents', async () => {
    const { id, task } = await caseAtApproval();
    await hrss.post(`/api/v1/tasks/${task.id}/return`).send({ to: 'applicant', reason: '姓名有误', fields: ['name'] }).expect(200);
    await documentsSettled();
    // as if the process died before generating it
    await s.models.OfficialDocument.deleteMany({ caseId: id, kind: 'correction' });
    const again = await corrections(applicant, id);
    expect(again).toHaveLength(1);
    expect(flat(pdfText(await download(applicant, again[0]!.id)))).toContain('补正原因：姓名有误');
  });

  it('should refuse a deadline in the past or not a date, in Chinese', async () => {
    const { task } = await caseAtApproval();
    const past = await hrss.post(`/api/v1/tasks/${task.id}/return`).send({ to: 'applicant', reason: 'x', fields: ['name'], deadline: chinaDay(-2) }).expect(422);
    expect(past.body.error.message).toBe('补正期限不能早于今天');
    const bad = await hrss.post(`/api/v1/tasks/${task.id}/return`).send({ to: 'applicant', reason: 'x', fields: ['name'], deadline: '2026-02-30' }).expect(422);
    expect(bad.body.error.errors[0].path).toBe('deadline');
    // nothing was written: the task is still open
    await taskOf(hrss, (await s.models.Case.findOne({ 'tasks.id': task.id }).lean())!._id.toString(), '审批');
  });
});
