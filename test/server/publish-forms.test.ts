import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type request from 'supertest';
import { seedDemoTemplates } from '@lianban/server';
import { startTestServer, type TestServer } from './helpers';

// Issue 17, findings 2, 9 (forms) and 10: publishing runs the whole form checker.
const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8');
type Schema = { properties: Record<string, Record<string, unknown>> };
const miniForm = (): Schema => JSON.parse(fixture('mini-form.json'));

const BROKEN: [string, (s: Schema) => void, string][] = [
  ['a {{ }} expression in a title', (s) => { s.properties.name!.title = '{{fetch("/api")}}'; }, 'forms.mini-form.name.title'],
  ['a {{ }} expression deep in component props', (s) => { s.properties.housingFund!['x-decorator-props'] = { extra: ['{{ $self }}'] }; }, 'forms.mini-form.housingFund.x-decorator-props'],
  ['a back-reference in a pattern', (s) => { s.properties.name!.pattern = '^(\\w+)\\1$'; }, 'forms.mini-form.name.pattern'],
  ['x-compute: "constructor"', (s) => { s.properties.age = { type: 'string', title: '年龄', 'x-field-type': 'computed', 'x-compute': 'constructor' }; }, 'forms.mini-form.age.x-compute'],
  ['x-compute naming Object.prototype members', (s) => { s.properties.age = { type: 'string', title: '年龄', 'x-field-type': 'computed', 'x-compute': { compute: 'constructor', from: {} } }; }, 'forms.mini-form.age.x-compute'],
  ['x-rules', (s) => { s.properties.name!['x-rules'] = { compute: '__proto__' }; }, 'forms.mini-form.name.x-rules'],
  ['an undocumented component prop', (s) => { s.properties.idNumber!['x-component-props'] = { dangerouslySetInnerHTML: { __html: 'x' } }; }, 'forms.mini-form.idNumber.x-component-props.dangerouslySetInnerHTML'],
];

describe('publishing checks every form of the matter', () => {
  let s: TestServer;
  let admin: ReturnType<typeof request.agent>;
  beforeAll(async () => {
    s = await startTestServer();
    admin = await s.login('luan.admin');
    await admin.put('/api/v1/admin/flows/mini-flow').send({ title: '小流程', xml: fixture('mini.bpmn') }).expect(200);
    await admin.put('/api/v1/admin/matters/mini').send({
      title: '小事项', forms: [{ key: 'mini-form' }], flow: 'mini-flow',
      linkedItems: [
        { key: 'retirement-approval', title: '退休审批', department: 'hrss', mandatory: true },
        { key: 'housing-fund-withdrawal', title: '公积金提取', department: 'housing-fund' },
      ],
    }).expect(200);
  });
  afterAll(async () => { await s?.close(); });

  it.each(BROKEN)('should refuse %s with a problem naming the field', async (_what, breakIt, field) => {
    const schema = miniForm();
    breakIt(schema);
    await admin.put('/api/v1/admin/forms/mini-form').send({ title: '小申请表', schema }).expect(200);
    const res = await admin.post('/api/v1/admin/matters/mini/publish').expect(422);
    expect(res.body.error.code).toBe('publish-problems');
    expect(res.body.error.problems).toContainEqual({ field, message: expect.stringMatching(/^表单「mini-form」字段 .+：\p{Script=Han}/u) });
  });

  it('should publish the intact form', async () => {
    await admin.put('/api/v1/admin/forms/mini-form').send({ title: '小申请表', schema: miniForm() }).expect(200);
    await admin.post('/api/v1/admin/matters/mini/publish').expect(200);
  });

  it('should still publish every shipped template', async () => {
    const published = await seedDemoTemplates(s.models);
    expect(published.length).toBeGreaterThan(1);
  });
});
