/**
 * 窗口收件与帮办代办: window staff file a case for a walk-in citizen (optionally through an
 * agent with the 授权委托书); the citizen's account with that ID number owns and follows it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type request from 'supertest';
import { makeResidentId } from '@lianban/runtime';
import { publishMini, startTestServer, type TestServer } from './helpers';

type Agent = ReturnType<typeof request.agent>;
const PDF = Buffer.from('%PDF-1.4\n% 授权委托书\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const LUAN_APPLICANT_ID = '341502196501150039'; // the demo account luan.applicant's
const citizen = { idNumber: LUAN_APPLICANT_ID, name: '张三', phone: '13800138000' };
const data = { name: '张三', idNumber: LUAN_APPLICANT_ID, housingFund: false };
const agentOf = { name: '张小明', idNumber: makeResidentId('341502', '1990-03-04', 12), relation: '子女' };

describe('counter intake (窗口收件)', () => {
  let s: TestServer;
  let window: Agent;
  beforeAll(async () => {
    s = await startTestServer();
    await publishMini(s);
    window = await s.login('luan.window');
  });
  afterAll(async () => { await s?.close(); });

  it('should file a case at the window that the citizen account with that ID number sees and follows', async () => {
    // given a walk-in citizen who came in person
    const res = await window.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data, onBehalfOf: citizen }).expect(201);
    expect(res.body.no).toMatch(/^LA/);
    // then the window sees what it filed: channel, citizen, who filed it
    const seen = await window.get(`/api/v1/cases/${res.body.id}`).expect(200);
    expect(seen.body).toMatchObject({ channel: 'window', applicantName: '张三', filedBy: { username: 'luan.window' } });
    expect(seen.body.onBehalfOf.idNumber).toBe('341502************');
    expect(seen.body.timeline.map((t: { action: string }) => t.action)).toEqual(expect.arrayContaining(['case.filed-at-window', 'case.submitted']));
    // and the citizen, signed in, finds it in their list and sees it whole
    const owner = await s.login('luan.applicant');
    const list = await owner.get('/api/v1/cases').expect(200);
    expect(list.body.map((c: { id: string }) => c.id)).toContain(res.body.id);
    const mine = await owner.get(`/api/v1/cases/${res.body.id}`).expect(200);
    expect(mine.body).toMatchObject({ channel: 'window', masked: false, onBehalfOf: citizen });
    // and the audit says who filed it for whom
    const audit = await s.models.Audit.findOne({ action: 'case.submit', target: `case:${res.body.no}` }).lean();
    expect(audit).toMatchObject({ actor: 'luan.window', details: { channel: 'window', onBehalfOf: { idNumber: LUAN_APPLICANT_ID }, filedBy: 'luan.window' } });
    // an applicant's own online case says so
    const online = await owner.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data }).expect(201);
    expect((await owner.get(`/api/v1/cases/${online.body.id}`).expect(200)).body.channel).toBe('online');
  });

  it('should give a case filed before the citizen had an account to the account made later with their ID number', async () => {
    const idNumber = makeResidentId('341502', '1964-08-09', 31);
    const draft = await window.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data: { name: '李四', idNumber }, draft: true, onBehalfOf: { idNumber, name: '李四', phone: '13900139000' } }).expect(201);
    await window.post(`/api/v1/cases/${draft.body.id}/attachments`).attach('file', PDF, '身份证.pdf').expect(201);
    const res = await window.post(`/api/v1/cases/${draft.body.id}/submit`).expect(200);
    // the receipt lists the files received, while no account is the case's yet
    const received = await window.get(`/api/v1/cases/${res.body.id}/attachments`).expect(200);
    expect(received.body).toMatchObject([{ name: '身份证.pdf', uploadedBy: 'luan.window', origin: 'window' }]);
    const admin = await s.login('luan.admin');
    await admin.post('/api/v1/admin/users').send({ username: 'luan.lisi', password: 'Li-Si-Passw0rd', roles: ['applicant'], idNumber }).expect(201);
    // a second account with the same ID number is refused
    await admin.post('/api/v1/admin/users').send({ username: 'luan.lisi2', password: 'Li-Si-Passw0rd', roles: ['applicant'], idNumber }).expect(409);
    await admin.post('/api/v1/admin/users').send({ username: 'luan.wrongid', password: 'Li-Si-Passw0rd', roles: ['applicant'], idNumber: '341502196408090311' }).expect(422);
    const lisi = await s.login('luan.lisi', 'Li-Si-Passw0rd');
    const list = await lisi.get('/api/v1/cases').expect(200);
    expect(list.body.map((c: { id: string }) => c.id)).toEqual([res.body.id]);
    const view = await lisi.get(`/api/v1/cases/${res.body.id}`).expect(200);
    expect(view.body.timeline.at(-1)).toMatchObject({ action: 'case.linked-to-account', actor: 'luan.lisi' });
    // the 受理 notification went with it
    const notes = await lisi.get('/api/v1/notifications').expect(200);
    expect(notes.body.some((n: { caseId: string }) => n.caseId === res.body.id)).toBe(true);
    // another applicant does not see it
    const other = await s.login('luan.applicant');
    await other.get(`/api/v1/cases/${res.body.id}`).expect(404);
  });

  it('should let only window staff file for someone else', async () => {
    const hrss = await s.login('luan.hrss');
    const refused = await hrss.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data, onBehalfOf: citizen }).expect(403);
    expect(refused.body.error.code).toBe('forbidden');
    await hrss.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data }).expect(403);
    const applicant = await s.login('luan.applicant');
    await applicant.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data, onBehalfOf: citizen }).expect(403);
    // window staff cannot file for themselves
    await window.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data }).expect(403);
  });

  it('should refuse wrong ID numbers and missing names with 422 in Chinese', async () => {
    const bad = await window.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data, onBehalfOf: { ...citizen, idNumber: '341502196501150038' } }).expect(422);
    expect(bad.body.error.errors).toEqual([{ path: 'onBehalfOf.idNumber', message: '公民身份号码校验位不正确' }]);
    const badAgent = await window.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data, onBehalfOf: citizen, agent: { ...agentOf, idNumber: '12345', name: '' } }).expect(422);
    expect(badAgent.body.error.errors.map((e: { path: string }) => e.path)).toEqual(['agent.idNumber', 'agent.name']);
    expect(badAgent.body.error.message).toMatch(/代办人/);
    const phone = await window.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data, onBehalfOf: { ...citizen, phone: '123' } }).expect(422);
    expect(phone.body.error.errors[0].path).toBe('onBehalfOf.phone');
    await window.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data, agent: agentOf }).expect(422);
  });

  it('should require the 授权委托书 when an agent files for the citizen', async () => {
    // straight away: there can be no 委托书 yet
    const direct = await window.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data, onBehalfOf: citizen, agent: agentOf }).expect(422);
    expect(direct.body.error.errors).toEqual([{ path: 'materials.authorization-letter', message: '请上传授权委托书' }]);
    // as a draft: the window uploads the letter (and only the filer may), then submits
    const draft = await window.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data: {}, draft: true, onBehalfOf: citizen, agent: agentOf }).expect(201);
    await window.put(`/api/v1/cases/${draft.body.id}`).send({ data }).expect(200);
    await window.post(`/api/v1/cases/${draft.body.id}/submit`).expect(422);
    const hrss = await s.login('luan.hrss');
    await hrss.post(`/api/v1/cases/${draft.body.id}/attachments`).field('material', 'authorization-letter').attach('file', PDF, '委托书.pdf').expect(404);
    await window.post(`/api/v1/cases/${draft.body.id}/attachments`).field('material', 'authorization-letter').attach('file', PDF, '授权委托书.pdf').expect(201);
    const done = await window.post(`/api/v1/cases/${draft.body.id}/submit`).expect(200);
    expect(done.body.no).toMatch(/^LA/);
    const owner = await s.login('luan.applicant');
    const view = await owner.get(`/api/v1/cases/${draft.body.id}`).expect(200);
    // the citizen sees their own number in full, the agent's (another person's) masked as the receipt prints it
    expect(view.body.onBehalfOf.idNumber).toBe(citizen.idNumber);
    expect(view.body.agent).toEqual({ ...agentOf, idNumber: `${agentOf.idNumber.slice(0, 6)}************` });
    const revealed = await hrss.post(`/api/v1/cases/${draft.body.id}/reveal`).expect(200);
    expect(revealed.body.agent).toEqual(agentOf);
    expect(view.body.timeline.find((t: { action: string }) => t.action === 'case.filed-at-window').detail).toBe('窗口收件：申请人 张三，代办人 张小明（子女）');
    const files = await owner.get(`/api/v1/cases/${draft.body.id}/attachments`).expect(200);
    expect(files.body).toEqual([expect.objectContaining({ name: '授权委托书.pdf', material: 'authorization-letter', uploadedBy: 'luan.window' })]);
  });
});
