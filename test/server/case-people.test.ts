/**
 * Who acted on a case, as its reader may know them: staff and administrators see the accounts'
 * names, the applicant sees the department that acted and 「本人」 for themselves — never a
 * staff login (the case view's `people`, the tasklist's `claimedByName`, the files' `uploadedByName`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishMini, startTestServer, type TestServer } from './helpers';

const API = '/api/v1';
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(200, 0x20)]);

describe('the people of a case, named for their reader', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
    await publishMini(s);
  });
  afterAll(async () => { await s?.close(); });

  it('should name staff for staff and by their department for the applicant', async () => {
    const [applicant, hrss, admin] = await Promise.all(['luan.applicant', 'luan.hrss', 'luan.admin'].map((u) => s.login(u)));
    const draft = (await applicant.post(`${API}/cases`).send({ matter: 'mini', form: 'mini-form', data: { name: '演示申请人', idNumber: '341502196501150039', housingFund: false }, draft: true }).expect(201)).body as { id: string };
    await applicant.post(`${API}/cases/${draft.id}/attachments`).attach('file', PDF, '材料.pdf').expect(201);
    await applicant.post(`${API}/cases/${draft.id}/submit`).expect(200);
    const task = ((await hrss.get(`${API}/tasks`).expect(200)).body as { id: string; caseId: string }[]).find((t) => t.caseId === draft.id)!;
    await hrss.post(`${API}/tasks/${task.id}/claim`).expect(200);
    await hrss.post(`${API}/cases/${draft.id}/attachments`).attach('file', PDF, '扫描件.pdf').expect(201);

    const hrssName = (await s.models.User.findOne({ username: 'luan.hrss' }).lean())!.displayName;
    const hrssDepartment = (await s.models.Department.findOne({ tenant: 'luan', key: 'hrss' }).lean())!.name;
    // staff and the administrator: names
    for (const reader of [hrss, admin]) {
      const view = (await reader.get(`${API}/cases/${draft.id}`).expect(200)).body as { people: Record<string, string> };
      expect(view.people).toMatchObject({ 'luan.hrss': hrssName, 'luan.applicant': '演示申请人' });
    }
    const listed = ((await hrss.get(`${API}/tasks`).expect(200)).body as { id: string; claimedByName?: string }[]).find((t) => t.id === task.id)!;
    expect(listed.claimedByName).toBe(hrssName);
    // the applicant: the department, and 本人; no staff login anywhere in what names people
    const own = (await applicant.get(`${API}/cases/${draft.id}`).expect(200)).body as { people: Record<string, string> };
    expect(own.people).toMatchObject({ 'luan.hrss': hrssDepartment, 'luan.applicant': '本人' });
    expect(Object.values(own.people).join()).not.toMatch(/luan\./);
    const files = (await applicant.get(`${API}/cases/${draft.id}/attachments`).expect(200)).body as { name: string; uploadedByName?: string }[];
    expect(files.map((f) => [f.name, f.uploadedByName])).toEqual([['材料.pdf', '本人'], ['扫描件.pdf', hrssDepartment]]);
  });
});
