/**
 * `/designer/calendar` — 节假日安排, the platform operator's page beside 城市管理: the province's
 * working-day calendar (docs/deadlines.md 「Counting」). Pick a year (current−1 … current+2) and
 * see where its holidays come from — built into the chinese-days package, entered here, or
 * missing (then Monday–Friday count; a red alert from 1 November of the year before). Enter the
 * State Council's notice: holiday ranges with a name (元旦 2027-01-01 … 2027-01-03: the weekdays
 * of the range are stored, weekends rest anyway) and single 调休 working days; save
 * (`PUT /platform/calendar/:year`, the whole year). Every process counts with it at once (within
 * 30 s); due dates already stored keep their dates.
 */
import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Empty, Input, Layout, Segmented, Space, Table, Tag, Typography, message } from 'antd';
import { isWeekend, MAX_CALENDAR_DAYS } from '@lianban/runtime';
import type { CalendarDayEntry, CalendarOverview, CalendarYearSaved, CalendarYearView } from '@lianban/runtime/contract';
import { api, errorText } from '../api/client';
import { calendarMissingText } from './calendar-notice';
import { OperatorHeader } from './OperatorHeader';
import { formatTime } from '@lianban/runtime/web';

const COVERAGE: Record<CalendarYearView['coverage'], { text: string; color: string }> = {
  package: { text: '软件包内置', color: 'blue' },
  entered: { text: '已录入', color: 'green' },
  none: { text: '未录入', color: 'red' },
};

const DAY_MS = 86_400_000;
const WEEKDAYS = '日一二三四五六';
const weekdayOf = (date: string) => `周${WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()]}`;

/** The dates from `from` to `to` (both included, at most 60). */
function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let at = Date.parse(`${from}T00:00:00Z`), end = Date.parse(`${to}T00:00:00Z`); at <= end && out.length < MAX_CALENDAR_DAYS + 1; at += DAY_MS) {
    out.push(new Date(at).toISOString().slice(0, 10));
  }
  return out;
}

const byDate = (a: CalendarDayEntry, b: CalendarDayEntry) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0);

