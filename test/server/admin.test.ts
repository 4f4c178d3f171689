import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type request from 'supertest';
import { DEMO_PASSWORD, startTestServer, type TestServer } from './helpers';

const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8');
const miniMatter = {
  title: '小事项',
  forms: [{ key: 'mini-form' }],
  flow: 'mini-flow',
  linkedItems: [
    { key: 'retirement-approval', title: '退休审批', department: 'hrss', mandatory: true },
    { key: 'housing-fund-withdrawal', title: '公积金提取', department: 'housing-fund', materials: [{ name: '无需材料', kind: 'on-request' }] },
  ],
};

describe('city administration', () => {
  let s: TestServer;
  let admin: ReturnType<typeof request.agent>;
  beforeAll(async () => {
    s = await startTestServer();
    admin = await s.login('luan.admin');
  });
  afterAll(async () => { await s?.close(); });

  it('should list the city\'s departments and add a new one', async () => {
    const before = await admin.get('/api/v1/admin/departments').expect(200);
    expect(before.body.map((d: { key: string }) => d.key)).toEqual(['housing-fund', 'hrss', 'medical', 'window']);
    const created = await admin.post('/api/v1/admin/departments').send({ key: 'unemployment', name: '失业保险', mode: 'tasklist' }).expect(201);
    expect(created.body).toEqual({ key: 'unemployment', name: '失业保险', mode: 'tasklist' });
    await admin.post('/api/v1/admin/departments').send({ key: 'unemployment', name: '重复' }).expect(409);
    await admin.put('/api/v1/admin/departments/unemployment').send({ name: '失业保险经办', mode: 'system' }).expect(200);
    const after = await admin.get('/api/v1/admin/departments').expect(200);
    expect(after.body).toContainEqual({ key: 'unemployment', name: '失业保险经办', mode: 'system' });
  });

  it('should create a staff account for the new department who can then sign in', async () => {
    const res = await admin.post('/api/v1/admin/users').send({ username: 'luan.unemployment', displayName: '失业保险科', password: 'Str0ng-pass', roles: ['staff'], departments: ['unemployment'] }).expect(201);
    expect(res.body).toMatchObject({ username: 'luan.unemployment', roles: ['staff'], departments: ['unemployment'], disabled: false });
    const agent = await s.login('luan.unemployment', 'Str0ng-pass');
    const me = await agent.get('/api/v1/me').expect(200);
    expect(me.body.user).toMatchObject({ tenant: 'luan', departments: ['unemployment'] });
    // the pages name departments as the city does
    expect(me.body.tenant.departments).toContainEqual({ key: 'unemployment', name: '失业保险经办' });
  });

  it('should refuse departments that do not exist and weak passwords', async () => {
    const res = await admin.post('/api/v1/admin/users').send({ username: 'luan.x1', password: 'Str0ng-pass', roles: ['staff'], departments: ['nope'] }).expect(422);
    expect(res.body.error.errors[0]).toEqual({ path: 'departments', message: '部门「nope」不存在' });
    const weak = await admin.post('/api/v1/admin/users').send({ username: 'luan.x2', password: 'short', roles: ['staff'] }).expect(422);
    expect(weak.body.error.errors[0].path).toBe('password');
  });

  it('should show a department API key once, store only its hash, and accept it as Bearer', async () => {
    const res = await admin.post('/api/v1/admin/api-keys').send({ department: 'medical', name: '医保系统' }).expect(201);
    expect(res.body.key).toMatch(/^lb_/);
    const stored = await s.models.ApiKey.findById(res.body.id).lean();
    expect(JSON.stringify(stored)).not.toContain(res.body.key);
    const list = await admin.get('/api/v1/admin/api-keys').expect(200);
    expect(JSON.stringify(list.body)).not.toContain(res.body.key);
    await s.agent().get('/api/v1/me').set('authorization', 'Bearer lb_wrong').expect(401);
    await admin.post(`/api/v1/admin/api-keys/${res.body.id}/revoke`).expect(200);
    await admin.post('/api/v1/admin/api-keys/not-an-id/revoke').expect(404);
  });

  it('should keep administration to admins of the same city', async () => {
    const staff = await s.login('luan.hrss');
    await staff.get('/api/v1/admin/users').expect(403);
    await s.agent().get('/api/v1/admin/users').expect(401);
    const other = await s.login('changzhou.admin');
    const users = await other.get('/api/v1/admin/users').expect(200);
    expect(users.body.every((u: { username: string }) => u.username.startsWith('changzhou.'))).toBe(true);
    await other.put('/api/v1/admin/users/luan.hrss').send({ disabled: true }).expect(404);
    await other.put('/api/v1/admin/departments/window').send({ name: '改名' }).expect(404);
  });

  it('should disable an account and end its sessions', async () => {
    const agent = await s.login('luan.unemployment', 'Str0ng-pass');
    await admin.put('/api/v1/admin/users/luan.unemployment').send({ disabled: true }).expect(200);
    await agent.get('/api/v1/me').expect(401);
    await s.agent().post('/api/v1/auth/login').send({ username: 'luan.unemployment', password: 'Str0ng-pass' }).expect(401);
    await admin.put('/api/v1/admin/users/luan.unemployment').send({ disabled: false }).expect(200);
  });

  it('should audit every change', async () => {
    const actions = (await s.models.Audit.find({ tenant: 'luan', actor: 'luan.admin' }).lean()).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['department.create', 'department.update', 'user.create', 'user.update', 'apikey.create', 'apikey.revoke']));
    await expect(s.models.Audit.deleteMany({})).rejects.toThrow(/append-only/);
  });
});

