import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScheduler } from '@lianban/server';
import { publishMini, startTestServer, type TestServer } from './helpers';

const timerFlow = fs.readFileSync(path.join(import.meta.dirname, 'fixtures', 'timer.bpmn'), 'utf8');

describe('timers', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
    await publishMini(s, timerFlow);
  });
  afterAll(async () => { await s?.close(); });

  it('should fire each due timer exactly once with two schedulers racing on one database', async () => {
    // given three cases waiting on a one-hour timer
    const applicant = await s.login('luan.applicant');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await applicant.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data: { name: '王五', idNumber: '341502196501150039', housingFund: true } }).expect(201);
      ids.push(res.body.id);
    }
    expect(await s.models.Timer.countDocuments({ firedAt: null })).toBe(3);
    const a = startScheduler(s.models, s.db.connection!, { intervalMs: 3_600_000, owner: 'process-a' });
    const b = startScheduler(s.models, s.db.connection!, { intervalMs: 3_600_000, owner: 'process-b' });
    try {
      // when nothing is due yet, nothing fires
      expect(await a.tick(new Date())).toBe(0);
      // when both processes tick two hours later, at the same time
      const later = new Date(Date.now() + 2 * 3_600_000);
      const [fa, fb] = await Promise.all([a.tick(later), b.tick(later)]);
      // then every timer fired once in all
      expect(fa + fb).toBe(3);
      expect(await s.models.Timer.countDocuments({ firedAt: null })).toBe(0);
      for (const id of ids) {
        const doc = await s.models.Case.findById(id).lean();
        const names = doc!.tasks.map((t) => `${t.name}:${t.state}`);
        expect(names).toEqual(['退休审批:cancelled', '超时督办:open']);
        expect(doc!.timeline.filter((t) => t.action === 'timer.fired')).toHaveLength(1);
      }
      // and a second round fires nothing again
      expect((await a.tick(later)) + (await b.tick(later))).toBe(0);
    } finally {
      a.stop();
      b.stop();
    }
  });

  it('should not fire a timer whose task was completed first', async () => {
    const applicant = await s.login('luan.applicant');
    const hrss = await s.login('luan.hrss');
    const res = await applicant.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data: { name: '赵六', idNumber: '341502196501150039', housingFund: true } }).expect(201);
    const task = (await hrss.get('/api/v1/tasks').expect(200)).body.find((t: { caseNo: string }) => t.caseNo === res.body.no);
    expect(new Date(task.dueAt).getTime()).toBeGreaterThan(Date.now());
    await hrss.post(`/api/v1/tasks/${task.id}/complete`).send({}).expect(200);
    const sched = startScheduler(s.models, s.db.connection!, { intervalMs: 3_600_000 });
    try {
      await sched.tick(new Date(Date.now() + 2 * 3_600_000));
      const doc = await s.models.Case.findById(res.body.id).lean();
      expect(doc!.tasks.map((t) => `${t.name}:${t.state}`)).toEqual(['退休审批:done', '公积金提取:open']);
      expect(doc!.timeline.some((t) => t.action === 'timer.fired')).toBe(false);
      // the completion cancelled the timer (fired at the epoch), and it stays cancelled
      expect((await s.models.Timer.findOne({ caseId: res.body.id }).lean())!.firedAt!.getTime()).toBe(0);
    } finally {
      sched.stop();
    }
  });

  it('should leave a timer cancelled when a completion cancels it after the scheduler claimed it', async () => {
    const applicant = await s.login('luan.applicant');
    const hrss = await s.login('luan.hrss');
    const res = await applicant.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data: { name: '钱七', idNumber: '341502196501150039', housingFund: true } }).expect(201);
    const task = (await hrss.get('/api/v1/tasks').expect(200)).body.find((t: { caseNo: string }) => t.caseNo === res.body.no);
    await hrss.post(`/api/v1/tasks/${task.id}/complete`).send({}).expect(200);
    // what a scheduler that claimed the timer just before the completion committed finds: the
    // timer still unfired under its lease, the case no longer waiting for it
    await s.models.Timer.updateOne({ caseId: res.body.id }, { $set: { firedAt: null } });
    const sched = startScheduler(s.models, s.db.connection!, { intervalMs: 3_600_000, owner: 'late' });
    try {
      expect(await sched.tick(new Date(Date.now() + 2 * 3_600_000))).toBe(0);
      const timer = await s.models.Timer.findOne({ caseId: res.body.id }).lean();
      expect(timer!.firedAt!.getTime()).toBe(0);
      const doc = await s.models.Case.findById(res.body.id).lean();
      expect(doc!.timeline.some((t) => t.action === 'timer.fired')).toBe(false);
    } finally {
      sched.stop();
    }
  });
});
