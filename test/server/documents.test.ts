/**
 * Official documents (docs/documents.md): a 常州 case run to the end yields a 受理回执 and a
 * 办结通知书 with the right text (read back with pdftotext), a rejected one the decision with the
 * city's remedy wording; the QR code's token verifies, a forged or altered one does not; only
 * who may see the case sees its documents; the application prints 一式三份 without 系统补充项.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type request from 'supertest';
import { loadCity } from '@lianban/templates';
import { documentsSettled, seedDemoTemplates } from '@lianban/server';
import { startTestServer, type TestServer } from './helpers';
import { binary, pdfText } from '../pdf';

type Agent = ReturnType<typeof request.agent>;




async function download(agent: Agent, url: string): Promise<Buffer> {
  const res = await agent.get(url).buffer(true).parse(binary).expect(200);
  expect(res.headers['content-type']).toBe('application/pdf');
  return res.body as Buffer;
}

async function openTask(agent: Agent, caseNo: string, name: string) {
  const list = (await agent.get('/api/v1/tasks').expect(200)).body as { caseNo: string; name: string; id: string }[];
  const task = list.find((t) => t.caseNo === caseNo && t.name === name);
  if (!task) throw new Error(`no open task「${name}」for ${caseNo}`);
  return task;
}

/** The verification token printed under the QR code (the address may wrap over lines). */
function tokenIn(text: string): string {
  const m = /\/api\/v1\/verify\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43})/.exec(text.replace(/\s+/g, ''));
  if (!m) throw new Error(`no verification address in:\n${text}`);
  return m[1]!;
}

