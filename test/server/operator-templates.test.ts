/**
 * The operator's 「省级模板」 (issue 22 part 2, docs/templates.md 「The operator」): a template's
 * draft made from a city's published matter (`POST /platform/templates/:key/from-city`), what
 * publishing it would change (`GET /platform/templates/:key/draft-changes`), the overview
 * (`GET /platform/templates`: versions, draft state, source, derived matters); a new version
 * reaches another city's administrator. Only the operator may call; unknown cities and matters
 * are 404 in Chinese.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type request from 'supertest';
import { loadCity } from '@lianban/templates';
import { seedDemoProvincialTemplate, seedDemoTemplates } from '@lianban/server';
import { creditCodeCheckChar } from '@lianban/runtime';
import type { TemplateOverview } from '@lianban/runtime/contract';
import { startTestServer, type TestServer } from './helpers';

type Agent = ReturnType<typeof request.agent>;
const API = '/api/v1';
const FORM = 'luan-retirement-unit';

describe('operator templates: from a city\'s matter, publish', () => {
  let s: TestServer;
  let operator: Agent;
  let luanAdmin: Agent;
  const overview = async (key: string) => ((await operator.get(`${API}/platform/templates`).expect(200)).body as TemplateOverview[]).find((t) => t.key === key)!;

  beforeAll(async () => {
    s = await startTestServer();
    await seedDemoTemplates(s.models);
    await seedDemoProvincialTemplate(s.models, loadCity('luan'));
    operator = await s.login('platform.operator');
    luanAdmin = await s.login('luan.admin');
  });
  afterAll(async () => { await s?.close(); });

  it('lets only the operator call the new routes', async () => {
    await luanAdmin.get(`${API}/platform/cities/luan/matters`).expect(403);
    await luanAdmin.post(`${API}/platform/templates/retirement/from-city`).send({ city: 'luan', matter: 'luan-retirement' }).expect(403);
    await luanAdmin.get(`${API}/platform/templates/retirement/draft-changes`).expect(403);
    await luanAdmin.get(`${API}/platform/templates`).expect(403);
    await s.agent().get(`${API}/platform/cities/luan/matters`).expect(401);
  });

  it('answers 404 in Chinese for an unknown city or matter, 422 for a bad key', async () => {
    expect((await operator.get(`${API}/platform/cities/nowhere/matters`).expect(404)).body.error).toEqual({ code: 'not-found', message: '城市「nowhere」不存在' });
    expect((await operator.get(`${API}/platform/cities/platform/matters`).expect(404)).body.error.code).toBe('not-found');
    const city = await operator.post(`${API}/platform/templates/retirement/from-city`).send({ city: 'nowhere', matter: 'luan-retirement' }).expect(404);
    expect(city.body.error.message).toBe('城市「nowhere」不存在');
    const matter = await operator.post(`${API}/platform/templates/retirement/from-city`).send({ city: 'luan', matter: 'no-such-matter' }).expect(404);
    expect(matter.body.error).toEqual({ code: 'not-found', message: '六安市没有已发布的事项「no-such-matter」' });
    const key = await operator.post(`${API}/platform/templates/Bad_Key/from-city`).send({ city: 'luan', matter: 'luan-retirement' }).expect(422);
    expect(key.body.error.message).toContain('模板标识');
    await operator.post(`${API}/platform/templates/retirement/from-city`).send({ city: 'luan' }).expect(422);
    await operator.get(`${API}/platform/templates/nothing-here/draft-changes`).expect(404);
  });

  it('makes the draft from the city\'s published matter exactly as PUT stores it, shows the changes, publishes v2 for the cities', async () => {
    const matters = (await operator.get(`${API}/platform/cities/luan/matters`).expect(200)).body;
    expect(matters).toEqual([expect.objectContaining({ key: 'luan-retirement', title: '企业职工退休“一件事一次办”', version: 1, publishedBy: 'luan.admin' })]);
    const before = await overview('retirement');
    expect(before).toMatchObject({ version: 1, draftChanged: false, derived: [], versions: [expect.objectContaining({ version: 1, publishedBy: 'platform.operator' })] });

    // 六安's version 1 is what the demo template was saved from with PUT: the same draft, nothing to publish
    expect(await operator.post(`${API}/platform/templates/retirement/from-city`).send({ city: 'luan', matter: 'luan-retirement' }).expect(200).then((r) => r.body))
      .toMatchObject({ key: 'retirement', version: 1, draftChanged: false, source: { city: 'luan', matter: 'luan-retirement', version: 1, by: 'platform.operator' } });
    expect((await operator.get(`${API}/platform/templates/retirement/draft-changes`).expect(200)).body).toEqual({ key: 'retirement', version: 1, changes: [] });

    // 六安 renames a field, gives an item a 实施编码 of its own, and publishes its version 2
    const form = (await luanAdmin.get(`${API}/admin/forms/${FORM}`).expect(200)).body;
    form.draft.schema.properties.unitName.title = '参保单位名称';
    await luanAdmin.put(`${API}/admin/forms/${FORM}`).send({ title: form.title, schema: form.draft.schema }).expect(200);
    const m = (await luanAdmin.get(`${API}/admin/matters/luan-retirement`).expect(200)).body;
    const { updatedAt: _at, updatedBy: _by, ...draft } = m.draft;
    draft.linkedItems[0].implCode = `11341500MB1234567${creditCodeCheckChar('11341500MB1234567')}3000117005000`;
    const saved = await luanAdmin.put(`${API}/admin/matters/luan-retirement`).send({ title: m.title, ...draft });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    await luanAdmin.post(`${API}/admin/matters/luan-retirement/publish`).expect(200);

    const made = (await operator.post(`${API}/platform/templates/retirement/from-city`).send({ city: 'luan', matter: 'luan-retirement' }).expect(200)).body as TemplateOverview;
    expect(made).toMatchObject({ key: 'retirement', version: 1, draftChanged: true, source: { city: 'luan', matter: 'luan-retirement', version: 2 } });
    // stored as the platform's drafts: the form's own title, the matter's title for it, no city 实施编码
    const platformForm = await s.models.FormDef.findOne({ tenant: 'platform', key: FORM }).lean();
    expect(platformForm!.title).toBe(loadCity('luan').forms.find((f) => f.key === FORM)!.title);
    expect((platformForm!.schema.properties as Record<string, { title: string }>).unitName!.title).toBe('参保单位名称');
    const platformMatter = await s.models.MatterDef.findOne({ tenant: 'platform', key: 'retirement' }).lean();
    expect(platformMatter!.forms[0]).toEqual({ key: FORM, title: '企业职工退休“一件事一次办”申请表（2023版）（单位代办）' });
    expect(platformMatter!.linkedItems.some((i) => i.implCode)).toBe(false);
    expect(await s.models.Audit.exists({ tenant: 'platform', action: 'template.from-city', target: 'template:retirement' })).toBeTruthy();

    // what publishing would change: the renamed field only
    const changes = (await operator.get(`${API}/platform/templates/retirement/draft-changes`).expect(200)).body;
    expect(changes).toMatchObject({ key: 'retirement', version: 1 });
    expect(changes.changes).toEqual([expect.objectContaining({ unit: 'field', path: `field:${FORM}/unitName#title`, kind: 'changed', base: expect.any(String), theirs: '参保单位名称', conflict: false })]);

    // publish v2: 常州's administrator sees it
    expect((await operator.post(`${API}/platform/templates`).send({ key: 'retirement' }).expect(201)).body).toEqual({ key: 'retirement', version: 2 });
    const after = await overview('retirement');
    expect(after).toMatchObject({ version: 2, draftChanged: false });
    expect(after.versions.map((v) => v.version)).toEqual([2, 1]);
    const cz = await s.login('changzhou.admin');
    expect((await cz.get(`${API}/admin/templates`).expect(200)).body).toEqual([expect.objectContaining({ key: 'retirement', version: 2 })]);
    await cz.post(`${API}/admin/templates/retirement/derive`).send({}).expect(201);
    expect((await overview('retirement')).derived).toEqual([{ city: 'changzhou', matter: 'retirement', version: 2 }]);
  });

  it('makes a new template from another city, and refuses forms another template\'s draft already holds', async () => {
    const clash = await operator.post(`${API}/platform/templates/retirement-copy/from-city`).send({ city: 'luan', matter: 'luan-retirement' }).expect(409);
    expect(clash.body.error.code).toBe('exists');
    expect(clash.body.error.message).toContain('省级模板「retirement」');
    expect(await s.models.MatterDef.exists({ tenant: 'platform', key: 'retirement-copy' })).toBeNull();

    const made = (await operator.post(`${API}/platform/templates/retirement-cz/from-city`).send({ city: 'changzhou', matter: 'changzhou-retirement', title: '企业职工退休（常州版）' }).expect(200)).body as TemplateOverview;
    expect(made).toMatchObject({ key: 'retirement-cz', title: '企业职工退休（常州版）', version: null, publishedAt: null, draftChanged: true, versions: [], derived: [] });
    expect((await operator.get(`${API}/platform/templates/retirement-cz/draft-changes`).expect(200)).body).toEqual({ key: 'retirement-cz', version: null, changes: [] });
    expect((await operator.post(`${API}/platform/templates`).send({ key: 'retirement-cz' }).expect(201)).body).toEqual({ key: 'retirement-cz', version: 1 });
    expect(((await operator.get(`${API}/platform/templates`).expect(200)).body as TemplateOverview[]).map((t) => `${t.key}@${t.version}`)).toEqual(['retirement@2', 'retirement-cz@1']);
  });

  it('refuses a PUT whose forms or flow another template\'s draft holds, and saves nothing', async () => {
    const city = loadCity('luan');
    const { key: _key, title, ...matter } = city.matters[0]!;
    const flow = city.flows.find((f) => f.key === matter.flow)!;
    const forms = matter.forms.map((r) => { const f = city.forms.find((x) => x.key === r.key)!; return { key: f.key, title: f.title, schema: structuredClone(f.schema) }; });
    (forms.find((f) => f.key === FORM)!.schema.properties as Record<string, { title?: string }>).unitName!.title = '改过的标题';
    const before = await s.models.FormDef.findOne({ tenant: 'platform', key: FORM }).lean();
    const res = await operator.put(`${API}/platform/templates/retirement-copy`).send({ title, matter, forms, flow: { key: flow.key, title: flow.title, xml: flow.xml } }).expect(409);
    expect(res.body.error.code).toBe('exists');
    expect(res.body.error.message).toContain('已用于省级模板「retirement」的草稿');
    expect(await s.models.MatterDef.exists({ tenant: 'platform', key: 'retirement-copy' })).toBeNull();
    expect(await s.models.FormDef.findOne({ tenant: 'platform', key: FORM }).lean()).toEqual(before);
  });

  it('refuses to publish a draft that is the same as the newest version', async () => {
    const again = await operator.post(`${API}/platform/templates`).send({ key: 'retirement-cz' }).expect(409);
    expect(again.body.error).toMatchObject({ code: 'nothing-to-publish', message: '草稿与省级模板「retirement-cz」的最新版本 v1 相同，无需发布', version: 1 });
    expect((await overview('retirement-cz')).versions.map((v) => v.version)).toEqual([1]);
  });
});
