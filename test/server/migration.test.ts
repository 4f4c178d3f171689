/**
 * Migration of running cases (issue #21) through the API on the shipped 常州 matter: cases in
 * every user-task state (and one ended) previewed and migrated onto a version with an added
 * 受理 step, then run to their end; the claimant of an open task kept; a case migrated back;
 * a renamed step refused without a mapping and moved with one; who may call.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type request from 'supertest';
import { loadCity } from '@lianban/templates';
import type { MigrationPreview, MigrationResult } from '@lianban/runtime/contract';
import { seedDemoTemplates } from '@lianban/server';
import { startTestServer, type TestServer } from './helpers';

type Agent = ReturnType<typeof request.agent>;
const KEY = 'changzhou-retirement';
const city = loadCity('changzhou');
const form = (key: string) => city.forms.find((f) => f.key === key)!;
const example = form('changzhou-retirement').example as Record<string, unknown>;
const resultOf = (key: string) => form(key).example as Record<string, unknown>;
const COMPLETION: Record<string, Record<string, unknown>> = {
  受理: {},
  企业职工退休审批: { outcome: 'approved' },
  企业职工基本养老保险待遇核定: { data: resultOf('changzhou-pension-result') },
  职工退休养老证发放: { data: resultOf('changzhou-certificate-result') },
  退休人员住房公积金提取: { outcome: 'done', data: resultOf('changzhou-housing-fund-result') },
  在职转退休医疗保险办理: { outcome: 'not-eligible', comment: '不符合' },
  填写社会化管理服务基本信息采集表: { data: form('changzhou-socialized-info').example as Record<string, unknown> },
};

describe('migrating running 常州 cases onto a new version', () => {
  let s: TestServer;
  let admin: Agent;
  let applicant: Agent;
  let hrss: Agent;
  let housing: Agent;
  let medical: Agent;
  let agents: Agent[];
  const cases: Record<string, { id: string; no: string }> = {};

  const tasksOf = async (agent: Agent, no: string) => ((await agent.get('/api/v1/tasks').expect(200)).body as { caseNo: string; name: string; id: string; claimedBy?: string | null }[]).filter((t) => t.caseNo === no);
  async function doTask(no: string, name: string) {
    for (const agent of agents) {
      const task = (await tasksOf(agent, no)).find((t) => t.name === name);
      if (task) return agent.post(`/api/v1/tasks/${task.id}/complete`).send(COMPLETION[name] ?? {}).expect(200);
    }
    throw new Error(`no open task「${name}」for ${no}`);
  }
  /** Completes whatever is open until the case ends; returns the task names done in order. */
  async function finish(no: string): Promise<string[]> {
    const done: string[] = [];
    for (let i = 0; i < 30; i++) {
      let open: { name: string } | undefined;
      for (const agent of agents) open ??= (await tasksOf(agent, no))[0];
      if (!open) return done;
      await doTask(no, open.name);
      done.push(open.name);
    }
    throw new Error(`case ${no} did not end`);
  }
  const view = async (id: string) => (await admin.get(`/api/v1/cases/${id}`).expect(200)).body;
  async function submit(data: Record<string, unknown>) {
    const sub = await applicant.post('/api/v1/cases').send({ matter: KEY, form: 'changzhou-retirement', data }).expect(201);
    return { id: sub.body.id as string, no: sub.body.no as string };
  }
  async function publishFlow(edit: (xml: string) => string): Promise<number> {
    const flow = (await admin.get(`/api/v1/admin/flows/${KEY}`).expect(200)).body;
    await admin.put(`/api/v1/admin/flows/${KEY}`).send({ title: flow.title, xml: edit(flow.draft.xml) }).expect(200);
    return (await admin.post(`/api/v1/admin/matters/${KEY}/publish`).expect(200)).body.version;
  }

  beforeAll(async () => {
    s = await startTestServer();
    await seedDemoTemplates(s.models);
    [admin, applicant, hrss, housing, medical] = await Promise.all(['admin', 'applicant', 'hrss', 'housing-fund', 'medical'].map((r) => s.login(`changzhou.${r}`)));
    agents = [hrss, housing, medical, applicant];
    const data = { ...example, hasOnlyChildCertificate: false, onlyChildCertificateFile: undefined };
    // one case in every user-task state of version 1, and one ended
    cases.approval = await submit(data);
    cases.pension = await submit(data);
    await doTask(cases.pension.no, '企业职工退休审批');
    cases.certificate = await submit(data);
    for (const n of ['企业职工退休审批', '企业职工基本养老保险待遇核定']) await doTask(cases.certificate.no, n);
    cases.split = await submit(data);
    for (const n of ['企业职工退休审批', '企业职工基本养老保险待遇核定', '职工退休养老证发放']) await doTask(cases.split.no, n);
    cases.social = await submit(data);
    for (const n of ['企业职工退休审批', '企业职工基本养老保险待遇核定', '职工退休养老证发放', '填写社会化管理服务基本信息采集表', '退休人员住房公积金提取']) await doTask(cases.social.no, n);
    cases.ended = await submit(data);
    const approval = (await tasksOf(hrss, cases.ended.no))[0]!;
    await hrss.post(`/api/v1/tasks/${approval.id}/complete`).send({ outcome: 'rejected', comment: '未达退休年龄' }).expect(200);
    // an open task with a claimant
    const pension = (await tasksOf(hrss, cases.pension.no))[0]!;
    await hrss.post(`/api/v1/tasks/${pension.id}/claim`).expect(200);
  });
  afterAll(async () => { await s?.close(); });

  let v2 = 0;
  it('should say how many running cases version 1 has', async () => {
    v2 = await publishFlow((xml) => xml
      .replace('<bpmn:sequenceFlow id="Flow_pushed" sourceRef="Push_requests" targetRef="Task_approval" />',
        '<bpmn:sequenceFlow id="Flow_pushed" sourceRef="Push_requests" targetRef="Task_accept" /><bpmn:userTask id="Task_accept" name="受理" lb:candidateGroups="hrss" /><bpmn:sequenceFlow id="Flow_accepted" sourceRef="Task_accept" targetRef="Task_approval" />'));
    expect(v2).toBe(2);
    const running = (await admin.get(`/api/v1/admin/matters/${KEY}/running`).expect(200)).body;
    expect(running).toEqual({ key: KEY, latest: 2, versions: [{ version: 1, running: 5 }] });
  });

  it('should preview every running case: where it stands now, after, and no problem', async () => {
    const preview = (await admin.post(`/api/v1/admin/matters/${KEY}/migration-preview`).send({ from: 1, to: v2 }).expect(200)).body as MigrationPreview;
    expect(preview.total).toBe(5);
    expect(preview.diagrams.to).toContain('id="Task_accept"'); // both versions' diagrams, for the designer
    expect(preview.diagrams.from).toContain('id="Task_approval"');
    expect(preview.diagrams.from).not.toContain('Task_accept');
    expect(preview.cases.map((c) => c.no).sort()).toEqual([cases.approval, cases.pension, cases.certificate, cases.split, cases.social].map((c) => c.no).sort());
    for (const c of preview.cases) {
      expect(c.problems).toEqual([]);
      expect(c.after.tasks).toEqual(c.before.tasks);
    }
    const split = preview.cases.find((c) => c.no === cases.split.no)!;
    expect(split.before.tasks.map((t) => `${t.name}@${t.groups?.join()}`).sort()).toEqual(['在职转退休医疗保险办理@medical', '填写社会化管理服务基本信息采集表@applicant', '退休人员住房公积金提取@housing-fund']);
    expect(split.before.timers).toHaveLength(1); // the reminder before the sheet's due date
    expect(split.after.timers).toEqual(split.before.timers);
    expect(split.after.items).toMatchObject({ 'socialized-management': 'in-progress', 'housing-fund-withdrawal': 'in-progress' });
  });

  it('should migrate the running cases, skip the ended one with the reason, keep claimants, audit and record it', async () => {
    const before = await view(cases.pension.id);
    const claimed = before.tasks.find((t: { state: string }) => t.state === 'claimed');
    const ids = Object.values(cases).map((c) => c.id);
    const res = (await admin.post(`/api/v1/admin/matters/${KEY}/migrate`).send({ from: 1, to: v2, cases: ids }).expect(200)).body as MigrationResult;
    expect(res.migrated).toBe(5);
    expect(res.skipped).toEqual([{ id: cases.ended.id, no: cases.ended.no, reason: expect.stringContaining('已结束') }]);

    const after = await view(cases.pension.id);
    expect(after.version).toBe(2);
    expect(after.timeline.some((t: { action: string; detail?: string }) => t.action === 'case.migrated' && t.detail === '版本 1 → 2')).toBe(true);
    const kept = after.tasks.find((t: { id: string }) => t.id === claimed.id);
    expect(kept).toMatchObject({ state: 'claimed', claimedBy: claimed.claimedBy, name: '企业职工基本养老保险待遇核定' });
    expect((await view(cases.ended.id)).version).toBe(1);
    const audits = await s.models.Audit.find({ action: 'case.migrate' }).lean();
    expect(audits).toHaveLength(5);
    expect(audits[0]!.details).toMatchObject({ from: 1, to: 2, before: expect.any(Object), after: expect.any(Object) });
    // the reminder timer of the split case is still the one pending, not a second one
    const timers = await s.models.Timer.find({ caseId: cases.split.id, firedAt: null }).lean();
    expect(timers).toHaveLength(1);
    // nothing left on version 1, a second call has nothing to do
    const again = (await admin.post(`/api/v1/admin/matters/${KEY}/migrate`).send({ from: 1, to: v2 }).expect(200)).body;
    expect(again).toEqual({ migrated: 0, ids: [], skipped: [] });
  });

  it('should run every migrated case to its end on the new version, and a new case through 受理', async () => {
    expect(await finish(cases.approval.no)).not.toContain('受理'); // it was past 受理 already
    for (const key of ['pension', 'certificate', 'split', 'social']) await finish(cases[key]!.no);
    for (const key of ['approval', 'pension', 'certificate', 'split', 'social']) {
      const v = await view(cases[key]!.id);
      expect(v.status, key).toBe('completed');
      expect(v.version).toBe(2);
    }
    const fresh = await submit({ ...example, hasOnlyChildCertificate: false, onlyChildCertificateFile: undefined });
    expect((await finish(fresh.no))[0]).toBe('受理');
  });

  it('should migrate a case back, and refuse a renamed step without a mapping but move it with one', async () => {
    const data = { ...example, hasOnlyChildCertificate: false, onlyChildCertificateFile: undefined };
    const c = await submit(data); // on version 2: at 受理
    await doTask(c.no, '受理');
    const back = (await admin.post(`/api/v1/admin/matters/${KEY}/migrate`).send({ from: 2, to: 1, cases: [c.id] }).expect(200)).body;
    expect(back.migrated).toBe(1);
    expect((await view(c.id)).version).toBe(1);
    // version 3 renames 审批
    const v3 = await publishFlow((xml) => xml.replaceAll('"Task_approval"', '"Task_approval2"').replaceAll('>Task_approval<', '>Task_approval2<'));
    const refused = (await admin.post(`/api/v1/admin/matters/${KEY}/migration-preview`).send({ from: 1, to: v3 }).expect(200)).body as MigrationPreview;
    expect(refused.cases.find((x) => x.id === c.id)!.problems[0]).toMatchObject({ code: 'no-counterpart', element: 'Task_approval' });
    const skipped = (await admin.post(`/api/v1/admin/matters/${KEY}/migrate`).send({ from: 1, to: v3, cases: [c.id] }).expect(200)).body;
    expect(skipped.skipped[0].reason).toContain('Task_approval');
    const moved = (await admin.post(`/api/v1/admin/matters/${KEY}/migrate`).send({ from: 1, to: v3, cases: [c.id], mapping: { Task_approval: 'Task_approval2' } }).expect(200)).body;
    expect(moved.migrated).toBe(1);
    await finish(c.no);
    expect((await view(c.id)).status).toBe('completed');
  });

  it('should refuse other callers and bad bodies', async () => {
    await hrss.post(`/api/v1/admin/matters/${KEY}/migration-preview`).send({ from: 1, to: 2 }).expect(403);
    const luan = await s.login('luan.admin');
    await luan.post(`/api/v1/admin/matters/${KEY}/migration-preview`).send({ from: 1, to: 2 }).expect(404);
    const same = await admin.post(`/api/v1/admin/matters/${KEY}/migrate`).send({ from: 2, to: 2 }).expect(422);
    expect(same.body.error.code).toBe('invalid');
    await admin.post(`/api/v1/admin/matters/${KEY}/migrate`).send({ from: 1, to: 99 }).expect(404);
    await admin.post(`/api/v1/admin/matters/${KEY}/migrate`).send({ from: 1, to: 2, cases: ['nope'] }).expect(422);
  });
});
