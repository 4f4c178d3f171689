/**
 * /dashboard — the city dashboard for administrators: the figures of `GET /admin/stats` (the
 * server aggregates; no case list is loaded), ECharts bar charts (lazy), Excel export by the
 * server (`GET /admin/stats.xlsx`).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Button, Card, Col, Empty, Input, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import { api, type CaseStats } from '../api/index';
import { caseStatusLabel, departmentLabel } from '../case/labels';
import { t, tf } from '../i18n';
import { LoadState, Shell, useLoad } from '../shell/index';
import { useCareMode } from '../care-mode';
import { missingCalendarYear } from '../shell/work-calendar';
import './tasklist.css';

const HOUR = 3_600_000;
/** A day in China time, `YYYY-MM-DD`, `daysAgo` before today. */
const chinaDay = (daysAgo = 0) => new Date(Date.now() + 8 * HOUR - daysAgo * 24 * HOUR).toISOString().slice(0, 10);
const hours = (ms: number) => Math.round((ms / HOUR) * 10) / 10;

/** Cases per matter (rows) and status (columns), from the server's figures. */
function byMatter(d: CaseStats) {
  const statuses = [...new Set(d.byMatter.flatMap((m) => Object.keys(m.byStatus)))];
  return { matters: d.byMatter.map((m) => m.title), statuses, counts: d.byMatter.map((m) => statuses.map((s) => m.byStatus[s] ?? 0)) };
}

type Option = Record<string, unknown>;

/** The province has not entered this year's or next year's holidays: deadlines count Monday–Friday until it does. */
function CalendarMissing() {
  const [year, setYear] = useState<number | null>(null);
  useEffect(() => {
    let live = true;
    void missingCalendarYear().then((y) => { if (live) setYear(y); });
    return () => { live = false; };
  }, []);
  if (year === null) return null;
  return <Alert type="error" showIcon banner className="lb-section-card" data-testid="calendar-missing"
    message={tf('dash.calendarMissing', { year })} description={t('dash.calendarMissing.desc')} />;
}

/** `height` in px (default: the stylesheet's 320). */
function Chart({ option, label, empty, height }: { option: Option; label: string; empty?: boolean; height?: number }) {
  if (empty) return <Empty className="lb-chart-empty" description={t('common.none')} />;
  return <ChartCanvas option={option} label={label} height={height} />;
}

function ChartCanvas({ option, label, height }: { option: Option; label: string; height?: number }) {
  const ref = useRef<HTMLDivElement>(null);
  const [care] = useCareMode();
  useEffect(() => {
    let chart: { dispose(): void; resize(): void; setOption(o: Option): void } | undefined;
    let live = true;
    const onResize = () => chart?.resize();
    void import('./charts').then(({ echarts }) => {
      if (!live || !ref.current) return;
      chart = echarts.init(ref.current);
      // Decal patterns tell the series apart without colour; care mode: larger, darker text.
      chart.setOption({
        animation: false, aria: { enabled: true, decal: { show: true } }, tooltip: {}, grid: { left: 48, right: 16, bottom: 56, top: 40 },
        ...(care ? { textStyle: { fontSize: 16, color: '#000' } } : {}), ...option,
      });
      ref.current.dataset.ready = 'true';
      window.addEventListener('resize', onResize);
    });
    return () => { live = false; window.removeEventListener('resize', onResize); chart?.dispose(); };
  }, [option, care]);
  return <div ref={ref} className="lb-chart" role="img" aria-label={label} style={height ? { height } : undefined} />;
}

/** Category names below bars: every one shown, wrapped within its column (slanted ones overprinted each other). */
const categoryLabels = { interval: 0, width: 96, overflow: 'break' } as const;

const bar = (labels: string[], values: number[], color: string): Option => ({
  xAxis: { type: 'category', data: labels, axisLabel: categoryLabels },
  yAxis: { type: 'value', minInterval: 1 },
  series: [{ type: 'bar', data: values, itemStyle: { color }, label: { show: true, position: 'top' } }],
});