describe('official documents', () => {
  let s: TestServer;
  let applicant: Agent;
  let hrss: Agent;
  const example = loadCity('changzhou').forms.find((f) => f.key === 'changzhou-retirement')!.example as Record<string, unknown>;
  // 核定, 发证 and 公积金 declare their results (x-item-result): the shipped examples
  const resultOf = (key: string) => loadCity('changzhou').forms.find((f) => f.key === key)!.example as Record<string, unknown>;
  const data = { ...example, socializedManagement: false, hasOnlyChildCertificate: false, onlyChildCertificateFile: undefined };
  let completed: { id: string; no: string };
  let receiptToken = '';

  beforeAll(async () => {
    s = await startTestServer();
    await seedDemoTemplates(s.models);
    [applicant, hrss] = await Promise.all([s.login('changzhou.applicant'), s.login('changzhou.hrss')]);
  });
  afterAll(async () => {
    await documentsSettled();
    await s?.close();
  });

  it('should issue a 受理回执 and, at the end, a 办结通知书 listing every item with its status', async () => {
    const [housing, medical] = await Promise.all([s.login('changzhou.housing-fund'), s.login('changzhou.medical')]);
    const sub = await applicant.post('/api/v1/cases').send({ matter: 'changzhou-retirement', form: 'changzhou-retirement', data }).expect(201);
    completed = { id: sub.body.id, no: sub.body.no };
    // a submission pays for no PDF: the receipt is made at its first reading
    await documentsSettled();
    expect(await s.models.OfficialDocument.countDocuments({ caseId: sub.body.id })).toBe(0);
    let docs = (await applicant.get(`/api/v1/cases/${sub.body.id}/documents`).expect(200)).body;
    expect(docs.map((d: { kind: string }) => d.kind)).toEqual(['receipt']);

    await hrss.post(`/api/v1/tasks/${(await openTask(hrss, completed.no, '企业职工退休审批')).id}/complete`).send({ outcome: 'approved' }).expect(200);
    await hrss.post(`/api/v1/tasks/${(await openTask(hrss, completed.no, '企业职工基本养老保险待遇核定')).id}/complete`).send({ data: resultOf('changzhou-pension-result') }).expect(200);
    await hrss.post(`/api/v1/tasks/${(await openTask(hrss, completed.no, '职工退休养老证发放')).id}/complete`).send({ data: resultOf('changzhou-certificate-result') }).expect(200);
    await housing.post(`/api/v1/tasks/${(await openTask(housing, completed.no, '退休人员住房公积金提取')).id}/complete`).send({ outcome: 'done', data: resultOf('changzhou-housing-fund-result') }).expect(200);
    await medical.post(`/api/v1/tasks/${(await openTask(medical, completed.no, '在职转退休医疗保险办理')).id}/complete`).send({ outcome: 'not-eligible', comment: '不符合' }).expect(200);
    await documentsSettled();

    docs = (await applicant.get(`/api/v1/cases/${sub.body.id}/documents`).expect(200)).body;
    expect(docs.map((d: { kind: string; title: string }) => [d.kind, d.title])).toEqual([['receipt', '受理回执'], ['completion', '办结通知书']]);
    // issued once each, by the step (not again by the reading)
    expect(await s.models.OfficialDocument.countDocuments({ caseId: sub.body.id })).toBe(2);

    const receipt = pdfText(await download(applicant, `/api/v1/documents/${docs[0].id}`));
    expect(receipt).toContain('常州市');
    expect(receipt).toContain('受理回执');
    expect(receipt).toContain(`办件编号：${completed.no}`);
    for (const item of ['企业职工退休审批', '企业职工基本养老保险待遇核定', '职工退休养老证发放', '退休人员住房公积金提取', '在职转退休医疗保险办理']) {
      expect(receipt).toContain(item);
    }
    expect(receipt).not.toContain('企业退休人员纳入社会化管理'); // not ticked: not applicable
    receiptToken = tokenIn(receipt);

    const notice = pdfText(await download(applicant, `/api/v1/documents/${docs[1].id}`));
    expect(notice).toContain('办结通知书');
    expect(notice).toContain(completed.no);
    expect(notice).toMatch(/企业职工退休审批：已办结/);
    expect(notice).toMatch(/在职转退休医疗保险办理：不符合联办条件/);
    expect(notice).toMatch(/\d{4}年\d{1,2}月\d{1,2}日/);

    const issued = await s.models.Audit.find({ action: 'document.issued', 'details.caseId': sub.body.id }).lean();
    expect(issued.map((a) => a.details?.kind).sort()).toEqual(['completion', 'receipt']);
    // the history has each at the date it states: the receipt at the submission, the notice at the end
    const view = (await applicant.get(`/api/v1/cases/${sub.body.id}`).expect(200)).body as { submittedAt: string; endedAt: string; timeline: { at: string; detail?: string }[] };
    const at = (title: string) => view.timeline.find((e) => e.detail === `出具《${title}》`)!.at;
    expect(at('受理回执')).toBe(view.submittedAt);
    expect(at('办结通知书')).toBe(view.endedAt);
    const downloads = await s.models.Audit.find({ action: 'document.downloaded', 'details.caseId': sub.body.id }).lean();
    expect(downloads.map((a) => a.actor)).toEqual(['changzhou.applicant', 'changzhou.applicant']);
  });

  it('should verify a genuine token without personal data, and refuse a forged or altered one', async () => {
    const anyone = s.agent();
    const genuine = (await anyone.get(`/api/v1/verify/${receiptToken}`).expect(200)).body;
    expect(genuine).toMatchObject({ valid: true, kind: 'receipt', title: '受理回执', issuer: '常州市' });
    expect(genuine.caseNo).not.toBe(completed.no);
    expect(genuine.caseNo).toBe(`${completed.no.slice(0, 6)}****${completed.no.slice(-4)}`);
    const json = JSON.stringify(genuine);
    for (const personal of [String(example.name), String(example.idNumber), String(example.mobile)]) expect(json).not.toContain(personal);

    const [payload, signature] = receiptToken.split('.') as [string, string];
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
    // altered: one character of the signature, or of the signed part
    expect((await anyone.get(`/api/v1/verify/${payload}.${flip(signature, 5)}`).expect(200)).body).toEqual({ valid: false });
    expect((await anyone.get(`/api/v1/verify/${flip(payload, 3)}.${signature}`).expect(200)).body).toEqual({ valid: false });
    // altered: the same document claimed as another kind, signature kept
    const [id, , hash] = Buffer.from(payload, 'base64url').toString().split('.');
    const asCompletion = Buffer.from(`${id}.completion.${hash}`).toString('base64url');
    expect((await anyone.get(`/api/v1/verify/${asCompletion}.${signature}`).expect(200)).body).toEqual({ valid: false });
    // forged: a well-formed token signed with another key
    const forged = Buffer.from(`${id}.receipt.${hash}`).toString('base64url');
    const fakeSig = Buffer.alloc(32, 7).toString('base64url');
    expect((await anyone.get(`/api/v1/verify/${forged}.${fakeSig}`).expect(200)).body).toEqual({ valid: false });
    expect((await anyone.get('/api/v1/verify/nonsense').expect(200)).body).toEqual({ valid: false });
    // the signing key never leaves the database
    expect(json).not.toContain((await s.models.SigningKey.findById('changzhou').lean())!.secret);
  });

  it('should issue the decision with the reason and the city\'s remedy wording when the case is rejected', async () => {
    const sub = await applicant.post('/api/v1/cases').send({ matter: 'changzhou-retirement', form: 'changzhou-retirement', data }).expect(201);
    const task = await openTask(hrss, sub.body.no, '企业职工退休审批');
    await hrss.post(`/api/v1/tasks/${task.id}/complete`).send({ outcome: 'rejected', comment: '未达到法定退休年龄' }).expect(200);
    await documentsSettled();
    const docs = (await applicant.get(`/api/v1/cases/${sub.body.id}/documents`).expect(200)).body;
    expect(docs.map((d: { kind: string }) => d.kind)).toEqual(['receipt', 'rejection']);
    const decision = pdfText(await download(applicant, `/api/v1/documents/${docs[1].id}`));
    expect(decision).toContain('不予批准决定书');
    expect(decision).toContain(sub.body.no);
    expect(decision).toContain('理由：未达到法定退休年龄');
    const flat = decision.replace(/\s+/g, '');
    expect(flat).toContain('向常州市人民政府申请行政复议');
    expect(flat).toContain('提起行政诉讼');
    const verdict = (await s.agent().get(`/api/v1/verify/${tokenIn(decision)}`).expect(200)).body;
    expect(verdict).toMatchObject({ valid: true, kind: 'rejection' });
  });

  it('should issue a document lost between the step and its generation at the next look, dated by the step', async () => {
    const lost = (await s.models.OfficialDocument.findOne({ caseId: completed.id, kind: 'completion' }).lean())!;
    await s.models.OfficialDocument.deleteOne({ _id: lost._id }); // as if the process died before generating it
    const docs = (await applicant.get(`/api/v1/cases/${completed.id}/documents`).expect(200)).body;
    const again = docs.find((d: { kind: string }) => d.kind === 'completion');
    expect(again.id).not.toBe(String(lost._id));
    expect(again.issuedAt).toBe(lost.issuedAt.toISOString());
    expect(await s.models.OfficialDocument.countDocuments({ caseId: completed.id })).toBe(2);
  });

  it('should show documents only to who may see the case', async () => {
    const docs = (await applicant.get(`/api/v1/cases/${completed.id}/documents`).expect(200)).body;
    // staff who worked on the case see them; the city's admin too
    const staff = (await hrss.get(`/api/v1/cases/${completed.id}/documents`).expect(200)).body;
    expect(staff.map((d: { id: string }) => d.id)).toEqual(docs.map((d: { id: string }) => d.id));
    await download(hrss, `/api/v1/documents/${docs[0].id}`);
    expect(await s.models.Audit.countDocuments({ action: 'document.downloaded', actor: 'changzhou.hrss' })).toBe(1);

    // another applicant of the same city, staff of a department without a task in it, another city: 404
    const admin = await s.login('changzhou.admin');
    await admin.post('/api/v1/admin/users').send({ username: 'changzhou.applicant2', displayName: '钱示例', password: 'Str0ng-pass', roles: ['applicant'] }).expect(201);
    const stranger = await s.login('changzhou.applicant2', 'Str0ng-pass');
    const health = await s.login('changzhou.health');
    const luan = await s.login('luan.applicant');
    for (const other of [stranger, health, luan]) {
      expect((await other.get(`/api/v1/cases/${completed.id}/documents`).expect(404)).body.error.code).toBe('not-found');
      expect((await other.get(`/api/v1/documents/${docs[0].id}`).expect(404)).body.error.code).toBe('not-found');
      await other.get(`/api/v1/cases/${completed.id}/application.pdf`).expect(404);
    }
    await s.agent().get(`/api/v1/documents/${docs[0].id}`).expect(401);
    await applicant.get('/api/v1/documents/not-an-id').expect(404);
  });

  it('should print the application 一式三份 without the 系统补充项', async () => {
    const text = pdfText(await download(applicant, `/api/v1/cases/${completed.id}/application.pdf`));
    expect(text).toContain('退休“一件事”申请表');
    for (const copy of ['第一份，共三份', '第二份，共三份', '第三份，共三份']) expect(text).toContain(copy);
    expect(text.split('单位全称')).toHaveLength(4); // the form three times
    expect(text).toContain(String(example.unitName));
    expect(text).toContain(String(example.idNumber)); // the applicant's own print is not masked
    expect(text).toContain('男'); // enum value printed by its label
    expect(text).not.toContain('法定退休年月'); // 系统补充项
    expect(text).not.toContain('劳动能力鉴定书'); // 系统补充项
    expect(text).toContain('常州示例纺织厂'); // a table row
    const printed = await s.models.Audit.find({ action: 'application.printed', target: `case:${completed.id}` }).lean();
    expect(printed).toHaveLength(1);

    // staff get the print with personal data masked
    const staffText = pdfText(await download(hrss, `/api/v1/cases/${completed.id}/application.pdf`));
    expect(staffText).not.toContain(String(example.idNumber));
  });
});
