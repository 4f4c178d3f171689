/**
 * 容缺受理 on the 六安 unit-agent form: 职工人事档案 may be promised; the case proceeds and the
 * applicant gets a task to hand it in within 10 working days.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCity } from '@lianban/templates';
import { seedDemoTemplates } from '@lianban/server';
import chineseDays from 'chinese-days';
import { startTestServer, type TestServer } from './helpers';

/** YYYY-MM-DD of the 10th working day after today's China date. */
function tenthWorkdayAfterToday(): string {
  const day = new Date(Date.now() + 8 * 3600_000);
  day.setUTCHours(0, 0, 0, 0);
  for (let found = 0; ;) {
    day.setUTCDate(day.getUTCDate() + 1);
    const ymd = day.toISOString().slice(0, 10);
    if (chineseDays.isWorkday(ymd) && ++found === 10) return ymd;
  }
}

const PDF = Buffer.from('%PDF-1.4\n% personnel file\n%%EOF\n');

describe('容缺受理', () => {
  let s: TestServer;
  const example = loadCity('luan').forms.find((f) => f.key === 'luan-retirement-unit')!.example as Record<string, unknown>;
  beforeAll(async () => {
    s = await startTestServer();
    await seedDemoTemplates(s.models);
  });
  afterAll(async () => { await s?.close(); });

  it('should accept a promised personnel file and ask for it within 10 working days', async () => {
    const applicant = await s.login('luan.applicant');
    const data = { ...example, hasPersonnelFile: true, normalMaterials: [...(example.normalMaterials as unknown[]), { name: '职工人事档案', material: 'personnel-file', promised: true }] };
    const sub = await applicant.post('/api/v1/cases').send({ matter: 'luan-retirement', form: 'luan-retirement-unit', data }).expect(201);
    expect(sub.body.status).toBe('needs-applicant');
    const mine = (await applicant.get('/api/v1/tasks').expect(200)).body;
    const task = mine.find((t: { caseNo: string }) => t.caseNo === sub.body.no);
    expect(task.name).toMatch(/^补交容缺材料：职工人事档案/);
    // due at 17:00 China time of the 10th official working day after today (China date), counted
    // here by walking chinese-days' own isWorkday — whatever weekday the suite runs on
    expect(new Date(task.dueAt).toISOString()).toBe(`${tenthWorkdayAfterToday()}T09:00:00.000Z`);
    // the flow went on: the window has the case
    const window = await s.login('luan.window');
    expect((await window.get('/api/v1/tasks').expect(200)).body.some((t: { caseNo: string }) => t.caseNo === sub.body.no)).toBe(true);
    // not done until the file is there
    const missing = await applicant.post(`/api/v1/tasks/${task.id}/complete`).send({}).expect(422);
    expect(missing.body.error.message).toMatch(/职工人事档案/);
    const file = await applicant.post(`/api/v1/cases/${sub.body.id}/attachments`).field('material', 'personnel-file').attach('file', PDF, '人事档案.pdf').expect(201);
    await applicant.post(`/api/v1/tasks/${task.id}/complete`).send({}).expect(200);
    const view = (await applicant.get(`/api/v1/cases/${sub.body.id}`).expect(200)).body;
    expect(view.status).toBe('in-progress');
    expect(view.data.normalMaterials.at(-1)).toEqual({ name: '人事档案.pdf', fileId: file.body.fileId, size: PDF.length, material: 'personnel-file' });
    expect(view.timeline.map((t: { action: string }) => t.action)).toEqual(expect.arrayContaining(['promise.accepted', 'promise.fulfilled']));
  });

  it('should refuse a promise for a material that must be handed in', async () => {
    const applicant = await s.login('luan.applicant');
    const data = { ...example, requiredMaterials: [{ name: '请示', material: 'unit-request', promised: true }, (example.requiredMaterials as unknown[])[1]] };
    const res = await applicant.post('/api/v1/cases').send({ matter: 'luan-retirement', form: 'luan-retirement-unit', data }).expect(422);
    expect(res.body.error.errors).toEqual([expect.objectContaining({ path: 'requiredMaterials.0', code: 'promise-not-allowed' })]);
  });
});
