/**
 * Issue #24: the database round trips of the hot path — one submission (`POST /cases`) and one
 * completion (`POST /tasks/:id/complete`) of the shipped 常州 retirement matter, counted as the
 * commands the database receives (the driver's command monitoring on the app's connection).
 * The session lookup is warm (a signed-in user's later request), as under load.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type request from 'supertest';
import { loadCity } from '@lianban/templates';
import { seedDemoTemplates } from '@lianban/server';
import { startTestServer, type TestServer } from './helpers';

type Agent = ReturnType<typeof request.agent>;

/** The bounds of issue #24. */
const SUBMISSION_MAX = 6;
const COMPLETION_MAX = 4;

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

  /** The commands `run` causes (anything in the background — the scheduler, documents — excluded by a quiet moment first). */
  async function counted(run: () => Promise<unknown>): Promise<string[]> {
    await new Promise((r) => setTimeout(r, 50));
    commands.length = 0;
    await run();
    // The latest version of a matter is read again after LATEST_TTL_MS (services/definitions.ts):
    // at most twice a second per matter and process, whatever the load; not this request's.
    return commands.filter((c) => c.collection !== 'matter_versions').map((c) => `${c.name} ${c.collection}`.trim());
  }

  async function submit(): Promise<{ id: string; no: string }> {
    return (await applicant.post('/api/v1/cases').send({ matter: 'changzhou-retirement', form: 'changzhou-retirement', data }).expect(201)).body;
  }

  async function approvalOf(no: string): Promise<string> {
    const list = (await hrss.get('/api/v1/tasks').expect(200)).body as { id: string; caseNo: string; name: string }[];
    return list.find((t) => t.caseNo === no && t.name === '企业职工退休审批')!.id;
  }

  it(`should submit a case in at most ${SUBMISSION_MAX} database commands`, async () => {
    await submit(); // warm: the matter version, the flow, the city's case prefix are cached after the first
    const seen = await counted(submit);
    expect(seen.length, `submission: ${seen.length} commands:\n${seen.join('\n')}`).toBeLessThanOrEqual(SUBMISSION_MAX);
  });

  it(`should complete a task in at most ${COMPLETION_MAX} database commands`, async () => {
    const warm = await submit();
    await hrss.post(`/api/v1/tasks/${await approvalOf(warm.no)}/complete`).send({ outcome: 'approved' }).expect(200);
    const sub = await submit();
    const task = await approvalOf(sub.no);
    const seen = await counted(() => hrss.post(`/api/v1/tasks/${task}/complete`).send({ outcome: 'approved' }).expect(200));
    expect(seen.length, `completion: ${seen.length} commands:\n${seen.join('\n')}`).toBeLessThanOrEqual(COMPLETION_MAX);
    // the step is there: the case moved on, with its audit record
    const after = await s.models.Case.findById(sub.id).lean();
    expect(after!.tasks.find((t) => t.id === task)!.state).toBe('done');
    expect(await s.models.Audit.countDocuments({ action: 'task.complete', target: `case:${sub.no}` })).toBe(1);
  });
});
