/**
 * Document templates as data (docs/documents.md): the city admin lists, reads and saves its
 * templates (validated: known placeholders only, sizes, the kind's key; versioned; audited; own
 * city only), previews one as PDF without saving, and adds a kind of its own that issueDocument
 * issues. A document uses the version in force at the date it states and records it: a case
 * received before an edit keeps the old wording, a new one gets the new (read back with pdftotext).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type request from 'supertest';
import { documentsSettled, issueDocument } from '@lianban/server';
import { publishMini, startTestServer, type TestServer } from './helpers';
import { binary, pdfText } from '../pdf';

type Agent = ReturnType<typeof request.agent>;
const DATA = { name: '王五', idNumber: '341502196501150039', housingFund: false };


describe('document templates', () => {
  let s: TestServer;
  let admin: Agent;
  let applicant: Agent;
  beforeAll(async () => {
    s = await startTestServer();
    await publishMini(s);
    [admin, applicant] = await Promise.all([s.login('luan.admin'), s.login('luan.applicant')]);
  });
  afterAll(async () => {
    await documentsSettled();
    await s?.close();
  });

  const submit = async () => (await applicant.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data: DATA }).expect(201)).body as { id: string; no: string };
  /** The receipt's text, issuing it (its first reading). */
  async function receiptText(caseId: string): Promise<{ text: string; version?: number }> {
    const docs = (await applicant.get(`/api/v1/cases/${caseId}/documents`).expect(200)).body as { id: string; kind: string }[];
    const receipt = docs.find((d) => d.kind === 'receipt')!;
    const pdf = (await applicant.get(`/api/v1/documents/${receipt.id}`).buffer(true).parse(binary).expect(200)).body as Buffer;
    const stored = await s.models.OfficialDocument.findById(receipt.id).select('templateVersion').lean();
    return { text: pdfText(pdf, { squash: true }), version: stored!.templateVersion };
  }

  it('should list the city\'s templates seeded from the shipped files, with the placeholders, to its admin only', async () => {
    const list = (await admin.get('/api/v1/admin/document-templates').expect(200)).body;
    expect(list.templates.map((t: { kind: string }) => t.kind)).toEqual(expect.arrayContaining(['receipt', 'rejection', 'completion', 'correction']));
    expect(list.templates.find((t: { kind: string }) => t.kind === 'receipt')).toMatchObject({ name: '受理回执', title: '受理回执', version: 1, builtIn: true });
    expect(list.placeholders.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['caseNo', 'applicantName', 'items', 'corrections']));
    const receipt = (await admin.get('/api/v1/admin/document-templates/receipt').expect(200)).body;
    expect(receipt.paragraphs).toContain('{{items}}');
    await (await s.login('luan.hrss')).get('/api/v1/admin/document-templates').expect(403);
    await applicant.get('/api/v1/admin/document-templates/receipt').expect(403);
    expect((await admin.get('/api/v1/admin/document-templates/Bad_Kind').expect(422)).body.error.errors[0].path).toBe('kind');
    await admin.get('/api/v1/admin/document-templates/no-such-kind').expect(404);
  });

  it('should refuse unknown placeholders naming them, and oversized or empty templates', async () => {
    const bad = await admin.put('/api/v1/admin/document-templates/receipt').send({ title: '受理回执', paragraphs: ['{{applicantName}}：', '编号 {{caseNumber}}，{{ foo }}'] }).expect(422);
    expect(bad.body.error.code).toBe('invalid');
    expect(bad.body.error.message).toContain('{{caseNumber}}');
    expect(bad.body.error.message).toContain('{{foo}}');
    expect(bad.body.error.errors).toEqual([{ path: 'paragraphs.1', message: expect.stringContaining('未知的占位符') }]);
    await admin.put('/api/v1/admin/document-templates/receipt').send({ title: '受理回执', paragraphs: ['x'.repeat(4001)] }).expect(422);
    await admin.put('/api/v1/admin/document-templates/receipt').send({ title: '受理回执', paragraphs: Array(61).fill('x') }).expect(422);
    await admin.put('/api/v1/admin/document-templates/receipt').send({ title: '', paragraphs: ['x'] }).expect(422);
    await admin.put('/api/v1/admin/document-templates/receipt').send({ title: '受理回执', paragraphs: ['  '] }).expect(422);
    await admin.put('/api/v1/admin/document-templates/receipt').send({ title: '受理回执', paragraphs: ['未闭合 {{caseNo'] }).expect(422);
    expect((await admin.get('/api/v1/admin/document-templates/receipt').expect(200)).body.version).toBe(1);
  });

  it('should preview a template as PDF with an example case, without saving it', async () => {
    const res = await admin.post('/api/v1/admin/document-templates/receipt/preview')
      .send({ template: { title: '受理回执', paragraphs: ['{{applicantName}}：', '预览用语 {{caseNo}}', '{{items}}', '{{unknownThing}}'] } })
      .buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const text = pdfText(res.body as Buffer, { squash: true });
    expect(text).toContain('受理回执（样张）');
    expect(text).toContain('张三（示例）');
    expect(text).toMatch(/预览用语[A-Z]{2}202601050001/);
    expect(text).toContain('1.退休审批');
    expect(text).toContain('{{unknownThing}}'); // left visible, as the editor names it
    expect((await admin.get('/api/v1/admin/document-templates/receipt').expect(200)).body.version).toBe(1);
    await applicant.post('/api/v1/admin/document-templates/receipt/preview').send({ template: { title: 'x', paragraphs: [] } }).expect(403);
  });

  it('should save a new version, audited, used by documents stating a later date; earlier cases keep the old wording', async () => {
    const before = await submit();
    const issuedBefore = await submit();
    const old = await receiptText(issuedBefore.id);
    expect(old.text).toContain('材料齐全、符合法定形式');
    expect(old.version).toBe(1);

    const current = (await admin.get('/api/v1/admin/document-templates/receipt').expect(200)).body as { title: string; paragraphs: string[] };
    const paragraphs = current.paragraphs.map((p) => p.replace('材料齐全、符合法定形式，本机关决定予以受理', '经本中心审核，已正式受理（新版用语）'));
    const saved = await admin.put('/api/v1/admin/document-templates/receipt').send({ title: '受理回执', paragraphs, baseVersion: 1 }).expect(200);
    expect(saved.body).toMatchObject({ version: 2, updatedBy: 'luan.admin' });
    expect(saved.body.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    const record = await s.models.Audit.findOne({ action: 'document-template.saved', target: 'document-template:receipt' }).lean();
    expect(record).toMatchObject({ tenant: 'luan', actor: 'luan.admin', details: { kind: 'receipt', version: 2 } });
    // the same edit saved again from the old version: 409; unchanged content adds no version
    expect((await admin.put('/api/v1/admin/document-templates/receipt').send({ title: '受理回执', paragraphs, baseVersion: 1 }).expect(409)).body.error.code).toBe('moved-on');
    expect((await admin.put('/api/v1/admin/document-templates/receipt').send({ title: '受理回执', paragraphs }).expect(200)).body.version).toBe(2);

    // a new case's receipt has the new wording
    const after = await submit();
    const fresh = await receiptText(after.id);
    expect(fresh.text).toContain('经本中心审核，已正式受理（新版用语）');
    expect(fresh.version).toBe(2);
    // the receipt issued before is unchanged, and one first read now keeps its submission day's wording
    expect((await receiptText(issuedBefore.id)).text).toBe(old.text);
    const late = await receiptText(before.id);
    expect(late.text).toContain('材料齐全、符合法定形式');
    expect(late.text).not.toContain('新版用语');
    expect(late.version).toBe(1);

    // another city's templates are its own
    const changzhou = (await (await s.login('changzhou.admin')).get('/api/v1/admin/document-templates/receipt').expect(200)).body;
    expect(changzhou.version).toBe(1);
  });

  it('should add a kind of the city\'s own that issueDocument issues, and refuse a taken key', async () => {
    const body = {
      kind: 'pension-notice', title: '退休待遇核定通知',
      paragraphs: ['{{applicantName}}：', '您的「{{matterTitle}}」（办件编号 {{caseNo}}）已核定退休待遇，各事项结果如下：', '{{items}}'],
    };
    const created = await admin.post('/api/v1/admin/document-templates').send(body).expect(201);
    expect(created.body).toMatchObject({ kind: 'pension-notice', version: 1, builtIn: false, name: '退休待遇核定通知' });
    expect((await admin.post('/api/v1/admin/document-templates').send(body).expect(409)).body.error.code).toBe('exists');
    await admin.post('/api/v1/admin/document-templates').send({ ...body, kind: 'Pension Notice' }).expect(422);
    await admin.post('/api/v1/admin/document-templates').send({ ...body, kind: 'other', paragraphs: ['{{pension}}'] }).expect(422);
    expect(await s.models.Audit.countDocuments({ action: 'document-template.created', target: 'document-template:pension-notice' })).toBe(1);

    const { id, no } = await submit();
    const caseDoc = (await s.models.Case.findById(id).lean())!;
    const issued = await issueDocument({ models: s.models, conn: s.db.connection! }, caseDoc, 'pension-notice');
    expect(issued).toMatchObject({ kind: 'pension-notice', title: '退休待遇核定通知', created: true });
    const pdf = (await applicant.get(`/api/v1/documents/${issued.id}`).buffer(true).parse(binary).expect(200)).body as Buffer;
    const text = pdfText(pdf, { squash: true });
    expect(text).toContain('退休待遇核定通知');
    expect(text).toContain(`（办件编号${no}）已核定退休待遇`);
    expect(text).toContain('1.退休审批');
  });
});