export function Dashboard() {
  const [from, setFrom] = useState(() => chinaDay(29));
  const [to, setTo] = useState(() => chinaDay());
  const params = { from, to };
  const state = useLoad(() => api.stats(params), [params.from, params.to]);
  const d = state.data;
  const matterOption = useMemo<Option | undefined>(() => {
    if (!d) return undefined;
    const m = byMatter(d);
    return {
      legend: { top: 0 },
      xAxis: { type: 'category', data: m.matters },
      yAxis: { type: 'value', minInterval: 1 },
      series: m.statuses.map((s, i) => ({ name: caseStatusLabel(s), type: 'bar', stack: 'all', data: m.counts.map((row) => row[i]) })),
    };
  }, [d]);
  const deadlineOption = useMemo<Option | undefined>(() => d && {
    legend: { top: 0 },
    xAxis: { type: 'category', data: d.deadlines.byDepartment.map((x) => departmentLabel(x.department)), axisLabel: categoryLabels },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: t('dash.overdueCount'), type: 'bar', data: d.deadlines.byDepartment.map((x) => x.overdue), itemStyle: { color: '#b91c1c' }, label: { show: true, position: 'top' } },
      { name: t('dash.dueSoon'), type: 'bar', data: d.deadlines.byDepartment.map((x) => x.dueSoon), itemStyle: { color: '#b45309' }, label: { show: true, position: 'top' } },
    ],
  }, [d]);
  // The steps' names are long (step and department): bars run sideways, a name beside each.
  const stepOption = useMemo<Option | undefined>(() => d && {
    legend: { top: 0 },
    grid: { left: 8, right: 48, top: 32, bottom: 8, containLabel: true },
    yAxis: { type: 'category', inverse: true, data: d.steps.map((x) => `${x.name}（${departmentLabel(x.department)}）`), axisLabel: { interval: 0, width: 150, overflow: 'break' } },
    xAxis: { type: 'value' },
    series: [
      { name: t('dash.median'), type: 'bar', data: d.steps.map((x) => hours(x.medianMs)), itemStyle: { color: '#1d4ed8' }, label: { show: true, position: 'right' } },
      { name: t('dash.p90'), type: 'bar', data: d.steps.map((x) => hours(x.p90Ms)), itemStyle: { color: '#64748b' }, label: { show: true, position: 'right' } },
    ],
  }, [d]);
  const evaluationOption = useMemo(() => d && bar(['1', '2', '3', '4', '5'].map((n) => `${n}分`), d.evaluations.overall.distribution, '#15803d'), [d]);
  const rate = d?.corrections.rate;
  return (
    <Shell title={t('dash.title')} wide>
      <CalendarMissing />
      <Space wrap className="lb-section-card">
        <span id="dash-period">{t('dash.period')}</span>
        <Input type="date" value={from} max={to} aria-labelledby="dash-period" data-testid="stats-from" onChange={(e) => { if (e.target.value) setFrom(e.target.value); }} />
        <span>—</span>
        <Input type="date" value={to} min={from} max={chinaDay()} aria-label={t('dash.period')} data-testid="stats-to" onChange={(e) => { if (e.target.value) setTo(e.target.value); }} />
        <Button href={api.statsXlsxUrl(params)} download data-testid="stats-export">{t('dash.export')}</Button>
      </Space>
      <LoadState state={state} />
      {d ? (
        <>
          <Row gutter={[16, 16]} className="lb-section-card">
            <Col xs={12} md={4}><Card size="small"><Statistic title={t('dash.received')} value={d.received} /></Card></Col>
            <Col xs={12} md={4}><Card size="small"><Statistic title={t('dash.open')} value={d.deadlines.open} /></Card></Col>
            <Col xs={12} md={4}><Card size="small"><Statistic title={t('dash.overdueCount')} value={d.deadlines.overdue} valueStyle={{ color: '#b91c1c' }} /></Card></Col>
            <Col xs={12} md={4}><Card size="small"><Statistic title={t('dash.dueSoon')} value={d.deadlines.dueSoon} valueStyle={{ color: '#b45309' }} /></Card></Col>
            <Col xs={12} md={4}><Card size="small"><Statistic title={t('dash.correctionRate')} value={rate == null ? '—' : `${Math.round(rate * 1000) / 10}%`} /></Card></Col>
            <Col xs={12} md={4}><Card size="small"><Statistic title={t('dash.evaluation')} value={d.evaluations.overall.average ?? '—'} suffix={d.evaluations.overall.count ? `/ 5（${d.evaluations.overall.count}）` : undefined} /></Card></Col>
          </Row>
          <div className="lb-dash-grid">
            <Card title={t('dash.byMatter')} size="small"><Chart option={matterOption!} label={t('dash.byMatter')} empty={!d.received} /></Card>
            <Card title={t('dash.deadlines')} size="small"><Chart option={deadlineOption!} label={t('dash.deadlines')} empty={!d.deadlines.byDepartment.length} /></Card>
            <Card title={t('dash.steps')} size="small"><Chart option={stepOption!} label={t('dash.steps')} empty={!d.steps.length} height={Math.max(320, 44 * d.steps.length + 60)} /></Card>
            <Card title={t('dash.evaluation')} size="small"><Chart option={evaluationOption!} label={t('dash.evaluation')} empty={!d.evaluations.overall.count} /></Card>
          </div>
          <Card title="承诺时限（在办办件）" size="small" className="lb-section-card" style={{ marginTop: 16 }} data-testid="dash-deadlines">
            {/* no table for none: antd's empty-table text is too pale for WCAG contrast */}
            {d.caseDeadlines.length ? <Table rowKey="matter" size="small" pagination={false} dataSource={d.caseDeadlines} columns={[
              { title: '事项', dataIndex: 'matter' },
              { title: '有时限的在办办件', dataIndex: 'withDeadline' },
              { title: '即将超期', dataIndex: 'soon', render: (n: number) => (n ? <Tag color="orange">{n}</Tag> : 0) },
              { title: '超期', dataIndex: 'overdue', render: (n: number) => (n ? <Tag color="red">{n}</Tag> : 0) },
              { title: '暂停计时', dataIndex: 'paused' },
            ]} /> : <Typography.Text type="secondary">没有设承诺时限的在办办件</Typography.Text>}
          </Card>
          <Typography.Paragraph className="lb-muted" style={{ marginTop: 12 }}>{tf('dash.serverNote', { from: params.from, to: params.to })}</Typography.Paragraph>
        </>
      ) : null}
    </Shell>
  );
}
