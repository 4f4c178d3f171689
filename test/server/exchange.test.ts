/**
 * 省级数据交换 (issue 23 part 5) against a fake provincial platform started here: 受理, an item's
 * 办结 and the case's 办结 become 办件信息 records with the documented JSON, posted with an HMAC
 * signature; a platform that fails twice gets the record a third time and acknowledges it once;
 * a record sent again is the same record (its id); the admin lists and retries them.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectExchangeRecords, documentsSettled, maskIdNumber, maskName, sendDueExchange, type ExchangeSettings } from '@lianban/server';
import { publishMini, startTestServer, type TestServer } from './helpers';

const KEY = 'test-exchange-key-0123456789';
const IMPL_CODE = '11341500MB1234567K3000117005000';
const data = { name: '张三', idNumber: '341502196501150039', housingFund: false };

interface Received { id: string; timestamp: string; signature: string; body: string; validSignature: boolean }

/** The provincial platform: checks the signature, answers 503 `failures` times, then a receipt per record id (the same one again for a duplicate). */
function fakePlatform() {
  const received: Received[] = [];
  const receipts = new Map<string, string>();
  const state = { failures: 0, key: KEY };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const id = String(req.headers['x-lianban-record-id'] ?? '');
      const timestamp = String(req.headers['x-lianban-timestamp'] ?? '');
      const signature = String(req.headers['x-lianban-signature'] ?? '');
      const expected = `sha256=${crypto.createHmac('sha256', state.key).update(`${timestamp}.${body}`).digest('hex')}`;
      const validSignature = signature.length === expected.length && crypto.timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
      received.push({ id, timestamp, signature, body, validSignature });
      res.setHeader('content-type', 'application/json');
      if (!validSignature) { res.statusCode = 401; res.end(JSON.stringify({ code: 'bad-signature', message: '签名错误' })); return; }
      if (state.failures > 0) { state.failures--; res.statusCode = 503; res.end(JSON.stringify({ code: 'busy', message: '系统繁忙' })); return; }
      if (!receipts.has(id)) receipts.set(id, `RCPT-${receipts.size + 1}`);
      res.end(JSON.stringify({ receiptId: receipts.get(id) }));
    });
  });
  return { server, received, receipts, state };
}

describe('masking the applicant in a record', () => {
  it('should keep the first character of the name and the region and last 4 of the ID number', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskIdNumber('341502196501150039')).toBe('341502********0039');
    expect(maskIdNumber('123')).toBe('');
  });
});