describe('drafts and publishing', () => {
  let s: TestServer;
  let admin: ReturnType<typeof request.agent>;
  beforeAll(async () => {
    s = await startTestServer();
    admin = await s.login('luan.admin');
  });
  afterAll(async () => { await s?.close(); });

  it('should save drafts of a form, a flow and a matter', async () => {
    await admin.put('/api/v1/admin/forms/mini-form').send({ title: '小申请表', schema: JSON.parse(fixture('mini-form.json')) }).expect(200);
    await admin.put('/api/v1/admin/flows/mini-flow').send({ title: '小流程', xml: fixture('mini.bpmn') }).expect(200);
    const matter = await admin.put('/api/v1/admin/matters/mini').send(miniMatter).expect(200);
    expect(matter.body.draft.linkedItems).toHaveLength(2);
    expect(matter.body.versions).toEqual([]);
  });

  it('should not list an unpublished matter to applicants', async () => {
    const applicant = await s.login('luan.applicant');
    const res = await applicant.get('/api/v1/matters').expect(200);
    expect(res.body).toEqual([]);
    await applicant.get('/api/v1/matters/mini').expect(404);
  });

  it('should refuse to publish with problems that name the element or field', async () => {
    const broken = fixture('mini.bpmn').replace('lb:candidateGroups="housing-fund"', 'lb:candidateGroups="no-such-dept"').replace('housingFund = true', 'housingFnd = true');
    await admin.put('/api/v1/admin/flows/mini-flow').send({ title: '小流程', xml: broken }).expect(200);
    const res = await admin.post('/api/v1/admin/matters/mini/publish').expect(422);
    expect(res.body.error.code).toBe('publish-problems');
    expect(res.body.error.problems).toEqual(expect.arrayContaining([
      expect.objectContaining({ element: 'Task_housing', message: expect.stringContaining('no-such-dept') }),
      expect.objectContaining({ element: 'f_housing', message: expect.stringContaining('housingFnd') }),
    ]));
  });

  it('should refuse a flow that does not deploy, naming the element', async () => {
    const bad = fixture('mini.bpmn').replace('<bpmn:endEvent id="End" />', '<bpmn:endEvent id="End" /><bpmn:scriptTask id="Script_1" />');
    await admin.put('/api/v1/admin/flows/mini-flow').send({ title: '小流程', xml: bad }).expect(200);
    const res = await admin.post('/api/v1/admin/matters/mini/publish').expect(422);
    expect(res.body.error.problems.some((p: { element?: string }) => p.element === 'Script_1')).toBe(true);
  });

  it('should publish a consistent matter as version 1, then 2, and list the latest to the city', async () => {
    await admin.put('/api/v1/admin/flows/mini-flow').send({ title: '小流程', xml: fixture('mini.bpmn') }).expect(200);
    const v1 = await admin.post('/api/v1/admin/matters/mini/publish').expect(200);
    expect(v1.body).toEqual({ version: 1 });
    await admin.put('/api/v1/admin/matters/mini').send({ ...miniMatter, title: '小事项（修订）' }).expect(200);
    const v2 = await admin.post('/api/v1/admin/matters/mini/publish').expect(200);
    expect(v2.body).toEqual({ version: 2 });
    const applicant = await s.login('luan.applicant');
    const list = await applicant.get('/api/v1/matters').expect(200);
    expect(list.body).toEqual([expect.objectContaining({ key: 'mini', title: '小事项（修订）', version: 2, forms: [{ key: 'mini-form', title: '小申请表' }] })]);
    expect((await applicant.get('/api/v1/matters/mini?version=1').expect(200)).body).toMatchObject({ version: 1, title: '小事项' });
    await applicant.get('/api/v1/matters/mini?version=9').expect(404);
    const one = await applicant.get('/api/v1/matters/mini').expect(200);
    expect(one.body.forms[0].schema.properties.housingFund['x-linked-item']).toBe('housing-fund-withdrawal');
    expect(one.body.flow.xml).toContain('Task_housing');
    const flow = await admin.get('/api/v1/admin/flows/mini-flow').expect(200);
    expect(flow.body.versions.map((v: { version: number }) => v.version)).toEqual([1]);
  });

  it('should list the city\'s forms, flows and matters for the designer', async () => {
    const forms = (await admin.get('/api/v1/admin/forms').expect(200)).body;
    expect(forms).toEqual([expect.objectContaining({ key: 'mini-form', title: '小申请表', version: 1 })]);
    expect((await admin.get('/api/v1/admin/flows').expect(200)).body[0]).toMatchObject({ key: 'mini-flow', version: 1 });
    expect((await admin.get('/api/v1/admin/matters').expect(200)).body[0]).toMatchObject({ key: 'mini', version: 2, flow: 'mini-flow', forms: ['mini-form'] });
    const other = await s.login('changzhou.admin');
    expect((await other.get('/api/v1/admin/forms').expect(200)).body).toEqual([]);
  });

  it('should keep one city\'s definitions from another', async () => {
    const other = await s.login('changzhou.admin');
    await other.get('/api/v1/admin/matters/mini').expect(404);
    await other.post('/api/v1/admin/matters/mini/publish').expect(404);
    const applicant = await s.login('changzhou.applicant');
    expect((await applicant.get('/api/v1/matters').expect(200)).body).toEqual([]);
  });

  it('should answer unknown API routes with a JSON 404 in Chinese', async () => {
    const res = await admin.get('/api/v1/no-such-route').expect(404);
    expect(res.body).toEqual({ error: { code: 'not-found', message: '请求的资源不存在' } });
  });

  it('should refuse drafts from non-admins', async () => {
    const staff = await s.login('luan.hrss');
    await staff.put('/api/v1/admin/forms/x-form').send({ title: 'x', schema: {} }).expect(403);
    expect(DEMO_PASSWORD).toBeTruthy();
  });
});
