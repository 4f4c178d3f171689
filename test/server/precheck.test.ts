/**
 * `POST /matters/:key/precheck` (issue 19 part 3) on the shipped templates: signed-in callers
 * only, answers checked with Chinese messages naming the field, nothing stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoTemplates } from '@lianban/server';
import { startTestServer, type TestServer } from './helpers';

describe('POST /matters/:key/precheck', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
    await seedDemoTemplates(s.models);
  });
  afterAll(async () => { await s?.close(); });

  it('should answer the statutory month, the route and the personal materials, storing nothing', async () => {
    const applicant = await s.login('luan.applicant');
    const cases = await s.models.Case.countDocuments();
    const audits = await s.models.Audit.countDocuments();
    const res = await applicant.post('/api/v1/matters/luan-retirement/precheck')
      .send({ idNumber: '341502196501150039', identity: 'worker', contributionMonths: 200, hasArchive: false }).expect(200);
    expect(res.body).toMatchObject({
      matter: { key: 'luan-retirement', contact: { phone: '0564-12333' } },
      birth: '1965-01', sex: 'male', category: 'male',
      statutory: { years: 60, months: 1, retireAt: '2025-02', age: '60岁1个月' },
      possibleNow: true, route: 'normal', minContributionMonths: 180, contributionMet: true,
    });
    expect(res.body.today).toMatch(/^\d{4}-\d{2}$/);
    expect(res.body.materials.map((m: { name: string }) => m.name)).toEqual(['参保单位办理职工退休手续的请示', '职工本人社会保障卡', '《拟退休（退职）人员申请表》']);
    expect(await s.models.Case.countDocuments()).toBe(cases);
    expect(await s.models.Audit.countDocuments()).toBe(audits);
  });

  it('should refuse bad answers with 422 naming the field (body schema too), and anonymous callers with 401', async () => {
    const applicant = await s.login('changzhou.applicant');
    const bad = await applicant.post('/api/v1/matters/changzhou-retirement/precheck').send({ idNumber: '341502196501150038', identity: 'worker' }).expect(422);
    expect(bad.body.error.code).toBe('invalid');
    expect(bad.body.error.errors).toEqual([{ path: 'idNumber', message: expect.stringContaining('公民身份号码') }]);
    const missing = await applicant.post('/api/v1/matters/changzhou-retirement/precheck').send({ identity: 'worker' }).expect(422);
    expect(missing.body.error.errors.map((e: { path: string }) => e.path)).toEqual(['birth', 'sex']);
    await applicant.post('/api/v1/matters/changzhou-retirement/precheck').send({ identity: 'boss', birth: '1970-01', sex: 'male' }).expect(422);
    await applicant.post('/api/v1/matters/luan-retirement/precheck').send({ identity: 'worker', birth: '1970-01', sex: 'male' }).expect(404);
    await s.agent().post('/api/v1/matters/changzhou-retirement/precheck').send({ identity: 'worker', birth: '1970-01', sex: 'male' }).expect(401);
  });
});
