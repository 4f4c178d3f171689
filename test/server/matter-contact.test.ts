/**
 * Issue 19 part 7: a matter's 咨询电话 / office (`contact`) and each linked item's 单独事项
 * text (`standalone`) are kept by the admin API, published, and served to applicants with the
 * matter; a `standalone` item on the applicant's case is what the case page explains.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCity } from '@lianban/templates';
import { seedDemoTemplates } from '@lianban/server';
import { startTestServer, type TestServer } from './helpers';

describe('matter contact and 单独事项 text', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
    await seedDemoTemplates(s.models);
  });
  afterAll(async () => { await s?.close(); });

  it('should serve the shipped contact and standalone texts with the published matter', async () => {
    const applicant = await s.login('changzhou.applicant');
    const m = (await applicant.get('/api/v1/matters/changzhou-retirement').expect(200)).body;
    expect(m.contact).toEqual({ phone: '0519-12333', address: expect.stringContaining('常州市政务服务中心'), hours: expect.any(String) });
    const medical = m.linkedItems.find((i: { key: string }) => i.key === 'medical-insurance-transfer');
    expect(medical.standalone).toContain('常州市医疗保障管理服务中心');
    const list = (await applicant.get('/api/v1/matters').expect(200)).body;
    expect(list[0].contact.phone).toBe('0519-12333');
  });

  it('should keep what the administrator edits, and refuse an unknown contact field', async () => {
    const admin = await s.login('luan.admin');
    const manifest = loadCity('luan').matters[0]!;
    const { key, ...body } = manifest;
    const edited = {
      ...body,
      contact: { phone: '0564-0000000', address: '六安市示例路1号 政务服务中心2楼', hours: '工作日' },
      linkedItems: body.linkedItems.map((i) => (i.key === 'housing-fund-withdrawal' ? { ...i, standalone: '请到公积金中心示例窗口办理。' } : i)),
    };
    const saved = (await admin.put(`/api/v1/admin/matters/${key}`).send(edited).expect(200)).body;
    expect(saved.draft.contact).toEqual(edited.contact);
    await admin.post(`/api/v1/admin/matters/${key}/publish`).expect(200);
    const applicant = await s.login('luan.applicant');
    const m = (await applicant.get(`/api/v1/matters/${key}`).expect(200)).body;
    expect(m.contact).toEqual(edited.contact);
    expect(m.linkedItems.find((i: { key: string }) => i.key === 'housing-fund-withdrawal').standalone).toBe('请到公积金中心示例窗口办理。');
    // materials keep their conditions
    expect(m.linkedItems.find((i: { key: string }) => i.key === 'retirement-early').materials.find((x: { name: string }) => x.name === '特殊工种提前退休申请书').when).toEqual({ route: ['special-work'] });
    const bad = await admin.put(`/api/v1/admin/matters/${key}`).send({ ...edited, contact: { phone: '1', fax: '2' } }).expect(422);
    expect(bad.body.error.code).toBe('invalid');
  });
});
