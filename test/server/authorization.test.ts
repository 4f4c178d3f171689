/**
 * The authorization matrix: every documented operation (OPERATIONS) called by every kind of
 * caller of the case's own city and of the other city. Only the callers the document allows get
 * past authorization; another city's ids answer 404; nothing a refused call asked for happens.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type request from 'supertest';
import { OPERATIONS } from '@lianban/server';
import { publishMini, startTestServer, type TestServer } from './helpers';

type Agent = ReturnType<typeof request.agent>;
type Caller = 'anonymous' | 'applicant' | 'staff' | 'admin' | 'system' | 'operator';
// `operator` is the province's platform operator (platform.operator): no city's routes let it through
const CALLERS: Caller[] = ['anonymous', 'applicant', 'staff', 'admin', 'system', 'operator'];

/** Who the document says may call (`staff` here is hrss, who has a task in the case). */
function allowed(who: string, caller: Caller): boolean {
  switch (who) {
    case 'anyone': return true;
    case 'signed-in': return caller !== 'anonymous' && caller !== 'system' && caller !== 'operator';
    case 'account': return caller !== 'anonymous' && caller !== 'system';
    case 'owner/staff/admin': return caller === 'applicant' || caller === 'staff' || caller === 'admin';
    case 'staff/applicant/department-system': return caller === 'staff' || caller === 'applicant' || caller === 'system';
    case 'department-system': return caller === 'system';
    case 'staff/admin': return caller === 'staff' || caller === 'admin';
    case 'owner/admin': return caller === 'applicant' || caller === 'admin';
    case 'applicant/staff': return caller === 'applicant' || caller === 'staff';
    case 'owner/window': return caller === 'applicant' || caller === 'staff';
    default: return caller === who;
  }
}

const PDF = Buffer.from('%PDF-1.4\n%%EOF\n');

