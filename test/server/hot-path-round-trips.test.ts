/**
 * Issue #24: the database round trips of the hot path — one submission (`POST /cases`) and one
 * completion (`POST /tasks/:id/complete`) of the shipped 常州 retirement matter, counted as the
 * commands the database receives (the driver's command monitoring on the app's connection).
 * The session lookup is warm (a signed-in user's later request), as under load.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type request from 'supertest';
import { loadCity } from '@lianban/templates';
import mongoose from 'mongoose';
import { pendingSettled, seedDemoTemplates, sweepPending } from '@lianban/server';
import { startTestServer, type TestServer } from './helpers';

type Agent = ReturnType<typeof request.agent>;

/**
 * The bounds of issue #24, per request under load: steps waiting together share the round trips
 * that fold their side documents (services/step-effects.ts).
 */
const SUBMISSION_MAX = 4;
const COMPLETION_MAX = 3;
/** One request alone, the deferred clearing of its case's `pending` included. */
const SUBMISSION_ALONE_MAX = 6;
const COMPLETION_ALONE_MAX = 4;
/** Requests sent together for the "under load" figure. */
const TOGETHER = 12;

describe('hot path round trips (#24)', () => {
  let s: TestServer;
  let applicant: Agent;
  let hrss: Agent;
  const commands: { name: string; collection: string }[] = [];
  const example = loadCity('changzhou').forms.find((f) => f.key === 'changzhou-retirement')!.example as Record<string, unknown>;
  const data = { ...example, hasOnlyChildCertificate: false, onlyChildCertificateFile: undefined };

  beforeAll(async () => {
    s = await startTestServer();
    await seedDemoTemplates(s.models);
    [applicant, hrss] = await Promise.all([s.login('changzhou.applicant'), s.login('changzhou.hrss')]);
    s.db.connection!.getClient().on('commandStarted', (e: { commandName: string; command: Record<string, unknown> }) => {
      const target = e.command[e.commandName];
      commands.push({ name: e.commandName, collection: typeof target === 'string' ? target : '' });
    });
  });
  afterAll(async () => { await s?.close(); });

  /** The commands `run` causes, the deferred ones (the clearing of `pending`) included. */
  async function counted(run: () => Promise<unknown>): Promise<string[]> {
    await new Promise((r) => setTimeout(r, 300));
    commands.length = 0;
    await run();
    await new Promise((r) => setTimeout(r, 300));
    // The latest version of a matter is read again after LATEST_TTL_MS (services/definitions.ts), the
    // city's system-mode departments after a second (services/departments.ts): at most twice and once
    // a second per city and process, whatever the load — not this request's, and whether the request
    // falls after the refresh is a matter of the machine's speed.
    return commands.filter((c) => c.collection !== 'matter_versions' && c.collection !== 'departments').map((c) => `${c.name} ${c.collection}`.trim());
  }

  const perRequest = (seen: string[], n: number) => `${(seen.length / n).toFixed(2)} commands per request:\n${[...new Set(seen)].map((c) => `${c} ×${seen.filter((x) => x === c).length}`).join('\n')}`;

  async function submit(): Promise<{ id: string; no: string }> {
    return (await applicant.post('/api/v1/cases').send({ matter: 'changzhou-retirement', form: 'changzhou-retirement', data }).expect(201)).body;
  }

  async function approvalOf(no: string): Promise<string> {
    const list = (await hrss.get('/api/v1/tasks').expect(200)).body as { id: string; caseNo: string; name: string }[];
    return list.find((t) => t.caseNo === no && t.name === '企业职工退休审批')!.id;
  }

  it(`should submit a case in at most ${SUBMISSION_ALONE_MAX} database commands alone, ${SUBMISSION_MAX} under load`, async () => {
    await submit(); // warm: the matter version, the flow, the city's case prefix are cached after the first
    const alone = await counted(submit);
    expect(alone.length, `one submission: ${perRequest(alone, 1)}`).toBeLessThanOrEqual(SUBMISSION_ALONE_MAX);
    const together = await counted(() => Promise.all(Array.from({ length: TOGETHER }, submit)));
    expect(together.length / TOGETHER, `${TOGETHER} submissions together: ${perRequest(together, TOGETHER)}`).toBeLessThanOrEqual(SUBMISSION_MAX);
    // each is complete: numbered, started, audited, its applicant notified
    const cases = await s.models.Case.find({ tenant: 'changzhou' }).select({ no: 1, status: 1 }).lean();
    expect(cases.filter((c) => c.status === 'draft')).toEqual([]);
    for (const c of cases) {
      expect(await s.models.Audit.countDocuments({ action: 'case.submit', target: `case:${c.no}` }), c.no!).toBe(1);
      expect(await s.models.Notification.countDocuments({ kind: 'accepted', caseId: String(c._id) }), c.no!).toBe(1);
    }
  });

  it(`should complete a task in at most ${COMPLETION_ALONE_MAX} database commands alone, ${COMPLETION_MAX} under load`, async () => {
    const cases = await Promise.all(Array.from({ length: TOGETHER + 2 }, submit));
    const tasks = await Promise.all(cases.map((c) => approvalOf(c.no)));
    await hrss.post(`/api/v1/tasks/${tasks[0]}/complete`).send({ outcome: 'approved' }).expect(200);
    const complete = (task: string) => hrss.post(`/api/v1/tasks/${task}/complete`).send({ outcome: 'approved' }).expect(200);
    const alone = await counted(() => complete(tasks[1]!));
    expect(alone.length, `one completion: ${perRequest(alone, 1)}`).toBeLessThanOrEqual(COMPLETION_ALONE_MAX);
    const together = await counted(() => Promise.all(tasks.slice(2).map(complete)));
    expect(together.length / TOGETHER, `${TOGETHER} completions together: ${perRequest(together, TOGETHER)}`).toBeLessThanOrEqual(COMPLETION_MAX);
    // each step is there, with its audit record, and the case's pending side documents are cleared
    for (const [i, c] of cases.entries()) {
      const after = await s.models.Case.findById(c.id).lean();
      expect(after!.tasks.find((t) => t.id === tasks[i])!.state).toBe('done');
      expect(after!.pending, c.no).toBeUndefined();
      expect(await s.models.Audit.countDocuments({ action: 'task.complete', target: `case:${c.no}` }), c.no).toBe(1);
    }
  });
});

