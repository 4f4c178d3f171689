/**
 * Operations: readiness (`GET /ready`), Prometheus metrics (`GET /metrics` behind its token),
 * structured JSON logs, and the request id carried from the answer's header into the audit.
 */
import { Writable } from 'node:stream';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv, createApp, createLogger, type Database } from '@lianban/server';
import { publishMini, startTestServer, type TestServer } from './helpers';

const TOKEN = 'metrics-test-token-0123456789';

/** `name{labels} value` lines of the exposition text, as [name, labels, value]. */
function samples(text: string): { name: string; labels: Record<string, string>; value: number }[] {
  const out = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not an exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (m[2] ?? '').matchAll(/([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]!] = pair[2]!;
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

describe('readiness without a database', () => {
  it('answers 503 not-ready with the reason while /health stays 200', async () => {
    const noDatabase: Database = { mode: null, connection: null, problem: '未配置数据库', close: async () => {} };
    const app = createApp({ config: { ...configFromEnv({}), webRoot: '/nonexistent' }, db: noDatabase }).callback();
    const res = await request(app).get('/api/v1/ready').expect(503);
    expect(res.body).toEqual({ status: 'not-ready', message: '未配置数据库' });
    await request(app).get('/api/v1/health').expect(200);
  });
});

describe('operations', () => {
  let s: TestServer;
  let withoutToken: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ config: { metricsToken: TOKEN } });
    withoutToken = await startTestServer({ seed: false });
  });
  afterAll(async () => { await s.close(); await withoutToken.close(); });

  it('is ready when the database answers', async () => {
    const res = await s.agent().get('/api/v1/ready').expect(200);
    expect(res.body).toEqual({ status: 'ready' });
  });

  it('keeps /metrics closed without the configured token', async () => {
    const off = await withoutToken.agent().get('/api/v1/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(404);
    expect(off.body.error.code).toBe('metrics-disabled');
    const none = await s.agent().get('/api/v1/metrics').expect(401);
    expect(none.headers['www-authenticate']).toBe('Bearer');
    await s.agent().get('/api/v1/metrics').set('Authorization', 'Bearer wrong').expect(401);
  });

  it('counts requests by route template, engine steps and database round trips', async () => {
    await publishMini(s);
    const applicant = await s.login('luan.applicant');
    const sub = await applicant.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data: { name: '张三', idNumber: '341502196501150039', housingFund: true } }).expect(201);
    await applicant.get(`/api/v1/cases/${sub.body.id}`).expect(200);
    await applicant.get('/api/v1/cases/000000000000000000000000').expect(404);
    const res = await s.agent().get('/api/v1/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const all = samples(res.text);
    const value = (name: string, labels: Record<string, string> = {}) =>
      all.filter((x) => x.name === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v)).reduce((n, x) => n + x.value, 0);
    expect(value('lianban_http_requests_total', { method: 'POST', route: '/cases', status: '201' })).toBeGreaterThanOrEqual(1);
    // the template, never the id: one series for every case read
    expect(value('lianban_http_requests_total', { method: 'GET', route: '/cases/:id', status: '404' })).toBeGreaterThanOrEqual(1);
    expect(all.some((x) => x.labels.route?.includes('000000000000000000000000'))).toBe(false);
    expect(value('lianban_http_request_duration_seconds_count', { method: 'POST', route: '/cases' })).toBeGreaterThanOrEqual(1);
    expect(value('lianban_engine_steps_total')).toBeGreaterThanOrEqual(1);
    expect(value('lianban_db_commands_total')).toBeGreaterThan(0);
    // the submission pushed nothing to a department system yet: the gauges are there and read the database
    expect(all.some((x) => x.name === 'lianban_outbox_depth')).toBe(true);
    expect(value('lianban_timer_lag_seconds')).toBe(0);
    expect(value('lianban_process_cpu_seconds_total')).toBeGreaterThan(0);
  });

  it('answers with a request id and records it in the audit of what the request did', async () => {
    const agent = s.agent();
    const res = await agent.post('/api/v1/auth/login').set('X-Request-Id', 'req-test-0001').send({ username: 'luan.admin', password: 'Test-Passw0rd!' }).expect(200);
    expect(res.headers['x-request-id']).toBe('req-test-0001');
    const record = await s.models.Audit.findOne({ requestId: 'req-test-0001' }).lean();
    expect(record?.action).toBe('auth.login');
    // a malformed id from outside is replaced, not logged as given
    const other = await s.agent().get('/api/v1/ready').set('X-Request-Id', 'bad id\twith spaces');
    expect(other.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('structured logs', () => {
  it('writes one JSON object per line with level, time and message', () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
    const logger = createLogger('info', sink);
    logger.debug('hidden at info');
    logger.warn({ caseId: 'c1' }, '定时器迟到');
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!);
    expect(entry).toMatchObject({ level: 40, msg: '定时器迟到', caseId: 'c1', service: 'lianban' });
    expect(Date.parse(entry.time)).not.toBeNaN();
  });
});