describe('authorization matrix', () => {
  let s: TestServer;
  const agents: Record<string, Record<Caller, Agent>> = {};
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    s = await startTestServer();
    await publishMini(s);
    const operator = await s.login('platform.operator');
    for (const city of ['luan', 'changzhou']) {
      const admin = await s.login(`${city}.admin`);
      const key = (await admin.post('/api/v1/admin/api-keys').send({ department: 'hrss' }).expect(201)).body.key;
      const system = s.agent();
      const withKey = new Proxy(system, {
        get(target, prop) {
          const value = Reflect.get(target, prop);
          if (['get', 'post', 'put', 'delete'].includes(String(prop))) return (url: string) => (value as (u: string) => request.Test).call(target, url).set('authorization', `Bearer ${key}`);
          return value;
        },
      });
      agents[city] = {
        anonymous: s.agent(), applicant: await s.login(`${city}.applicant`), staff: await s.login(`${city}.hrss`), admin, system: withKey as Agent, operator,
      };
    }
    // the city's resources every :param points at
    const luan = agents.luan!;
    const sub = await luan.applicant.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data: { name: '张三', idNumber: '341502196501150039', housingFund: true } }).expect(201);
    ids.case = sub.body.id;
    ids.caseNo = sub.body.no;
    const draft = await luan.applicant.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data: {}, draft: true }).expect(201);
    ids.draft = draft.body.id;
    ids.file = (await luan.applicant.post(`/api/v1/cases/${ids.draft}/attachments`).attach('file', PDF, 'a.pdf').expect(201)).body.fileId;
    ids.task = (await luan.staff.get('/api/v1/tasks').expect(200)).body[0].id;
    ids.notification = (await luan.applicant.get('/api/v1/notifications').expect(200)).body[0].id;
    ids.apikey = (await luan.admin.get('/api/v1/admin/api-keys').expect(200)).body[0].id;
    ids.outbox = '000000000000000000000000';
    await luan.admin.post('/api/v1/admin/document-templates').send({ kind: 'luan-notice', title: '六安测试通知', paragraphs: ['办件编号：{{caseNo}}'] }).expect(201);
  });
  afterAll(async () => { await s?.close(); });

  const PARAMS: Record<string, (path: string) => string> = {
    ':id': (p) => p.startsWith('/attachments') ? ids.file! : p.startsWith('/tasks') ? ids.task! : p.startsWith('/notifications') ? ids.notification!
      : p.startsWith('/admin/api-keys') ? ids.apikey! : p.startsWith('/outbox') ? ids.outbox! : p.includes('/submit') || (p === '/cases/:id' && false) ? ids.draft! : ids.case!,
    ':key': (p) => p.startsWith('/admin/departments') ? 'hrss' : p.startsWith('/admin/forms') ? 'mini-form' : p.startsWith('/admin/flows') ? 'mini-flow' : 'mini',
    ':username': () => 'luan.window',
    ':code': () => '320402',
    ':token': () => 'not-a-token',
    ':kind': () => 'luan-notice', // a kind only 六安 has (every city has `receipt`)
    ':year': () => '2027', // the province's calendar: one for every city
  };
  const fill = (path: string) => path.replace(/:[a-z]+/gi, (m) => PARAMS[m]!(path));
  const call = (agent: Agent, method: string, path: string) => (agent as unknown as Record<string, (u: string) => request.Test>)[method]!(`/api/v1${fill(path)}`);

  // Operations that would change what the later rows rely on are checked for refusals only.
  const SIDE_EFFECTS = new Set(['post /auth/logout', 'post /tasks/:id/complete', 'post /tasks/:id/claim', 'post /admin/api-keys/:id/revoke', 'put /admin/users/:username']);

  it.each(OPERATIONS.map((op) => [`${op[0].toUpperCase()} ${op[1]}`, op] as const))('%s', async (_name, [method, path, , who]) => {
    for (const caller of CALLERS) {
      const may = allowed(who, caller);
      if (may && SIDE_EFFECTS.has(`${method} ${path}`)) continue;
      const res = await call(agents.luan![caller], method, path).send(method === 'get' ? undefined : {});
      if (may) {
        expect([401, 403], `${caller} should pass authorization (${res.status} ${JSON.stringify(res.body)})`).not.toContain(res.status);
        expect(res.status, `${caller}: ${JSON.stringify(res.body)}`).toBeLessThan(500);
      } else {
        expect([401, 403, 404], `${caller} should be refused (${res.status})`).toContain(res.status);
      }
    }
    // the other city's callers never reach this city's resources
    // (the province's calendar is every city's: /calendar/:year is not a city's resource; the
    // /platform/ routes are the province operator's, who belongs to no city)
    if (who !== 'anyone' && /:[a-z]+/i.test(path) && !path.startsWith('/calendar/') && !path.startsWith('/platform/') && !(method === 'put' && path.startsWith('/admin/'))) {
      for (const caller of CALLERS) {
        const res = await call(agents.changzhou![caller], method, path).send(method === 'get' ? undefined : {});
        expect([401, 403, 404], `changzhou ${caller} on a 六安 id (${res.status})`).toContain(res.status);
      }
    }
  });

  it('should have left the 六安 case and task untouched by refused calls', async () => {
    const doc = await s.models.Case.findById(ids.case).lean();
    expect(doc!.tasks.find((t) => t.id === ids.task)!.state).toBe('open');
    expect(doc!.status).toBe('in-progress');
  });

  it('should reject NoSQL operators in bodies and queries', async () => {
    const luan = agents.luan!;
    // a `$` key in any JSON body is refused before a route sees it (400 invalid-json, http/json-guard.ts)
    await luan.anonymous.post('/api/v1/auth/login').send({ username: { $ne: null }, password: { $ne: null } }).expect(400);
    await luan.admin.post('/api/v1/admin/users').send({ username: 'luan.x9', password: 'Str0ng-pass', roles: ['staff'], departments: [{ $gt: '' }] }).expect(400);
    const list = await luan.staff.get('/api/v1/tasks?q[$ne]=x').expect(200);
    expect(list.body).toEqual((await luan.staff.get('/api/v1/tasks').expect(200)).body);
    const cases = await luan.applicant.get('/api/v1/cases?status[$ne]=draft').expect(200);
    expect(cases.body.length).toBeGreaterThan(0);
    // an operator inside form data is never a query: refused with the rest
    await luan.applicant.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data: { name: { $gt: '' }, idNumber: '341502196501150039' } }).expect(400);
  });
});