describe('side documents left by a process that died before folding them', () => {
  let s: TestServer;
  beforeAll(async () => { s = await startTestServer(); });
  afterAll(async () => { await s?.close(); });

  it('should be folded once by the sweep, however often it runs, and cleared from the case', async () => {
    const caseId = new mongoose.Types.ObjectId();
    const auditId = new mongoose.Types.ObjectId();
    const notificationId = new mongoose.Types.ObjectId();
    const at = new Date(Date.now() - 10_000);
    await s.models.Case.collection.insertOne({
      _id: caseId, tenant: 'luan', no: 'LA202612050001', applicant: 'x', status: 'in-progress', rev: 1, tasks: [], timeline: [],
      pending: {
        id: 'p1', at, outbox: [], timers: [], cancelTimers: [],
        notifications: [{ _id: notificationId, tenant: 'luan', user: 'x', caseId: String(caseId), caseNo: 'LA202612050001', kind: 'accepted', message: '您的申请已受理', at, readAt: null, sentAt: null }],
        audit: [{ _id: auditId, tenant: 'luan', at, actor: 'luan.applicant', action: 'case.submit', target: 'case:LA202612050001' }],
      },
    });
    expect(await sweepPending(s.models)).toBe(1);
    expect(await sweepPending(s.models)).toBeLessThanOrEqual(1); // not cleared yet: folded again, harmlessly
    await pendingSettled(s.models);
    await new Promise((r) => setTimeout(r, 300));
    expect(await s.models.Audit.countDocuments({ _id: auditId })).toBe(1);
    expect(await s.models.Notification.countDocuments({ _id: notificationId })).toBe(1);
    expect((await s.models.Case.findById(caseId).lean())!.pending).toBeUndefined();
    expect(await sweepPending(s.models)).toBe(0);
  });
});
