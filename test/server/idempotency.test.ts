/**
 * POST /cases with an Idempotency-Key: a client that lost the answer (a proxy's 502 when the
 * process died, a reset connection) sends the same request again and gets the case the first
 * attempt created, never a second application.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishMini, startTestServer, type TestServer } from './helpers';

const body = { matter: 'mini', form: 'mini-form', data: { name: '孙八', idNumber: '341502196501150039', housingFund: true } };

describe('POST /cases with an Idempotency-Key', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
    await publishMini(s);
  });
  afterAll(async () => { await s?.close(); });

  it('should answer a retry with the case the first attempt created', async () => {
    const applicant = await s.login('luan.applicant');
    const first = await applicant.post('/api/v1/cases').set('Idempotency-Key', 'attempt-1').send(body).expect(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await applicant.post('/api/v1/cases').set('Idempotency-Key', 'attempt-1').send(body).expect(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await s.models.Case.countDocuments({ idempotencyKey: 'attempt-1' })).toBe(1);
    expect(await s.models.Audit.countDocuments({ action: 'case.submit', target: `case:${first.body.no}` })).toBe(1);
  });

  it('should create one case when the same request arrives several times at once', async () => {
    const applicant = await s.login('luan.applicant');
    const answers = await Promise.all(Array.from({ length: 5 }, () => applicant.post('/api/v1/cases').set('Idempotency-Key', 'parallel-1').send(body)));
    for (const a of answers) expect(a.status, JSON.stringify(a.body)).toBe(201);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(await s.models.Case.countDocuments({ idempotencyKey: 'parallel-1' })).toBe(1);
  });

  it('should create a new case for each request without a key, and replay a draft by its key', async () => {
    const luan = await s.login('luan.applicant');
    const a = await luan.post('/api/v1/cases').send(body).expect(201);
    const b = await luan.post('/api/v1/cases').send(body).expect(201);
    expect(a.body.id).not.toBe(b.body.id);
    // a draft is a case too
    const draft = await luan.post('/api/v1/cases').set('Idempotency-Key', 'draft-1').send({ ...body, draft: true }).expect(201);
    const draftAgain = await luan.post('/api/v1/cases').set('Idempotency-Key', 'draft-1').send({ ...body, draft: true }).expect(201);
    expect(draftAgain.body).toEqual(draft.body);
  });

  it('should refuse the same key with a different body (422), and still replay the same body', async () => {
    const applicant = await s.login('luan.applicant');
    const first = await applicant.post('/api/v1/cases').set('Idempotency-Key', 'reuse-1').send(body).expect(201);
    const other = { ...body, data: { ...body.data, name: '周九', housingFund: false } };
    const res = await applicant.post('/api/v1/cases').set('Idempotency-Key', 'reuse-1').send(other).expect(422);
    expect(res.body.error.code).toBe('idempotency-key-reused');
    expect(res.body.error.message).toMatch(/Idempotency-Key/);
    expect(res.headers['idempotent-replayed']).toBeUndefined();
    expect(await s.models.Case.countDocuments({ idempotencyKey: 'reuse-1' })).toBe(1);
    // the same body with its keys in another order is the same request
    const reordered = { data: { housingFund: true, idNumber: body.data.idNumber, name: body.data.name }, form: body.form, matter: body.matter };
    const again = await applicant.post('/api/v1/cases').set('Idempotency-Key', 'reuse-1').send(reordered).expect(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
  });

  it('should refuse a malformed key', async () => {
    const applicant = await s.login('luan.applicant');
    const res = await applicant.post('/api/v1/cases').set('Idempotency-Key', 'has spaces/and:colons').send(body).expect(400);
    expect(res.body.error.code).toBe('bad-idempotency-key');
    expect(res.body.error.message).toMatch(/Idempotency-Key/);
  });
});
