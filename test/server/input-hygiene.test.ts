import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type request from 'supertest';
import { publishMini, startTestServer, type TestServer } from './helpers';

type Agent = ReturnType<typeof request.agent>;

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const valid = { name: '张三', idNumber: '341502196501150039', housingFund: false };

describe('input hygiene: deep JSON, keys, control characters, bidi overrides, NFC', () => {
  let s: TestServer;
  let applicant: Agent;
  beforeAll(async () => {
    s = await startTestServer();
    await publishMini(s);
    applicant = await s.login('luan.applicant');
  });
  afterAll(async () => { await s?.close(); });

  it('should answer 400 invalid-json to a 3,000-level body, on a submission and a draft alike', async () => {
    const deep = '{"a":'.repeat(3000) + '1' + '}'.repeat(3000);
    const body = `{"matter":"mini","form":"mini-form","data":{"name":"张三","x":${deep}}}`;
    for (const res of [
      await applicant.post('/api/v1/cases').set('content-type', 'application/json').send(body),
      await applicant.post('/api/v1/cases').set('content-type', 'application/json').send(body.replace('"data"', '"draft":true,"data"')),
      await applicant.post('/api/v1/cases').set('content-type', 'application/json').send('['.repeat(3000) + ']'.repeat(3000)),
    ]) {
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid-json');
      expect(res.body.error.message).toMatch(/嵌套过深/);
    }
    // 64 levels are fine (the form refuses the unknown field: 422, not 400)
    const ok = '{"a":'.repeat(60) + '1' + '}'.repeat(60);
    await applicant.post('/api/v1/cases').set('content-type', 'application/json')
      .send(`{"matter":"mini","form":"mini-form","data":{"name":"张三","x":${ok}}}`).expect(422);
  });

  it('should answer 400 invalid-json to a key with a NUL or a leading $, and store nothing', async () => {
    const before = await s.models.Case.countDocuments();
    for (const data of [{ ...valid, 'na\u0000me': 'x' }, { ...valid, nested: { 'a\u0000': 1 } }, { ...valid, $where: 'sleep(1000)' }]) {
      const res = await applicant.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data, draft: true });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'invalid-json', message: expect.stringMatching(/不允许的字段名/) });
    }
    const login = await s.agent().post('/api/v1/auth/login').send({ username: 'luan.applicant', 'pass\u0000word': 'x' });
    expect(login.status).toBe(400);
    expect(await s.models.Case.countDocuments()).toBe(before);
  });

  it('should store text without control characters and bidi overrides, in NFC', async () => {
    // given a name with a right-to-left override, a NUL, a bell, a zero-width isolate and a decomposed é (e + U+0301)
    const name = '张\u202E三\u0000\u0007\u2066 Zoe\u0301\u2069';
    const sub = await applicant.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data: { ...valid, name } }).expect(201);
    // then it is stored and read back cleaned and composed
    const back = await applicant.get(`/api/v1/cases/${sub.body.id}`).expect(200);
    expect(back.body.data.name).toBe('张三 Zo\u00e9');
    expect(back.body.data.name).toBe(back.body.data.name.normalize('NFC'));
    const stored = await s.models.Case.findById(sub.body.id).lean();
    expect(stored!.data.name).toBe('张三 Zo\u00e9');
  });

  it('should keep newlines and tabs in text', async () => {
    const { sanitizeText } = await import('@lianban/runtime');
    expect(sanitizeText('第一行\n\t第二行\r\u001B[31m')).toBe('第一行\n\t第二行[31m');
  });

  it('should clean uploaded file names the same way', async () => {
    const draft = await applicant.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data: { name: '李四' }, draft: true }).expect(201);
    // `社保卡‮fdp.exe` shows as `社保卡exe.pdf` in a right-to-left-unaware list
    const up = await applicant.post(`/api/v1/cases/${draft.body.id}/attachments`).attach('file', PDF, '社保卡\u202Efdp.exe\u2069.pdf').expect(201);
    expect(up.body.name).toBe('社保卡fdp.exe.pdf');
    const decomposed = await applicant.post(`/api/v1/cases/${draft.body.id}/attachments`).attach('file', PDF, 'Rene\u0301.pdf').expect(201);
    expect(decomposed.body.name).toBe('Ren\u00e9.pdf');
  });
});