export function CalendarPage() {
  const [overview, setOverview] = useState<CalendarOverview | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [year, setYear] = useState<number | null>(null);
  const [days, setDays] = useState<CalendarDayEntry[]>([]);
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [warnings, setWarnings] = useState<string[]>([]);
  const [holiday, setHoliday] = useState({ name: '', from: '', to: '' });
  const [workday, setWorkday] = useState({ name: '', date: '' });

  const load = async (pick?: number) => {
    try {
      const o = await api.get<CalendarOverview>('/platform/calendar');
      setOverview(o);
      setLoadError(null);
      const y = pick ?? o.years.find((r) => r.coverage === 'none' && r.year > o.currentYear)?.year ?? o.currentYear + 1;
      choose(o, y);
    } catch (e) {
      setLoadError(errorText(e));
    }
  };
  useEffect(() => { void load(); }, []);

  const choose = (o: CalendarOverview, y: number) => {
    setYear(y);
    setDays([...(o.years.find((r) => r.year === y)?.days ?? [])]);
    setDirty(false);
    setError(null);
    setWarnings([]);
  };

  const current = overview?.years.find((r) => r.year === year) ?? null;
  const missing = current ? calendarMissingText(current, new Date()) : null;

  const addDays = (entries: CalendarDayEntry[]) => {
    const taken = new Set(days.map((d) => d.date));
    const clash = entries.find((d) => taken.has(d.date));
    if (clash) { setError(`${clash.date} 已录入，请先删除原来的一项`); return false; }
    if (days.length + entries.length > MAX_CALENDAR_DAYS) { setError(`一年最多录入 ${MAX_CALENDAR_DAYS} 个日期`); return false; }
    setDays([...days, ...entries].sort(byDate));
    setDirty(true);
    setError(null);
    return true;
  };

  const addHoliday = () => {
    const name = holiday.name.trim();
    const to = holiday.to || holiday.from;
    if (!name) { setError('请填写节日名称，如「元旦」'); return; }
    if (!holiday.from) { setError('请选择放假的开始日期'); return; }
    if (to < holiday.from) { setError('结束日期不能早于开始日期'); return; }
    if (!holiday.from.startsWith(`${year}-`) || !to.startsWith(`${year}-`)) { setError(`放假日期须在 ${year} 年内（跨年的假期请在两年分别录入）`); return; }
    const dates = datesBetween(holiday.from, to);
    if (dates.length > MAX_CALENDAR_DAYS) { setError(`一次最多 ${MAX_CALENDAR_DAYS} 天`); return; }
    // weekends rest anyway: the weekdays of the range are what changes the count
    const weekdays = dates.filter((d) => !isWeekend(d));
    if (!weekdays.length) { setError('所选日期都是周末，本就不上班，无需录入'); return; }
    if (addDays(weekdays.map((date) => ({ date, kind: 'holiday', name })))) setHoliday({ name: '', from: '', to: '' });
  };

  const addWorkday = () => {
    const name = workday.name.trim();
    if (!name) { setError('请填写调休名称，如「春节调休」'); return; }
    if (!workday.date) { setError('请选择调休上班的日期'); return; }
    if (!workday.date.startsWith(`${year}-`)) { setError(`调休日期须在 ${year} 年内`); return; }
    if (addDays([{ date: workday.date, kind: 'workday', name }])) setWorkday({ name: '', date: '' });
  };

  const save = async () => {
    if (year === null) return;
    setBusy(true);
    setError(null);
    try {
      const saved = await api.put<CalendarYearSaved>(`/platform/calendar/${year}`, { days });
      setWarnings(saved.warnings);
      void message.success(`已保存 ${year} 年节假日安排，各服务进程即时生效（已生成的到期时间不变）`);
      const o = await api.get<CalendarOverview>('/platform/calendar');
      setOverview(o);
      setDays([...(o.years.find((r) => r.year === year)?.days ?? saved.days)]);
      setDirty(false);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const holidayCount = useMemo(() => days.filter((d) => d.kind === 'holiday').length, [days]);

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <OperatorHeader current="/calendar" />
      <Layout.Content style={{ padding: 24, maxWidth: 1000 }}>
        <Typography.Title level={3}>节假日安排</Typography.Title>
        <Typography.Paragraph type="secondary">
          承诺时限、流程定时按法定工作日计算（含调休）。国务院办公厅每年公布下一年的放假安排后，请在此录入；保存后全省各服务进程即时生效，
          之后受理的办件和新的定时按新安排计算，已生成的到期时间不变。
        </Typography.Paragraph>
        {loadError && <Alert type="error" showIcon message={loadError} style={{ marginBottom: 12 }} />}
        {overview && (
          <Segmented<number> value={year ?? undefined} data-testid="calendar-years" style={{ marginBottom: 16 }}
            onChange={(y) => { if (!dirty || window.confirm('当前年份有未保存的修改，确定切换？')) choose(overview, y); }}
            options={overview.years.map((r) => ({ value: r.year, label: <span>{r.year} 年 <Tag color={COVERAGE[r.coverage].color} style={{ marginInlineEnd: 0 }}>{COVERAGE[r.coverage].text}</Tag></span> }))} />
        )}
        {current && (
          <>
            {missing && <Alert type="error" showIcon message={missing} data-testid="calendar-missing" style={{ marginBottom: 12 }}
              description="国务院办公厅公布放假安排后请尽快录入，否则元旦、春节等假日会按工作日计入承诺时限。" />}
            {current.coverage === 'package' && <Alert type="info" showIcon style={{ marginBottom: 12 }}
              message={`${current.year} 年节假日安排已由软件包内置（chinese-days）`} description="如需更正，可在此录入：录入的日期优先于内置安排。" />}
            {current.coverage === 'entered' && <Alert type="success" showIcon style={{ marginBottom: 12 }}
              message={`${current.year} 年节假日安排已录入（${current.days.length} 个日期）`}
              description={current.updatedBy ? `最后修改：${current.updatedBy}，${formatTime(current.updatedAt!)}` : undefined} />}
            {error && <Alert type="error" showIcon message={error} data-testid="calendar-error" style={{ marginBottom: 12 }} closable onClose={() => setError(null)} />}
            {warnings.length > 0 && <Alert type="warning" showIcon message="已保存，但请核对以下日期" data-testid="calendar-warnings" style={{ marginBottom: 12 }}
              description={<ul style={{ margin: 0, paddingLeft: 18 }}>{warnings.map((w) => <li key={w}>{w}</li>)}</ul>} />}

            <Space align="start" wrap style={{ marginBottom: 16 }}>
              <Card size="small" title="添加放假" style={{ width: 580 }}>
                <Space wrap>
                  <Input aria-label="节日名称" placeholder="节日名称，如 元旦" maxLength={20} style={{ width: 150 }}
                    value={holiday.name} onChange={(e) => setHoliday({ ...holiday, name: e.target.value })} />
                  <Input aria-label="放假开始" type="date" style={{ width: 140 }} value={holiday.from}
                    onChange={(e) => setHoliday({ ...holiday, from: e.target.value })} />
                  <span>至</span>
                  <Input aria-label="放假结束" type="date" style={{ width: 140 }} value={holiday.to}
                    onChange={(e) => setHoliday({ ...holiday, to: e.target.value })} />
                  <Button onClick={addHoliday}>添加放假</Button>
                </Space>
                <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>区间内的周六、周日本就休息，只记录其中的工作日。</Typography.Paragraph>
              </Card>
              <Card size="small" title="添加调休上班日" style={{ width: 400 }}>
                <Space wrap>
                  <Input aria-label="调休名称" placeholder="名称，如 春节调休" maxLength={20} style={{ width: 150 }}
                    value={workday.name} onChange={(e) => setWorkday({ ...workday, name: e.target.value })} />
                  <Input aria-label="调休日期" type="date" style={{ width: 140 }} value={workday.date}
                    onChange={(e) => setWorkday({ ...workday, date: e.target.value })} />
                  <Button onClick={addWorkday}>添加调休</Button>
                </Space>
              </Card>
            </Space>

            <Table<CalendarDayEntry> rowKey="date" size="small" dataSource={days} pagination={false} data-testid="calendar-days"
              locale={{ emptyText: <Empty description={`${current.year} 年尚未录入日期`} /> }}
              title={() => `${current.year} 年：放假 ${holidayCount} 天（工作日），调休上班 ${days.length - holidayCount} 天`}
              columns={[
                { title: '日期', dataIndex: 'date', render: (d: string) => `${d}（${weekdayOf(d)}）` },
                { title: '安排', dataIndex: 'kind', render: (k: CalendarDayEntry['kind']) => k === 'holiday' ? <Tag color="red">放假</Tag> : <Tag color="blue">调休上班</Tag> },
                { title: '名称', dataIndex: 'name' },
                { title: '操作', key: 'remove', render: (_, d) => (
                  <Button size="small" type="link" danger onClick={() => { setDays(days.filter((x) => x.date !== d.date)); setDirty(true); }}>删除</Button>
                ) },
              ]} />
            <Space style={{ marginTop: 16 }}>
              <Button type="primary" loading={busy} disabled={!dirty} onClick={() => void save()}>保存 {current.year} 年安排</Button>
              {dirty && <Typography.Text type="warning">有未保存的修改</Typography.Text>}
            </Space>
          </>
        )}
      </Layout.Content>
    </Layout>
  );
}