describe('provincial exchange (省级数据交换)', () => {
  let s: TestServer;
  let platform: ReturnType<typeof fakePlatform>;
  let settings: ExchangeSettings;
  let clock = Date.now();
  const now = () => new Date(clock);
  const send = () => sendDueExchange(s.models, settings, { now, limits: { baseDelayMs: 1000 } });

  beforeAll(async () => {
    platform = fakePlatform();
    await new Promise<void>((resolve) => platform.server.listen(0, '127.0.0.1', () => resolve()));
    settings = { endpoint: `http://127.0.0.1:${(platform.server.address() as AddressInfo).port}/api/banjian`, key: KEY };
    s = await startTestServer({ config: { exchange: settings } });
    await publishMini(s);
    const admin = await s.login('luan.admin');
    const draft = (await admin.get('/api/v1/admin/matters/mini').expect(200)).body.draft;
    await admin.put('/api/v1/admin/matters/mini').send({ title: '小事项', forms: draft.forms, flow: draft.flow, linkedItems: draft.linkedItems, implCode: IMPL_CODE }).expect(200);
    await admin.post('/api/v1/admin/matters/mini/publish').expect(200);
  });
  afterAll(async () => {
    await s?.close();
    platform?.server.close();
  });

  let caseId = '';
  let caseNo = '';

  it('should post the 受理 record with the documented JSON and a valid signature, retry the platform\'s failures and keep its receipt once', async () => {
    const applicant = await s.login('luan.applicant');
    const sub = await applicant.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data }).expect(201);
    caseId = sub.body.id;
    caseNo = sub.body.no;
    expect((await s.models.Case.findById(caseId).lean())!.exchangeDue).toBe(true);
    expect(await collectExchangeRecords(s.models, { now: now() })).toBe(1);
    expect((await s.models.Case.findById(caseId).lean())!.exchangeDue).toBeUndefined();

    platform.state.failures = 2;
    expect(await send()).toEqual({ acked: 0, retrying: 1, failed: 0 });
    // not due yet: the backoff holds it
    expect(await send()).toEqual({ acked: 0, retrying: 0, failed: 0 });
    clock += 60_000;
    expect(await send()).toEqual({ acked: 0, retrying: 1, failed: 0 });
    clock += 60_000;
    expect(await send()).toEqual({ acked: 1, retrying: 0, failed: 0 });
    clock += 60_000;
    expect(await send()).toEqual({ acked: 0, retrying: 0, failed: 0 });

    const id = `luan:${caseNo}:accepted`;
    const posts = platform.received.filter((r) => r.id === id);
    expect(posts).toHaveLength(3);
    expect(posts.every((p) => p.validSignature)).toBe(true);
    expect(platform.receipts.size).toBe(1);
    const record = (await s.models.ExchangeRecord.findById(id).lean())!;
    expect(record).toMatchObject({ status: 'acked', attempts: 3, receiptId: 'RCPT-1', responseCode: '200' });
    expect(record.history.map((h) => h.code)).toEqual(['503', '503', '200']);

    const body = JSON.parse(posts[2]!.body);
    // the account's name, its first character only: 演示申请人 → 演****
    const applicantName = (await s.models.Case.findById(caseId).lean())!.applicantName;
    const masked = `${[...applicantName][0]}${'*'.repeat([...applicantName].length - 1)}`;
    expect(masked).toMatch(/^.\*+$/);
    expect(body).toEqual({
      recordId: id, schema: 'lianban.exchange.case-record/1', event: 'accepted',
      city: { code: 'luan', name: expect.stringContaining('六安') }, caseNo, implCode: IMPL_CODE,
      matter: { key: 'mini', title: '小事项', version: expect.any(Number), implCode: IMPL_CODE },
      applicant: { type: '自然人', name: masked, idNumber: '341502********0039' },
      channel: 'online', acceptedAt: expect.any(String), occurredAt: expect.any(String),
      status: { code: 'accepted', name: '受理' },
      departments: [{ code: 'hrss', name: expect.any(String) }],
      items: [{ key: 'retirement-approval', title: '退休审批', implCode: null, department: { code: 'hrss', name: expect.any(String) } }],
    });
    expect(posts[2]!.body).not.toContain('196501'); // the birth date stays home
  });

  it('should send the item\'s and the case\'s 办结 with the result documents and their verification tokens', async () => {
    const hrss = await s.login('luan.hrss');
    const task = (await hrss.get('/api/v1/tasks').expect(200)).body.find((t: { caseNo: string }) => t.caseNo === caseNo);
    await hrss.post(`/api/v1/tasks/${task.id}/complete`).send({ outcome: 'approved' }).expect(200);
    await documentsSettled();
    expect(await collectExchangeRecords(s.models, { now: now() })).toBe(2);
    expect(await send()).toEqual({ acked: 2, retrying: 0, failed: 0 });

    const item = JSON.parse(platform.received.find((r) => r.id === `luan:${caseNo}:item:retirement-approval`)!.body);
    expect(item).toMatchObject({ event: 'item-ended', implCode: IMPL_CODE, status: { code: 'done', name: '办结' }, item: { key: 'retirement-approval', department: { code: 'hrss' } }, result: { outcome: 'approved' } });
    const ended = JSON.parse(platform.received.find((r) => r.id === `luan:${caseNo}:ended`)!.body);
    expect(ended).toMatchObject({ event: 'case-ended', caseNo, status: { code: 'completed', name: '办结（准予）' }, completedAt: expect.any(String) });
    const [doc] = ended.result.documents;
    expect(doc).toMatchObject({ kind: 'completion', id: expect.any(String), verifyToken: expect.any(String) });
    const verified = (await s.agent().get(`/api/v1/verify/${doc.verifyToken}`).expect(200)).body;
    expect(verified).toMatchObject({ valid: true, kind: 'completion' });
  });

  it('should keep every record once: collected again, or posted again after a lost acknowledgement', async () => {
    await s.models.Case.updateOne({ _id: caseId }, { $set: { exchangeDue: true } });
    expect(await collectExchangeRecords(s.models, { now: now() })).toBe(0);
    expect(await s.models.ExchangeRecord.countDocuments({ caseId })).toBe(3);
    // the acknowledgement got lost: the record goes again under the same id, the platform answers its receipt
    const id = `luan:${caseNo}:accepted`;
    await s.models.ExchangeRecord.updateOne({ _id: id }, { $set: { status: 'pending', nextAttemptAt: now() } });
    expect(await send()).toEqual({ acked: 1, retrying: 0, failed: 0 });
    expect((await s.models.ExchangeRecord.findById(id).lean())!.receiptId).toBe('RCPT-1');
    expect(platform.receipts.size).toBe(3);
  });

  it('should fail a record the platform refuses at once, list it for the admin, and send it again on the admin\'s retry', async () => {
    const applicant = await s.login('luan.applicant');
    const sub = await applicant.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data }).expect(201);
    await collectExchangeRecords(s.models, { now: now() });
    platform.state.key = 'another-key-the-platform-expects'; // our signature no longer matches: 401
    expect(await send()).toEqual({ acked: 0, retrying: 0, failed: 1 });
    const id = `luan:${sub.body.no}:accepted`;

    const admin = await s.login('luan.admin');
    const list = (await admin.get('/api/v1/admin/exchange?status=failed').expect(200)).body;
    expect(list).toMatchObject({ enabled: true, endpoint: settings.endpoint });
    expect(list.records).toEqual([expect.objectContaining({ id, caseNo: sub.body.no, event: 'accepted', status: 'failed', attempts: 1, responseCode: '401', implCode: IMPL_CODE })]);
    expect(list.records[0].reason).toContain('签名错误');
    const all = (await admin.get('/api/v1/admin/exchange').expect(200)).body.records;
    expect(all.filter((r: { status: string }) => r.status === 'acked')).toHaveLength(3);
    expect(all.every((r: { id: string }) => r.id.startsWith('luan:'))).toBe(true);
    expect((await (await s.login('changzhou.admin')).get('/api/v1/admin/exchange').expect(200)).body.records).toEqual([]);
    await applicant.get('/api/v1/admin/exchange').expect(403);

    const refused = await admin.post(`/api/v1/admin/exchange/${encodeURIComponent(`luan:${caseNo}:accepted`)}/retry`).expect(409);
    expect(refused.body.error.message).toContain('已被省平台确认接收');
    platform.state.key = KEY;
    const retried = await admin.post(`/api/v1/admin/exchange/${encodeURIComponent(id)}/retry`).expect(200);
    expect(retried.body).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await send()).toEqual({ acked: 1, retrying: 0, failed: 0 });
    expect((await s.models.ExchangeRecord.findById(id).lean())!.status).toBe('acked');
    expect(await s.models.Audit.countDocuments({ tenant: 'luan', action: 'exchange.retry' })).toBe(1);
  });

  it('should report a case the applicant withdrew as ended without a result, and without the reason\'s words', async () => {
    const applicant = await s.login('luan.applicant');
    const sub = await applicant.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data }).expect(201);
    await applicant.post(`/api/v1/cases/${sub.body.id}/withdraw`).send({ reason: '材料准备有误，联系电话13800000000' }).expect(200);
    // 受理 and its end, both new; the end does not wait for a result document (there is none)
    expect(await collectExchangeRecords(s.models, { now: now() })).toBe(2);
    expect(await send()).toEqual({ acked: 2, retrying: 0, failed: 0 });
    const body = platform.received.find((r) => r.id === `luan:${sub.body.no}:ended`)!.body;
    expect(JSON.parse(body)).toMatchObject({ event: 'case-ended', caseNo: sub.body.no, status: { code: 'withdrawn', name: '撤回申请' }, result: { documents: [] } });
    expect(body).not.toContain('13800000000');
    expect((await s.models.Case.findById(sub.body.id).lean())!.exchangeDue).toBeUndefined();
  });
});
