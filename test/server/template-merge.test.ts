/**
 * Provincial templates (issue 22 part 2, docs/templates.md): the operator publishes a template,
 * a new city derives its matter from it and changes it, the operator publishes a new version;
 * the city's administrator sees the three-way diff with the conflict flagged and takes only
 * what does not overwrite the city's own change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type request from 'supertest';
import { loadCity } from '@lianban/templates';
import { seedDemoProvincialTemplate } from '@lianban/server';
import { startTestServer, type TestServer } from './helpers';

type Agent = ReturnType<typeof request.agent>;
const KEY = 'retirement';
const FORM = 'luan-retirement-unit';
const API = '/api/v1';

function templateDraft() {
  const city = loadCity('luan');
  const { key: _key, title, ...matter } = city.matters[0]!;
  const flow = city.flows.find((f) => f.key === matter.flow)!;
  return structuredClone({
    title, matter,
    forms: matter.forms.map((r) => { const f = city.forms.find((x) => x.key === r.key)!; return { key: f.key, title: f.title, schema: f.schema }; }),
    flow: { key: flow.key, title: flow.title, xml: flow.xml },
  });
}
const fieldsOf = (draft: ReturnType<typeof templateDraft>) => draft.forms.find((f) => f.key === FORM)!.schema.properties as Record<string, Record<string, unknown>>;

describe('provincial templates: derive, diff, merge', () => {
  let s: TestServer;
  let operator: Agent;
  let admin: Agent;

  beforeAll(async () => {
    s = await startTestServer();
    operator = await s.login('platform.operator');
    const created = await operator.post(`${API}/platform/cities`).send({ key: 'wuxi', name: '无锡市', province: '江苏省' }).expect(201);
    admin = await s.login('wuxi.admin', created.body.admin.password);
    await admin.post(`${API}/auth/password`).send({ current: created.body.admin.password, next: 'Wuxi-Adm1n-2026' }).expect(200);
  });
  afterAll(async () => { await s?.close(); });

  it('lets only the operator save and publish a template, and checks it first', async () => {
    const luanAdmin = await s.login('luan.admin');
    await luanAdmin.put(`${API}/platform/templates/${KEY}`).send(templateDraft()).expect(403);
    await operator.get(`${API}/admin/templates`).expect(403);

    const broken = templateDraft();
    broken.matter.linkedItems[0]!.key = 'nowhere';
    await operator.put(`${API}/platform/templates/${KEY}`).send(broken).expect(200);
    const refused = await operator.post(`${API}/platform/templates`).send({ key: KEY }).expect(422);
    expect(refused.body.error.code).toBe('publish-problems');

    await operator.put(`${API}/platform/templates/${KEY}`).send(templateDraft()).expect(200);
    expect((await operator.post(`${API}/platform/templates`).send({ key: KEY }).expect(201)).body).toEqual({ key: KEY, version: 1 });
    expect((await operator.get(`${API}/platform/templates`).expect(200)).body).toEqual([expect.objectContaining({ key: KEY, version: 1, publishedBy: 'platform.operator' })]);
    expect(await s.models.Audit.exists({ action: 'template.publish', target: `template:${KEY}` })).toBeTruthy();
  });

  it('merges the non-conflicting change of a new version and keeps the city\'s own', async () => {
    // the city derives its matter and adapts it: its own label, its own department for 受理
    expect((await admin.get(`${API}/admin/templates`).expect(200)).body.map((t: { key: string }) => t.key)).toEqual([KEY]);
    expect((await admin.post(`${API}/admin/templates/${KEY}/derive`).send({}).expect(201)).body).toEqual({ matter: KEY, template: { key: KEY, version: 1 } });
    await admin.post(`${API}/admin/templates/${KEY}/derive`).send({}).expect(409);
    // the matter says where it came from (the designer shows the update panel only then)
    expect((await admin.get(`${API}/admin/matters/${KEY}`).expect(200)).body.template).toEqual({ key: KEY, version: 1 });
    const form = (await admin.get(`${API}/admin/forms/${FORM}`).expect(200)).body;
    form.draft.schema.properties.unitName.title = '用人单位全称';
    await admin.put(`${API}/admin/forms/${FORM}`).send({ title: form.title, schema: form.draft.schema }).expect(200);
    const flow = (await admin.get(`${API}/admin/flows/luan-retirement`).expect(200)).body;
    const cityXml = (flow.draft.xml as string).replace('lb:candidateGroups="window" lb:outcomes="accept,return-for-correction"', 'lb:candidateGroups="service-hall" lb:outcomes="accept,return-for-correction"');
    expect(cityXml).not.toBe(flow.draft.xml);
    await admin.put(`${API}/admin/flows/luan-retirement`).send({ title: flow.title, xml: cityXml }).expect(200);
    expect((await admin.get(`${API}/admin/matters/${KEY}/template-diff`).expect(200)).body).toMatchObject({ template: { base: 1, latest: 1 }, changes: [] });

    // the province's version 2: the same label otherwise, and a new field
    const v2 = templateDraft();
    fieldsOf(v2).unitName!.title = '参保单位名称';
    const form2 = v2.forms.find((f) => f.key === FORM)!;
    form2.schema.properties = { ...fieldsOf(v2), agentEmail: { type: 'string', title: '代办人电子邮箱', 'x-field-type': 'text', maxLength: 100 } };
    await operator.put(`${API}/platform/templates/${KEY}`).send(v2).expect(200);
    await operator.post(`${API}/platform/templates`).send({ key: KEY }).expect(201);

    const diff = (await admin.get(`${API}/admin/matters/${KEY}/template-diff`).expect(200)).body;
    expect(diff.template).toMatchObject({ key: KEY, base: 1, latest: 2 });
    expect(diff.changes).toEqual(expect.arrayContaining([
      expect.objectContaining({ id: `field:${FORM}/unitName#title`, kind: 'changed', base: '单位名称', theirs: '参保单位名称', ours: '用人单位全称', conflict: true }),
      expect.objectContaining({ id: `field:${FORM}/agentEmail`, kind: 'added', conflict: false }),
    ]));
    expect(diff.changes).toHaveLength(2); // the city's department is no change of the template

    // a conflict is not taken without resolving it; a stale version is refused
    const all = diff.changes.map((c: { id: string }) => c.id);
    expect((await admin.post(`${API}/admin/matters/${KEY}/template-merge`).send({ accept: all, version: 2 }).expect(409)).body.error.code).toBe('unresolved-conflict');
    expect((await admin.post(`${API}/admin/matters/${KEY}/template-merge`).send({ accept: [], version: 1 }).expect(409)).body.error.code).toBe('template-moved-on');
    await admin.post(`${API}/admin/matters/${KEY}/template-merge`).send({ accept: ['field:nowhere/x'], version: 2 }).expect(409);
    await admin.post(`${API}/admin/matters/${KEY}/template-merge`).send({ accept: 'all', version: 2 }).expect(422);

    const merged = (await admin.post(`${API}/admin/matters/${KEY}/template-merge`).send({ accept: [`field:${FORM}/agentEmail`], version: 2 }).expect(200)).body;
    expect(merged).toEqual({ matter: KEY, template: { key: KEY, version: 2 }, applied: [`field:${FORM}/agentEmail`], skipped: [] });
    const after = (await admin.get(`${API}/admin/forms/${FORM}`).expect(200)).body.draft.schema.properties;
    expect(after.agentEmail).toMatchObject({ title: '代办人电子邮箱' });
    expect(after.unitName.title).toBe('用人单位全称');
    expect((await admin.get(`${API}/admin/flows/luan-retirement`).expect(200)).body.draft.xml).toContain('lb:candidateGroups="service-hall"');
    const record = await s.models.Audit.findOne({ action: 'template.merge', target: `matter:${KEY}`, tenant: 'wuxi' }).lean();
    expect(record?.details).toMatchObject({ from: 1, to: 2, applied: [`field:${FORM}/agentEmail`], left: [`field:${FORM}/unitName#title`] });

    // merged: nothing left to show, and the same version cannot be merged twice
    expect((await admin.get(`${API}/admin/matters/${KEY}/template-diff`).expect(200)).body).toMatchObject({ template: { base: 2, latest: 2 }, changes: [] });
    expect((await admin.post(`${API}/admin/matters/${KEY}/template-merge`).send({ accept: [], version: 2 }).expect(409)).body.error.code).toBe('template-moved-on');
  });

  it('takes a conflicting change only when told to', async () => {
    const v3 = templateDraft();
    fieldsOf(v3).unitName!.title = '参保单位（全称）';
    await operator.put(`${API}/platform/templates/${KEY}`).send(v3).expect(200);
    await operator.post(`${API}/platform/templates`).send({ key: KEY }).expect(201);
    const diff = (await admin.get(`${API}/admin/matters/${KEY}/template-diff`).expect(200)).body;
    const conflict = diff.changes.find((c: { id: string }) => c.id === `field:${FORM}/unitName#title`);
    expect(conflict).toMatchObject({ conflict: true, theirs: '参保单位（全称）', ours: '用人单位全称' });
    await admin.post(`${API}/admin/matters/${KEY}/template-merge`).send({ accept: [conflict.id], version: 3, resolve: 'theirs' }).expect(200);
    expect((await admin.get(`${API}/admin/forms/${FORM}`).expect(200)).body.draft.schema.properties.unitName.title).toBe('参保单位（全称）');
  });

  it('refuses in Chinese to compare with a city flow that does not parse, and a bad template key', async () => {
    await operator.put(`${API}/platform/templates/Bad_Key`).send(templateDraft()).expect(422);
    const v4 = templateDraft();
    v4.flow.xml = v4.flow.xml.replace('name="一窗受理（查验申请表及材料）"', 'name="综合窗口受理"');
    await operator.put(`${API}/platform/templates/${KEY}`).send(v4).expect(200);
    await operator.post(`${API}/platform/templates`).send({ key: KEY }).expect(201);
    const flow = (await admin.get(`${API}/admin/flows/luan-retirement`).expect(200)).body;
    // the template's renamed step comes in; the city's own department stays
    const diff = (await admin.get(`${API}/admin/matters/${KEY}/template-diff`).expect(200)).body;
    expect(diff.changes.map((c: { id: string }) => c.id)).toContain('flow:Task_window#name');
    await admin.put(`${API}/admin/flows/luan-retirement`).send({ title: flow.title, xml: '<bpmn:definitions' }).expect(200);
    const refused = await admin.get(`${API}/admin/matters/${KEY}/template-diff`).expect(422);
    expect(refused.body.error.message).toMatch(/流程无法解析/);
    await admin.put(`${API}/admin/flows/luan-retirement`).send({ title: flow.title, xml: flow.draft.xml }).expect(200);
    await admin.post(`${API}/admin/matters/${KEY}/template-merge`).send({ accept: ['flow:Task_window#name'], version: 4 }).expect(200);
    const xml = (await admin.get(`${API}/admin/flows/luan-retirement`).expect(200)).body.draft.xml as string;
    expect(xml).toMatch(/id="Task_window" name="综合窗口受理" lb:candidateGroups="service-hall"/);
  });

  it('shows a city\'s derived matter to no other city and to no applicant', async () => {
    const luanAdmin = await s.login('luan.admin');
    expect((await luanAdmin.get(`${API}/admin/matters/${KEY}/template-diff`).expect(404)).body.error.code).toBe('not-found');
    await luanAdmin.post(`${API}/admin/matters/${KEY}/template-merge`).send({ accept: [], version: 4 }).expect(404);
    // a matter of its own that no template made
    expect((await luanAdmin.get(`${API}/admin/matters/luan-retirement/template-diff`).expect(404)).body.error.message).toMatch(/不存在|模板/);
    const applicant = await s.login('luan.applicant');
    await applicant.get(`${API}/admin/matters/${KEY}/template-diff`).expect(403);
    await applicant.post(`${API}/admin/matters/${KEY}/template-merge`).send({ accept: [], version: 4 }).expect(403);
    await applicant.get(`${API}/platform/templates`).expect(403);
  });
});

describe('the demo\'s provincial template', () => {
  it('is the shipped 六安 retirement matter, published once as version 1, and a city derives it', async () => {
    const s = await startTestServer();
    try {
      expect(await seedDemoProvincialTemplate(s.models, loadCity('luan'))).toBe('retirement@1');
      expect(await seedDemoProvincialTemplate(s.models, loadCity('luan'))).toBeNull();
      const admin = await s.login('changzhou.admin');
      expect((await admin.get(`${API}/admin/templates`).expect(200)).body).toEqual([expect.objectContaining({ key: 'retirement', version: 1 })]);
    } finally {
      await s.close();
    }
  });
});
