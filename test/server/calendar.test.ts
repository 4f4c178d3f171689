/**
 * The province's working-day calendar (docs/deadlines.md 「Counting」): the operator enters a
 * year's holidays and 调休 (fictitious test dates — no real 2027 schedule is invented), the
 * process that saved counts with them at once, another process at its next check; refusals,
 * warnings, the audit, and who may read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type request from 'supertest';
import { deadlineDue, isWorkday, setCalendarOverrides } from '@lianban/runtime';
import { refreshCalendar } from '@lianban/server';
import { startTestServer, type TestServer } from './helpers';

type Agent = ReturnType<typeof request.agent>;

// a fictitious test holiday Wed 2027-03-03 … Fri 03-05 and a 调休 working Saturday 03-06
const TEST_DAYS = [
  { date: '2027-03-03', kind: 'holiday', name: '测试假日' },
  { date: '2027-03-04', kind: 'holiday', name: '测试假日' },
  { date: '2027-03-05', kind: 'holiday', name: '测试假日' },
  { date: '2027-03-06', kind: 'workday', name: '测试调休' },
];
const due = (start: string, n: number) => deadlineDue(new Date(start), n).toISOString();

describe('working-day calendar (operator)', () => {
  let s: TestServer;
  let operator: Agent;

  beforeAll(async () => {
    s = await startTestServer();
    operator = await s.login('platform.operator');
  });
  afterAll(async () => { setCalendarOverrides([]); await s?.close(); });

  it('should list the years that may be entered with where each comes from', async () => {
    const res = await operator.get('/api/v1/platform/calendar').expect(200);
    expect(res.body.currentYear).toBe(new Date(Date.now() + 8 * 3600_000).getUTCFullYear());
    const y = res.body.currentYear as number;
    expect(res.body.years.map((r: { year: number }) => r.year)).toEqual([y - 1, y, y + 1, y + 2]);
    // the installed chinese-days knows 2026, not 2027
    const coverage = Object.fromEntries(res.body.years.map((r: { year: number; coverage: string }) => [r.year, r.coverage]));
    if (coverage[2026]) expect(coverage[2026]).toBe('package');
    if (coverage[2027]) expect(coverage[2027]).toBe('none');
  });

  it('should count an entered holiday at once in the process that saved, and warn of odd dates', async () => {
    expect(due('2027-03-01T10:00:00+08:00', 5)).toBe(new Date('2027-03-08T17:00:00+08:00').toISOString());
    const res = await operator.put('/api/v1/platform/calendar/2027')
      .send({ days: [...TEST_DAYS, { date: '2027-03-14', kind: 'holiday', name: '测试周日' }] }).expect(200);
    expect(res.body).toMatchObject({ year: 2027, coverage: 'entered', updatedBy: 'platform.operator' });
    expect(res.body.days).toHaveLength(5);
    expect(res.body.warnings).toEqual(['2027-03-14（测试周日）是周末，本就不上班']);
    // Tue 02, Sat 06 (调休), Mon 08, Tue 09, Wed 10
    expect(due('2027-03-01T10:00:00+08:00', 5)).toBe(new Date('2027-03-10T17:00:00+08:00').toISOString());
    const audit = await s.models.Audit.findOne({ action: 'calendar.update' }).lean();
    expect(audit).toMatchObject({ tenant: 'platform', actor: 'platform.operator', target: 'calendar:2027' });
    expect((audit!.details as { after: string[] }).after).toContain('2027-03-06 workday 测试调休');
    const overview = await operator.get('/api/v1/platform/calendar').expect(200);
    expect(overview.body.years.find((r: { year: number }) => r.year === 2027)).toMatchObject({ coverage: 'entered' });
  });

  it('should reach this process at its next check when another process saved', async () => {
    // another process saves the year with one more test holiday (Mon 2027-03-08) …
    const saved = await s.models.CalendarYear.findById(2027).lean();
    await s.models.CalendarYear.updateOne({ _id: 2027 }, { $set: {
      days: [...saved!.days, { date: '2027-03-08', kind: 'holiday', name: '测试假日' }], updatedBy: 'platform.operator', updatedAt: new Date(Date.now() + 1000),
    } });
    // … this one counts it only after its check sees the newest updatedAt change
    expect(isWorkday('2027-03-08')).toBe(true);
    expect(await refreshCalendar(s.models)).toBe(true);
    expect(isWorkday('2027-03-08')).toBe(false);
    expect(isWorkday('2027-03-06')).toBe(true);
    expect(await refreshCalendar(s.models)).toBe(false);
  });

  it('should let every signed-in user of a city read a year', async () => {
    const applicant = await s.login('luan.applicant');
    const res = await applicant.get('/api/v1/calendar/2027').expect(200);
    expect(res.body).toMatchObject({ year: 2027, coverage: 'entered' });
    expect(res.body.days.map((d: { date: string }) => d.date)).toContain('2027-03-03');
    expect((await applicant.get('/api/v1/calendar/2026').expect(200)).body).toMatchObject({ coverage: 'package', days: [] });
    expect((await applicant.get('/api/v1/calendar/27').expect(422)).body.error.code).toBe('invalid');
    await s.agent().get('/api/v1/calendar/2027').expect(401);
  });

  it('should refuse what cannot be a year of holidays, in Chinese', async () => {
    const put = (year: string, body: unknown) => operator.put(`/api/v1/platform/calendar/${year}`).send(body as object);
    let res = await put('2031', { days: [] }).expect(422);
    expect(res.body.error.message).toMatch(/只能录入 \d{4}–\d{4} 年/);
    res = await put('2027', { days: [{ date: '2028-01-01', kind: 'holiday', name: '元旦' }] }).expect(422);
    expect(res.body.error.errors[0]).toEqual({ path: 'days.0.date', message: '2028-01-01 不在 2027 年内' });
    res = await put('2027', { days: [TEST_DAYS[0], { ...TEST_DAYS[0], kind: 'workday' }] }).expect(422);
    expect(res.body.error.message).toBe('2027-03-03 录入了不止一次');
    res = await put('2027', { days: [{ date: '2027-02-30', kind: 'holiday', name: '测试' }] }).expect(422);
    expect(res.body.error.errors[0].path).toBe('days.0.date');
    res = await put('2027', { days: [{ date: '2027-05-03', kind: 'rest', name: '测试' }] }).expect(422);
    expect(res.body.error.code).toBe('invalid');
    const many = Array.from({ length: 61 }, (_, i) => ({ date: new Date(Date.UTC(2027, 0, 1 + i)).toISOString().slice(0, 10), kind: 'holiday', name: '测试' }));
    await put('2027', { days: many }).expect(422);
    // nothing refused was saved: the entered year stands
    expect(isWorkday('2027-03-03')).toBe(false);
    // a city's admin may not enter the province's calendar
    const admin = await s.login('luan.admin');
    await admin.put('/api/v1/platform/calendar/2027').send({ days: [] }).expect(403);
  });

  it('should go back to Monday–Friday when the year is emptied', async () => {
    const res = await operator.put('/api/v1/platform/calendar/2027').send({ days: [] }).expect(200);
    expect(res.body).toMatchObject({ coverage: 'none', days: [], warnings: [] });
    expect(isWorkday('2027-03-03')).toBe(true);
  });
});
