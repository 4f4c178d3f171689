/**
 * New cities without code (issue 22 part 1): the platform operator lists and creates cities
 * (`/platform/cities`), optionally copying another city's departments and published matters;
 * the new city's administrator gets a one-time password that must be changed before anything
 * else (`POST /auth/password`, 403 `password-change-required`), as must a password an
 * administrator resets. The operator reaches no city's cases, forms or accounts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type request from 'supertest';
import { loadCity } from '@lianban/templates';
import { seedDemoTemplates } from '@lianban/server';
import { startTestServer, type TestServer } from './helpers';

type Agent = ReturnType<typeof request.agent>;
const NEW_PASSWORD = 'Wuhu-Adm1n-2026';

describe('cities (operator)', () => {
  let s: TestServer;
  let operator: Agent;

  beforeAll(async () => {
    s = await startTestServer();
    await seedDemoTemplates(s.models);
    operator = await s.login('platform.operator');
  });
  afterAll(async () => { await s?.close(); });

  it('should list the cities with their counts', async () => {
    const list = (await operator.get('/api/v1/platform/cities').expect(200)).body as { key: string; counts: Record<string, number> }[];
    expect(list.map((c) => c.key)).toEqual(['changzhou', 'luan']);
    // the demo cities name their provinces too
    expect(Object.fromEntries((list as unknown as { key: string; province: string }[]).map((c) => [c.key, c.province]))).toEqual({ changzhou: '江苏省', luan: '安徽省' });
    const cz = list.find((c) => c.key === 'changzhou')!;
    expect(cz.counts.departments).toBe(await s.models.Department.countDocuments({ tenant: 'changzhou' }));
    expect(cz.counts.users).toBe(await s.models.User.countDocuments({ tenant: 'changzhou' }));
    expect(cz.counts.matters).toBeGreaterThan(0);
    expect(cz.counts.cases).toBe(0);
    // the platform itself is no city
    expect(list.some((c) => c.key === 'platform')).toBe(false);
  });

  it('should let the operator reach no city route, and no one but the operator reach /platform', async () => {
    for (const path of ['/cases', '/tasks', '/admin/users', '/admin/forms', '/admin/departments', '/matters']) {
      const res = await operator.get(`/api/v1${path}`);
      expect(res.status, path).toBe(403);
    }
    const me = (await operator.get('/api/v1/me').expect(200)).body;
    expect(me.user).toMatchObject({ username: 'platform.operator', roles: ['operator'], tenant: 'platform' });
    const admin = await s.login('luan.admin');
    await admin.get('/api/v1/platform/cities').expect(403);
    await admin.post('/api/v1/platform/cities').send({ key: 'hefei', name: '合肥市', province: '安徽省' }).expect(403);
  });

  it('should refuse bad keys in Chinese on `key`', async () => {
    for (const key of ['WuHu', 'wu hu', 'wu-hu', 'w', 'platform', 'luan', '芜湖']) {
      const res = await operator.post('/api/v1/platform/cities').send({ key, name: '芜湖市', province: '安徽省' });
      expect([409, 422], key).toContain(res.status);
      expect(res.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
      if (res.status === 422 && res.body.error.errors) expect(res.body.error.errors[0].path).toBe('key');
    }
    expect((await operator.post('/api/v1/platform/cities').send({ key: 'luan', name: '六安', province: '安徽省' })).body.error.code).toBe('exists');
    const unknown = await operator.post('/api/v1/platform/cities').send({ key: 'wuhu', name: '芜湖市', province: '安徽省', copyFrom: 'nowhere' }).expect(422);
    expect(unknown.body.error.errors[0].path).toBe('copyFrom');
    expect(await s.models.Tenant.exists({ _id: 'wuhu' })).toBeNull();
  });

  it('should create an empty city whose admin must change the one-time password first', async () => {
    const res = await operator.post('/api/v1/platform/cities').send({ key: 'wuhu', name: '芜湖市', province: '安徽省' }).expect(201);
    expect(res.body.city).toMatchObject({ key: 'wuhu', name: '芜湖市', province: '安徽省', counts: { departments: 0, users: 1, matters: 0, cases: 0 } });
    expect(res.body.admin.username).toBe('wuhu.admin');
    const oneTime = res.body.admin.password as string;
    expect(oneTime.length).toBeGreaterThanOrEqual(10);
    // audited, without the password
    const record = await s.models.Audit.findOne({ action: 'city.create', target: 'tenant:wuhu' }).lean();
    expect(record).toMatchObject({ actor: 'platform.operator', tenant: 'platform' });
    expect(JSON.stringify(record)).not.toContain(oneTime);
    // the list shows it; the key cannot be taken twice
    expect(((await operator.get('/api/v1/platform/cities').expect(200)).body as { key: string }[]).map((c) => c.key)).toContain('wuhu');
    await operator.post('/api/v1/platform/cities').send({ key: 'wuhu', name: '芜湖市', province: '安徽省' }).expect(409);

    const admin = await s.login('wuhu.admin', oneTime);
    const me = (await admin.get('/api/v1/me').expect(200)).body;
    expect(me).toMatchObject({ user: { mustChangePassword: true, roles: ['admin'] }, tenant: { key: 'wuhu', name: '芜湖市' } });
    const blocked = await admin.get('/api/v1/admin/departments').expect(403);
    expect(blocked.body.error.code).toBe('password-change-required');
    await admin.post('/api/v1/admin/departments').send({ key: 'hrss', name: '人社' }).expect(403);
    // the policy applies; the current password must be right
    expect((await admin.post('/api/v1/auth/password').send({ current: oneTime, next: 'short' }).expect(422)).body.error.errors[0].path).toBe('next');
    expect((await admin.post('/api/v1/auth/password').send({ current: 'Wrong-Passw0rd', next: NEW_PASSWORD }).expect(422)).body.error.errors[0].path).toBe('current');
    await admin.post('/api/v1/auth/password').send({ current: oneTime, next: NEW_PASSWORD }).expect(200);
    expect((await admin.get('/api/v1/me').expect(200)).body.user.mustChangePassword).toBeUndefined();
    await admin.post('/api/v1/admin/departments').send({ key: 'hrss', name: '人社' }).expect(201);
    // the one-time password is spent
    await s.agent().post('/api/v1/auth/login').send({ username: 'wuhu.admin', password: oneTime }).expect(401);
    await s.login('wuhu.admin', NEW_PASSWORD);
    // the empty city gets its first matter as the designer saves it (test/browser/new-city.test.ts does it in the UI)
    const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, '../browser/fixtures', name), 'utf8');
    await admin.put('/api/v1/admin/forms/wuhu-form').send({ title: '芜湖退休申请表', schema: JSON.parse(fixture('wuhu-form.json')) }).expect(200);
    await admin.put('/api/v1/admin/flows/wuhu-flow').send({ title: 'wuhu-flow', xml: fixture('wuhu.bpmn') }).expect(200);
    await admin.put('/api/v1/admin/matters/wuhu-retirement').send({ title: '芜湖退休一件事', forms: [{ key: 'wuhu-form' }], flow: 'wuhu-flow', linkedItems: [] }).expect(200);
    const published = await admin.post('/api/v1/admin/matters/wuhu-retirement/publish');
    expect(published.status, JSON.stringify(published.body)).toBe(200);
  });

  it('should make an account whose password an administrator reset change it at its next sign-in', async () => {
    const admin = await s.login('wuhu.admin', NEW_PASSWORD);
    await admin.post('/api/v1/admin/users').send({ username: 'wuhu.staff1', password: 'Staff-Passw0rd', roles: ['staff'], departments: ['hrss'] }).expect(201);
    const staff = await s.login('wuhu.staff1', 'Staff-Passw0rd');
    await staff.get('/api/v1/tasks').expect(200); // a password the admin set at creation is not flagged
    await admin.put('/api/v1/admin/users/wuhu.staff1').send({ password: 'Reset-Passw0rd' }).expect(200);
    const again = await s.login('wuhu.staff1', 'Reset-Passw0rd');
    expect((await again.get('/api/v1/tasks').expect(403)).body.error.code).toBe('password-change-required');
    await again.post('/api/v1/auth/password').send({ current: 'Reset-Passw0rd', next: 'Own-Passw0rd-1' }).expect(200);
    await again.get('/api/v1/tasks').expect(200);
    // a session cannot guess the current password: after 5 wrong ones it waits (429), the right one included
    for (let i = 0; i < 5; i++) await again.post('/api/v1/auth/password').send({ current: `Wrong-Passw0rd-${i}`, next: 'Other-Passw0rd-2' }).expect(422);
    const waits = await again.post('/api/v1/auth/password').send({ current: 'Own-Passw0rd-1', next: 'Other-Passw0rd-2' }).expect(429);
    expect(waits.body.error.code).toBe('too-many-attempts');
    expect(Number(waits.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('should let the operator give a locked-out city administrator a new one-time password, and nobody else', async () => {
    const admin = await s.login('wuhu.admin', NEW_PASSWORD);
    // locked out by wrong passwords
    for (let i = 0; i < 6; i++) await s.agent().post('/api/v1/auth/login').send({ username: 'wuhu.admin', password: `Wrong-Passw0rd-${i}` });
    const res = await operator.post('/api/v1/platform/cities/wuhu/admin-password').send({}).expect(200);
    expect(res.body.username).toBe('wuhu.admin');
    const oneTime = res.body.password as string;
    // the old session is over, the old password spent; the new one signs in and must be changed first
    await admin.get('/api/v1/me').expect(401);
    await s.agent().post('/api/v1/auth/login').send({ username: 'wuhu.admin', password: NEW_PASSWORD }).expect(401);
    const again = await s.login('wuhu.admin', oneTime);
    expect((await again.get('/api/v1/admin/departments').expect(403)).body.error.code).toBe('password-change-required');
    await again.post('/api/v1/auth/password').send({ current: oneTime, next: NEW_PASSWORD }).expect(200);
    // audited in the city and on the platform, without the password
    const records = [...await s.models.Audit.find({ action: 'user.password-reset' }).lean(), ...await s.models.Audit.find({ action: 'city.admin-password-reset' }).lean()];
    expect(records.map((r) => `${r.tenant}:${r.action}`).sort()).toEqual(['platform:city.admin-password-reset', 'wuhu:user.password-reset']);
    expect(JSON.stringify(records)).not.toContain(oneTime);
    // only admins of an existing city, only by the operator
    expect((await operator.post('/api/v1/platform/cities/wuhu/admin-password').send({ username: 'wuhu.staff1' }).expect(403)).body.error.code).toBe('forbidden');
    await operator.post('/api/v1/platform/cities/nowhere/admin-password').send({}).expect(404);
    await operator.post('/api/v1/platform/cities/platform/admin-password').send({}).expect(404);
    await operator.post('/api/v1/platform/cities/wuhu/admin-password').send({ username: 'changzhou.admin' }).expect(404);
    await (await s.login('luan.admin')).post('/api/v1/platform/cities/wuhu/admin-password').send({}).expect(403);
  });

  it('should copy 常州 into a city whose matter can be submitted at once, without its cases or accounts', async () => {
    // a 常州 case exists before the copy: it stays 常州's
    const czApplicant = await s.login('changzhou.applicant');
    const city = loadCity('changzhou');
    const example = city.forms.find((f) => f.key === 'changzhou-retirement')!.example as Record<string, unknown>;
    const data = { ...example, medicalInsuranceTransfer: false, housingFundWithdrawal: false, hasOnlyChildCertificate: false, onlyChildCertificateFile: undefined };
    await czApplicant.post('/api/v1/cases').send({ matter: 'changzhou-retirement', form: 'changzhou-retirement', data }).expect(201);

    // the matter's 承诺时限 goes with it; the 实施编码 names 常州's implementing body and stays behind
    await s.models.MatterVersion.updateMany({ tenant: 'changzhou', key: 'changzhou-retirement' }, { $set: { timeLimit: { workdays: 15, warnWorkdays: 3 }, implCode: '11320400014163011X000123456789' } });
    const res = await operator.post('/api/v1/platform/cities').send({ key: 'taizhou', name: '泰州市', province: '江苏省', copyFrom: 'changzhou' }).expect(201);
    expect(res.body.matters).toContain('changzhou-retirement@1');
    expect(res.body.city.counts).toMatchObject({ departments: await s.models.Department.countDocuments({ tenant: 'changzhou' }), users: 1, cases: 0 });
    expect(await s.models.ApiKey.countDocuments({ tenant: 'taizhou' })).toBe(0);
    const version = await s.models.MatterVersion.findOne({ tenant: 'taizhou', key: 'changzhou-retirement' }).lean();
    expect(version).toMatchObject({ version: 1, publishedBy: 'platform.operator', timeLimit: { workdays: 15, warnWorkdays: 3 } });
    expect(version!.implCode).toBeUndefined();

    const admin = await s.login('taizhou.admin', res.body.admin.password);
    await admin.post('/api/v1/auth/password').send({ current: res.body.admin.password, next: 'Taizhou-Adm1n!' }).expect(200);
    await admin.post('/api/v1/admin/users').send({ username: 'taizhou.zhang', password: 'Zhang-Passw0rd', roles: ['applicant'], displayName: '张三' }).expect(201);
    await admin.post('/api/v1/admin/users').send({ username: 'taizhou.hrss', password: 'Hrss-Passw0rd1', roles: ['staff'], departments: ['hrss'] }).expect(201);
    const applicant = await s.login('taizhou.zhang', 'Zhang-Passw0rd');
    const matters = (await applicant.get('/api/v1/matters').expect(200)).body as { key: string }[];
    expect(matters.map((m) => m.key)).toContain('changzhou-retirement');
    const sub = await applicant.post('/api/v1/cases').send({ matter: 'changzhou-retirement', form: 'changzhou-retirement', data }).expect(201);
    expect(sub.body.no).toMatch(/^TA/);
    const hrss = await s.login('taizhou.hrss', 'Hrss-Passw0rd1');
    const tasks = (await hrss.get('/api/v1/tasks').expect(200)).body as { caseNo: string }[];
    expect(tasks.some((t) => t.caseNo === sub.body.no)).toBe(true);
    // the 常州 staff never see it
    const czHrss = await s.login('changzhou.hrss');
    expect(((await czHrss.get('/api/v1/tasks').expect(200)).body as { caseNo: string }[]).some((t) => t.caseNo === sub.body.no)).toBe(false);
    const list = (await operator.get('/api/v1/platform/cities').expect(200)).body as { key: string; counts: { cases: number } }[];
    expect(list.find((c) => c.key === 'taizhou')!.counts.cases).toBe(1);
    expect(list.find((c) => c.key === 'changzhou')!.counts.cases).toBe(1);
  });
});
