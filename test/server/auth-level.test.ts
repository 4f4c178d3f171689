/**
 * 实名 level per matter: a matter's `minAuthLevel` refuses (403 `auth-level-too-low`) an applicant
 * whose sign-in is below it, at POST /cases and at submit; a password account counts as the level
 * its administrator set (default 1); the window filing for a walk-in citizen is not checked.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeResidentId } from '@lianban/runtime';
import { publishMini, startTestServer, type TestServer } from './helpers';

const LUAN_APPLICANT_ID = '341502196501150039'; // the demo account luan.applicant's
const data = { name: '张三', idNumber: LUAN_APPLICANT_ID, housingFund: false };
const formSchema = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'fixtures', 'mini-form.json'), 'utf8'));

describe('实名 level per matter (minAuthLevel)', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
    await publishMini(s);
    // the same matter, now requiring L2
    const admin = await s.login('luan.admin');
    const draft = (await admin.get('/api/v1/admin/matters/mini').expect(200)).body.draft;
    expect(draft.minAuthLevel).toBeUndefined();
    await admin.put('/api/v1/admin/forms/mini-form').send({ title: '小申请表', schema: formSchema }).expect(200);
    const saved = await admin.put('/api/v1/admin/matters/mini').send({ title: '小事项', forms: draft.forms, flow: draft.flow, linkedItems: draft.linkedItems, minAuthLevel: 2 }).expect(200);
    expect(saved.body.draft.minAuthLevel).toBe(2);
    await admin.post('/api/v1/admin/matters/mini/publish').expect(200);
  });
  afterAll(async () => { await s?.close(); });

  it('should show the required level with the published matter and refuse a level outside 1–3', async () => {
    const applicant = await s.login('luan.applicant');
    const matters = await applicant.get('/api/v1/matters').expect(200);
    expect(matters.body.find((m: { key: string }) => m.key === 'mini')).toMatchObject({ minAuthLevel: 2 });
    expect((await applicant.get('/api/v1/matters/mini').expect(200)).body.minAuthLevel).toBe(2);
    const admin = await s.login('luan.admin');
    const draft = (await admin.get('/api/v1/admin/matters/mini').expect(200)).body.draft;
    await admin.put('/api/v1/admin/matters/mini').send({ title: '小事项', forms: draft.forms, flow: draft.flow, linkedItems: draft.linkedItems, minAuthLevel: 4 }).expect(422);
  });

  it('should refuse a password applicant of level 1 at POST /cases, with the level needed, and accept them once the admin sets level 2', async () => {
    const applicant = await s.login('luan.applicant');
    expect((await applicant.get('/api/v1/me').expect(200)).body.user.authLevel).toBe(1);
    const refused = await applicant.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data }).expect(403);
    expect(refused.body.error).toMatchObject({ code: 'auth-level-too-low', required: 2, current: 1 });
    expect(refused.body.error.message).toContain('L2 级');
    // a draft too: the applicant learns it before filling in the whole form
    await applicant.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data, draft: true }).expect(403);
    expect((await applicant.get('/api/v1/cases').expect(200)).body).toHaveLength(0);

    const admin = await s.login('luan.admin');
    const set = await admin.put('/api/v1/admin/users/luan.applicant').send({ authLevel: 2 }).expect(200);
    expect(set.body.authLevel).toBe(2);
    expect((await applicant.get('/api/v1/me').expect(200)).body.user.authLevel).toBe(2);
    const created = await applicant.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data }).expect(201);
    expect(created.body.no).toMatch(/^LA/);
    await admin.put('/api/v1/admin/users/luan.applicant').send({ authLevel: 0 }).expect(422);
  });

  it('should refuse submitting a draft when the level is too low at submit time', async () => {
    const admin = await s.login('luan.admin');
    await admin.put('/api/v1/admin/users/luan.applicant').send({ authLevel: 2 }).expect(200);
    const applicant = await s.login('luan.applicant');
    const draft = await applicant.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data, draft: true }).expect(201);
    await admin.put('/api/v1/admin/users/luan.applicant').send({ authLevel: 1 }).expect(200);
    const refused = await applicant.post(`/api/v1/cases/${draft.body.id}/submit`).expect(403);
    expect(refused.body.error.code).toBe('auth-level-too-low');
    expect((await applicant.get(`/api/v1/cases/${draft.body.id}`).expect(200)).body.status).toBe('draft');
  });

  it('should say OIDC is off when it is not configured (the sign-in pages then hide its button)', async () => {
    const anyone = s.agent();
    expect((await anyone.get('/api/v1/auth/oidc').expect(200)).body).toEqual({ enabled: false, cities: [] });
    const page = await anyone.get('/api/v1/auth/oidc/login?city=luan').expect(404);
    expect(page.text).toContain('未开启统一身份认证登录');
    expect((await anyone.get('/api/v1/ready').expect(200)).body.oidc).toBeUndefined();
  });

  it('should let the window file for a walk-in citizen whatever the level (verified in person)', async () => {
    const window = await s.login('luan.window');
    const idNumber = makeResidentId('341502', '1964-03-02', 17);
    await window.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data: { name: '钱七', idNumber }, onBehalfOf: { idNumber, name: '钱七', phone: '13900139111' } }).expect(201);
  });
});
