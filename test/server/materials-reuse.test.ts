import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type request from 'supertest';
import { makeResidentId } from '@lianban/runtime';
import { publishMini, startTestServer, type TestServer } from './helpers';
import { licencePdf, startFakeLicenceProvider, type FakeLicenceProvider } from './fake-licence-provider';

type Agent = ReturnType<typeof request.agent>;
const PDF = Buffer.from('%PDF-1.4\n% 身份证 正反面\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const ME = '341502196501150039'; // luan.applicant's ID number (demo seed)
const LISI = makeResidentId('341502', '1964-08-09', 31);

const form = {
  type: 'object', title: '复用测试表',
  properties: {
    name: { type: 'string', title: '姓名', required: true, maxLength: 30, 'x-field-type': 'text' },
    idNumber: { type: 'string', title: '公民身份号码', required: true, 'x-field-type': 'idNumber' },
    housingFund: { type: 'boolean', title: '是否申请提取住房公积金', 'x-field-type': 'yesNo', 'x-linked-item': 'housing-fund-withdrawal' },
    idCard: { type: 'array', title: '居民身份证', 'x-field-type': 'upload', maxItems: 5, required: true, 'x-materials': [{ code: 'id-card', name: '居民身份证', need: 'always' }] },
  },
};

const download = (agent: Agent, fileId: string) => agent.get(`/api/v1/attachments/${fileId}`).buffer(true).parse((res, cb) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
});

