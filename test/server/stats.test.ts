/**
 * GET /admin/stats, /admin/stats.xlsx and /platform/stats over 1k generated cases (two cities)
 * inserted directly (test/server/stats-data.ts), every figure compared with the same figures
 * computed independently in plain TypeScript over the generated documents.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import type { CaseStats, PlatformStats } from '@lianban/runtime/contract';
import { startTestServer, type TestServer } from './helpers';
import { expectedStats, generateCases, insertCases } from './stats-data';

const HOUR = 3_600_000;
const withoutStamp = ({ generatedAt: _g, asOf: _a, ...rest }: CaseStats) => rest;

describe('statistics on the server', () => {
  let s: TestServer;
  let docs: Record<string, unknown>[];
  let now: Date;
  beforeAll(async () => {
    s = await startTestServer();
    now = new Date();
    docs = generateCases({ tenants: ['luan', 'changzhou'], perTenant: 500, now });
    await insertCases(s.models.Case.collection, docs);
    // the demo accounts include the province's operator (platform.operator)
  });
  afterAll(() => s.close());

  it('answers a city admin every figure of their own city, as counted independently', async () => {
    const admin = await s.login('luan.admin');
    const from = new Date(+now - 40 * 24 * HOUR);
    const to = new Date(+now - 2 * 24 * HOUR);
    const res = await admin.get('/api/v1/admin/stats').query({ from: from.toISOString(), to: to.toISOString() }).expect(200);
    const got = res.body as CaseStats;
    const want = expectedStats(docs, 'luan', from, to, null, now);
    expect(withoutStamp(got)).toEqual(want);
    // the data exercise every figure (so equality above means something)
    expect(want.received).toBeGreaterThan(250);
    expect(want.received).toBeLessThan(500);
    expect(want.byChannel.window).toBeGreaterThan(0);
    expect(want.steps.length).toBe(4);
    expect(want.corrections.cases).toBeGreaterThan(0);
    expect(want.deadlines.overdue).toBeGreaterThan(0);
    expect(want.deadlines.dueSoon).toBeGreaterThan(0);
    expect(want.evaluations.overall.count).toBeGreaterThan(50);
    expect(want.evaluations.byItem.length).toBe(3);
    expect(want.departments.every((d) => d.p90Ms >= d.medianMs)).toBe(true);
  });

  it('takes days in China time and one matter', async () => {
    const admin = await s.login('changzhou.admin');
    const day = (ms: number) => new Date(ms + 8 * HOUR).toISOString().slice(0, 10);
    const fromDay = day(+now - 20 * 24 * HOUR);
    const toDay = day(+now - 24 * HOUR);
    const res = await admin.get('/api/v1/admin/stats').query({ from: fromDay, to: toDay, matter: 'retirement' }).expect(200);
    const from = new Date(`${fromDay}T00:00:00+08:00`);
    const to = new Date(+new Date(`${toDay}T00:00:00+08:00`) + 24 * HOUR);
    const want = expectedStats(docs, 'changzhou', from, to, 'retirement', now);
    expect(withoutStamp(res.body)).toEqual(want);
    expect(want.byMatter.map((m) => m.key)).toEqual(['retirement']);
  });

  it('refuses bad periods in Chinese, and other roles', async () => {
    const admin = await s.login('luan.admin');
    for (const q of [{ from: '2026-13-01' }, { from: 'yesterday' }, { from: '2026-02-30' }, { from: '2026-03-01', to: '2026-02-01' }, { from: '2020-01-01', to: '2026-01-01' }, { matter: '$where' }]) {
      const res = await admin.get('/api/v1/admin/stats').query(q).expect(400);
      expect(res.body.error.code).toBe('bad-query');
      expect(res.body.error.message).toMatch(/[\u4e00-\u9fff]/);
    }
    const twice = await admin.get('/api/v1/admin/stats?from=2026-01-01&from=2026-01-02').expect(400);
    expect(twice.body.error.code).toBe('bad-query');
    await (await s.login('luan.hrss')).get('/api/v1/admin/stats').expect(403);
    await s.agent().get('/api/v1/admin/stats').expect(401);
    await admin.get('/api/v1/platform/stats').expect(403);
  });

  it('gives the province operator the same figures for every city', async () => {
    const op = await s.login('platform.operator');
    const from = new Date(+now - 61 * 24 * HOUR);
    const res = await op.get('/api/v1/platform/stats').query({ from: from.toISOString(), to: now.toISOString() }).expect(200);
    const body = res.body as PlatformStats;
    const tenants = body.cities.map((c) => c.tenant);
    expect(tenants).toEqual(expect.arrayContaining(['luan', 'changzhou']));
    for (const city of body.cities) {
      const { name, ...stats } = city;
      expect(name).toBeTruthy();
      expect(withoutStamp(stats)).toEqual(expectedStats(docs, city.tenant, from, now, null, now));
    }
    expect(body.cities.find((c) => c.tenant === 'luan')!.received).toBeGreaterThan(400);
    await op.get('/api/v1/admin/stats').expect(403);
  });

  it('exports the figures as an Excel workbook', async () => {
    const admin = await s.login('luan.admin');
    const from = new Date(+now - 40 * 24 * HOUR);
    const res = await admin.get('/api/v1/admin/stats.xlsx').query({ from: from.toISOString(), to: now.toISOString() })
      .buffer(true).parse((r, cb) => { const chunks: Buffer[] = []; r.on('data', (c: Buffer) => chunks.push(c)); r.on('end', () => cb(null, Buffer.concat(chunks))); })
      .expect(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const want = expectedStats(docs, 'luan', from, now, null, now);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['概览', '按事项', '联办事项', '环节用时', '部门用时', '超期', '好差评']);
    const overview = new Map<string, unknown>();
    wb.getWorksheet('概览')!.eachRow((row) => { overview.set(String(row.getCell(1).value), row.getCell(2).value); });
    expect(overview.get('城市')).toBe('六安市');
    expect(overview.get('收件数')).toBe(want.received);
    expect(overview.get('窗口收件')).toBe(want.byChannel.window);
    expect(overview.get('补正办件数')).toBe(want.corrections.cases);
    expect(overview.get('补正率')).toBe(want.corrections.rate);
    expect(overview.get('超期')).toBe(want.deadlines.overdue);
    expect(overview.get('即将超期（24小时内）')).toBe(want.deadlines.dueSoon);
    expect(overview.get('评价数')).toBe(want.evaluations.overall.count);
    expect(overview.get('状态：已办结')).toBe(want.byStatus.completed);
    const steps = wb.getWorksheet('环节用时')!;
    const approve = want.steps.find((x) => x.elementId === 'approve')!;
    let row: unknown[] | undefined;
    steps.eachRow((r) => { if (r.getCell(1).value === 'approve') row = [r.getCell(3).value, r.getCell(4).value, r.getCell(5).value, r.getCell(6).value]; });
    const hrss = await s.models.Department.findOne({ tenant: 'luan', key: 'hrss' }).lean();
    expect(row).toEqual([hrss!.name, approve.count, Math.round((approve.medianMs / HOUR) * 100) / 100, Math.round((approve.p90Ms / HOUR) * 100) / 100]);
  });
});
