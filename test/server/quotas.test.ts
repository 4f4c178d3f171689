/**
 * Storage quotas (issue 17, finding 7): open drafts per applicant, attachment bytes per case and
 * per applicant in 24 hours — 429 `quota-exceeded` with a Chinese message. Small limits through
 * the configuration keep the test fast; the defaults are 20 drafts, 100 MB and 200 MB.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv } from '@lianban/server';
import { publishMini, startTestServer, type TestServer } from './helpers';

const pdf = (bytes: number) => Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(bytes - 9, 0x20)]);
const draft = { matter: 'mini', form: 'mini-form', data: {}, draft: true };

describe('storage quotas', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ config: { quotas: { draftsPerApplicant: 3, caseAttachmentBytes: 10_000, applicantDailyBytes: 25_000 } } });
    await publishMini(s);
  });
  afterAll(async () => { await s?.close(); });

  it('should refuse a draft over the open-drafts limit, and take one again once a draft is discarded or submitted', async () => {
    const luan = await s.login('luan.applicant');
    const stranger = await s.login('changzhou.applicant');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await luan.post('/api/v1/cases').send(draft).expect(201)).body.id);
    const res = await luan.post('/api/v1/cases').send(draft).expect(429);
    expect(res.body.error).toMatchObject({ code: 'quota-exceeded', message: '您的草稿已达 3 份上限，请先提交或删除不需要的草稿' });
    expect(await s.models.Case.countDocuments({ applicant: (await s.models.User.findOne({ username: 'luan.applicant' }).lean())!._id.toString(), status: 'draft' })).toBe(3);
    // a submission is not a draft: it is not limited by the drafts quota
    await luan.post('/api/v1/cases').send({ ...draft, draft: false, data: { name: '张三', idNumber: '341502196501150039' } }).expect(201);
    // discarding one makes room; another's draft cannot be discarded
    await stranger.post(`/api/v1/cases/${ids[0]}/discard`).expect(404);
    await luan.post(`/api/v1/cases/${ids[0]}/discard`).expect(200);
    expect(await s.models.Case.exists({ _id: ids[0] })).toBeNull();
    await luan.post('/api/v1/cases').send(draft).expect(201);
  });

  it('should refuse an upload over the bytes per case, then over the bytes per applicant in 24 hours', async () => {
    const applicant = await s.login('luan.applicant');
    await s.models.Case.deleteMany({ status: 'draft' });
    const a = (await applicant.post('/api/v1/cases').send(draft).expect(201)).body.id;
    await applicant.post(`/api/v1/cases/${a}/attachments`).attach('file', pdf(6_000), 'a1.pdf').expect(201);
    const over = await applicant.post(`/api/v1/cases/${a}/attachments`).attach('file', pdf(6_000), 'a2.pdf').expect(429);
    expect(over.body.error.code).toBe('quota-exceeded');
    expect(over.body.error.message).toMatch(/本办件的材料已达/);
    await applicant.post(`/api/v1/cases/${a}/attachments`).attach('file', pdf(4_000), 'a3.pdf').expect(201);
    // 10,000 bytes today so far: two more cases take 8,000 each until 25,000 is passed
    const b = (await applicant.post('/api/v1/cases').send(draft).expect(201)).body.id;
    const c = (await applicant.post('/api/v1/cases').send(draft).expect(201)).body.id;
    await applicant.post(`/api/v1/cases/${b}/attachments`).attach('file', pdf(8_000), 'b.pdf').expect(201);
    const daily = await applicant.post(`/api/v1/cases/${c}/attachments`).attach('file', pdf(8_000), 'c.pdf').expect(429);
    expect(daily.body.error).toMatchObject({ code: 'quota-exceeded', quota: 'daily-uploads' });
    expect(daily.body.error.message).toMatch(/24 小时内上传的材料已达/);
    expect(await s.db.connection!.db!.collection('attachments.files').countDocuments({ 'metadata.caseId': c })).toBe(0);
  });

  it('should read the quotas from the environment', () => {
    const config = configFromEnv({ LIANBAN_MAX_DRAFTS: '5', LIANBAN_MAX_CASE_UPLOAD_MB: '50', LIANBAN_MAX_DAILY_UPLOAD_MB: '0.5' });
    expect(config.quotas).toEqual({ draftsPerApplicant: 5, caseAttachmentBytes: 50 * 1024 * 1024, applicantDailyBytes: 512 * 1024 });
    expect(() => configFromEnv({ LIANBAN_MAX_DRAFTS: '-1' })).toThrow(/LIANBAN_MAX_DRAFTS/);
  });
});