describe('materials reuse (免提交)', () => {
  let s: TestServer;
  let fake: FakeLicenceProvider;
  let applicant: Agent;
  let hrss: Agent;
  let lisi: Agent;
  let ended: { id: string; no: string; fileId: string };

  /** A draft of the test matter; `idCard` entries as given. */
  const draft = async (agent: Agent) => (await agent.post('/api/v1/cases').send({ matter: 'reuse', form: 'reuse-form', data: {}, draft: true }).expect(201)).body.id as string;

  beforeAll(async () => {
    fake = await startFakeLicenceProvider([
      { id: 'sfz-0039', kind: '居民身份证', licenceNo: '341502196501150039', issuer: '六安市公安局金安分局', holderIdNumber: ME, validUntil: '2035-01-15', fileName: '居民身份证.pdf', pdf: licencePdf('居民身份证 电子证照') },
      { id: 'hkb-0039', kind: '居民户口簿', licenceNo: 'HK3415020001', issuer: '六安市公安局', holderIdNumber: ME, fileName: '居民户口簿.pdf', pdf: licencePdf('居民户口簿 电子证照') },
      { id: 'sfz-lisi', kind: '居民身份证', licenceNo: LISI, issuer: '六安市公安局', holderIdNumber: LISI, fileName: '李四身份证.pdf', pdf: licencePdf('李四') },
    ]);
    s = await startTestServer({ config: { licence: { endpoint: fake.url, key: fake.key, name: '安徽省电子证照库', timeoutMs: 800 } } });
    await publishMini(s);
    const admin = await s.login('luan.admin');
    await admin.put('/api/v1/admin/forms/reuse-form').send({ title: '复用测试表', schema: form }).expect(200);
    await admin.put('/api/v1/admin/matters/reuse').send({
      title: '复用测试事项', forms: [{ key: 'reuse-form' }], flow: 'mini-flow',
      linkedItems: [
        { key: 'retirement-approval', title: '退休审批', department: 'hrss', mandatory: true },
        { key: 'housing-fund-withdrawal', title: '公积金提取', department: 'housing-fund' },
      ],
    }).expect(200);
    await admin.post('/api/v1/admin/matters/reuse/publish').expect(200);
    await admin.post('/api/v1/admin/users').send({ username: 'luan.lisi', password: 'Li-Si-Passw0rd', roles: ['applicant'], idNumber: LISI }).expect(201);
    [applicant, hrss, lisi] = await Promise.all([s.login('luan.applicant'), s.login('luan.hrss'), s.login('luan.lisi', 'Li-Si-Passw0rd')]);

    // an earlier case of luan.applicant with its 身份证, ended 办结
    const id = await draft(applicant);
    const up = (await applicant.post(`/api/v1/cases/${id}/attachments`).field('material', 'id-card').attach('file', PDF, '身份证.pdf').expect(201)).body;
    await applicant.put(`/api/v1/cases/${id}`).send({ data: { name: '张三', idNumber: ME, housingFund: false, idCard: [{ name: '身份证.pdf', fileId: up.fileId, size: PDF.length, material: 'id-card' }] } }).expect(200);
    const sub = (await applicant.post(`/api/v1/cases/${id}/submit`).expect(200)).body;
    const task = (await hrss.get('/api/v1/tasks').expect(200)).body.find((t: { caseNo: string }) => t.caseNo === sub.no);
    await hrss.post(`/api/v1/tasks/${task.id}/complete`).send({ outcome: 'approved' }).expect(200);
    expect((await applicant.get(`/api/v1/cases/${id}`).expect(200)).body.status).toBe('completed');
    ended = { id, no: sub.no, fileId: up.fileId };
  });
  afterAll(async () => {
    await s?.close();
    await fake?.close();
  });

  it('should offer the 身份证 of the ended case and the licences of the applicant, and nothing of theirs to another applicant', async () => {
    const mine = (await applicant.get('/api/v1/me/materials?material=id-card').expect(200)).body;
    expect(mine.licenceProblem).toBeUndefined();
    expect(mine.materials).toEqual([
      expect.objectContaining({ offer: `case:${ended.fileId}`, source: 'case', material: 'id-card', name: '身份证.pdf', caseId: ended.id, caseNo: ended.no, verifiedAt: expect.any(String) }),
      expect.objectContaining({ offer: 'licence:sfz-0039', source: 'licence', material: 'id-card', kind: '居民身份证', provider: '安徽省电子证照库', licenceNo: '341502196501150039', issuer: '六安市公安局金安分局', validUntil: '2035-01-15' }),
    ]);
    // the platform was asked by the account's ID number with the key
    expect(fake.requests.at(-1)).toMatchObject({ method: 'POST', path: '/licences/query', body: { idNumber: ME, kinds: ['居民身份证'] }, auth: `Bearer ${fake.key}` });
    // the matter's materials: only what its forms collect (id-card), the 户口簿 is not asked for
    const forMatter = (await applicant.get('/api/v1/me/materials?matter=reuse').expect(200)).body.materials;
    expect(forMatter.map((m: { offer: string }) => m.offer)).toEqual([`case:${ended.fileId}`, 'licence:sfz-0039']);
    // all: the 户口簿 too
    expect((await applicant.get('/api/v1/me/materials').expect(200)).body.materials.map((m: { offer: string }) => m.offer)).toContain('licence:hkb-0039');
    // another applicant of the same city sees only their own licence
    const theirs = (await lisi.get('/api/v1/me/materials?material=id-card').expect(200)).body.materials;
    expect(theirs.map((m: { offer: string }) => m.offer)).toEqual(['licence:sfz-lisi']);
    // staff have no materials of their own to reuse
    await hrss.get('/api/v1/me/materials').expect(403);
  });

  it('should reuse the ended case\'s 身份证 in a new case: a copy with its provenance, audited, in the timeline, and filed', async () => {
    const id = await draft(applicant);
    const res = await applicant.post(`/api/v1/cases/${id}/attachments/reuse`).send({ offer: `case:${ended.fileId}` }).expect(201);
    expect(res.body).toMatchObject({ name: '身份证.pdf', size: PDF.length, contentType: 'application/pdf', material: 'id-card', provenance: { source: 'case', caseId: ended.id, caseNo: ended.no, fileId: ended.fileId } });
    expect(res.body.fileId).not.toBe(ended.fileId);
    expect(Buffer.compare((await download(applicant, res.body.fileId).expect(200)).body as Buffer, PDF)).toBe(0);
    // the same offer again gives the same file (no second copy)
    const again = await applicant.post(`/api/v1/cases/${id}/attachments/reuse`).send({ offer: `case:${ended.fileId}` }).expect(201);
    expect(again.body.fileId).toBe(res.body.fileId);
    // filing with it works like an upload
    await applicant.put(`/api/v1/cases/${id}`).send({ data: { name: '张三', idNumber: ME, housingFund: false, idCard: [{ name: '身份证.pdf', fileId: res.body.fileId, size: PDF.length, material: 'id-card' }] } }).expect(200);
    const sub = (await applicant.post(`/api/v1/cases/${id}/submit`).expect(200)).body;
    expect(sub.status).not.toBe('draft');
    // staff see where it came from
    const files = (await hrss.get(`/api/v1/cases/${id}/attachments`).expect(200)).body;
    expect(files).toEqual([expect.objectContaining({ fileId: res.body.fileId, origin: 'case', provenance: expect.objectContaining({ source: 'case', caseNo: ended.no }) })]);
    const earlier = (await hrss.get(`/api/v1/cases/${ended.id}/attachments`).expect(200)).body;
    expect(earlier[0]).toMatchObject({ origin: 'applicant' });
    expect(earlier[0].provenance).toBeUndefined();
    const view = (await applicant.get(`/api/v1/cases/${id}`).expect(200)).body;
    expect(JSON.stringify(view.timeline)).toContain(`复用：办件 ${ended.no}`);
    const audit = await s.models.Audit.find({ action: 'attachment.reuse' }).lean();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'luan.applicant', details: { provenance: { source: 'case', caseNo: ended.no } } });
  });

  it('should not let another applicant reuse someone else\'s file or licence, nor anyone reuse into another\'s case', async () => {
    const theirDraft = await draft(lisi);
    const stolen = await lisi.post(`/api/v1/cases/${theirDraft}/attachments/reuse`).send({ offer: `case:${ended.fileId}` }).expect(404);
    expect(stolen.body.error).toMatchObject({ code: 'not-found', message: expect.stringMatching(/不属于您/) });
    const licence = await lisi.post(`/api/v1/cases/${theirDraft}/attachments/reuse`).send({ offer: 'licence:sfz-0039' }).expect(404);
    expect(licence.body.error.code).toBe('not-found');
    // nor can an account without an ID number (nothing to compare with: the case's owner decides)
    const admin = await s.login('luan.admin');
    await admin.post('/api/v1/admin/users').send({ username: 'luan.wangwu', password: 'Wang-Wu-Passw0rd', roles: ['applicant'] }).expect(201);
    const wangwu = await s.login('luan.wangwu', 'Wang-Wu-Passw0rd');
    expect((await wangwu.get('/api/v1/me/materials?material=id-card').expect(200)).body).toEqual({ materials: [], licenceProblem: expect.stringMatching(/未登记身份证号/) });
    const hisDraft = await draft(wangwu);
    await wangwu.post(`/api/v1/cases/${hisDraft}/attachments/reuse`).send({ offer: `case:${ended.fileId}` }).expect(404);
    await wangwu.post(`/api/v1/cases/${hisDraft}/attachments/reuse`).send({ offer: 'licence:sfz-0039' }).expect(403);
    // another city's applicant does not even see the case
    const far = await s.login('changzhou.applicant');
    await far.post(`/api/v1/cases/${theirDraft}/attachments/reuse`).send({ offer: `case:${ended.fileId}` }).expect(404);
    // nor may the owner of the file put it into lisi's draft
    await applicant.post(`/api/v1/cases/${theirDraft}/attachments/reuse`).send({ offer: `case:${ended.fileId}` }).expect(404);
    // a file of a case that has not ended 办结 is not verified
    const open = await draft(applicant);
    const up = (await applicant.post(`/api/v1/cases/${open}/attachments`).field('material', 'id-card').attach('file', PDF, '新身份证.pdf').expect(201)).body;
    const other = await draft(applicant);
    await applicant.post(`/api/v1/cases/${other}/attachments/reuse`).send({ offer: `case:${up.fileId}` }).expect(404);
    await applicant.post(`/api/v1/cases/${other}/attachments/reuse`).send({ offer: 'nonsense' }).expect(422);
    expect(await s.models.Audit.countDocuments({ action: 'attachment.reuse', actor: 'luan.lisi' })).toBe(0);
  });

  it('should fetch a licence from the 电子证照 platform into a draft, with its provenance', async () => {
    const id = await draft(applicant);
    const res = await applicant.post(`/api/v1/cases/${id}/attachments/reuse`).send({ offer: 'licence:sfz-0039' }).expect(201);
    expect(res.body).toMatchObject({
      name: '居民身份证.pdf', material: 'id-card', contentType: 'application/pdf',
      provenance: { source: 'licence', provider: '安徽省电子证照库', licenceId: 'sfz-0039', licenceNo: '341502196501150039', issuer: '六安市公安局金安分局', kind: '居民身份证', validUntil: '2035-01-15' },
    });
    expect(((await download(applicant, res.body.fileId).expect(200)).body as Buffer).toString()).toContain('居民身份证 电子证照');
    expect(fake.requests.at(-1)).toMatchObject({ method: 'GET', path: '/licences/sfz-0039/file', auth: `Bearer ${fake.key}` });
    const files = (await applicant.get(`/api/v1/cases/${id}/attachments`).expect(200)).body;
    expect(files[0]).toMatchObject({ origin: 'licence' });
  });

  it('should say clearly when the platform is down or slow, and filing still works with an upload', async () => {
    for (const mode of ['down', 'slow'] as const) {
      fake.mode = mode;
      const list = (await applicant.get('/api/v1/me/materials?material=id-card').expect(200)).body;
      // the earlier case's material is still offered; the licences are not, with why
      expect(list.materials.map((m: { source: string }) => m.source)).toEqual(['case']);
      expect(list.licenceProblem).toMatch(mode === 'down' ? /电子证照服务暂时无法使用（错误 503）.*直接上传/ : /电子证照服务暂时无法使用（1 秒内无应答）.*直接上传/);
      const id = await draft(applicant);
      const res = await applicant.post(`/api/v1/cases/${id}/attachments/reuse`).send({ offer: 'licence:sfz-0039' }).expect(502);
      expect(res.body.error).toMatchObject({ code: 'licence-unavailable', message: expect.stringMatching(/电子证照服务暂时无法使用/) });
      // an upload files the case all the same
      const up = (await applicant.post(`/api/v1/cases/${id}/attachments`).field('material', 'id-card').attach('file', PDF, '身份证.pdf').expect(201)).body;
      await applicant.put(`/api/v1/cases/${id}`).send({ data: { name: '张三', idNumber: ME, housingFund: false, idCard: [{ name: '身份证.pdf', fileId: up.fileId, size: PDF.length, material: 'id-card' }] } }).expect(200);
      expect((await applicant.post(`/api/v1/cases/${id}/submit`).expect(200)).body.no).toMatch(/^LA/);
    }
    fake.mode = 'up';
  });
});
