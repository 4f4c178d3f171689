/** /dashboard — the city dashboard for administrators (ECharts bar charts, lazy). */
import { useEffect, useMemo, useRef } from 'react';
import { Card, Col, Empty, Row, Statistic, Table, Tag, Typography } from 'antd';
import { deadlineCounts, type MatterDeadlineCounts } from '@lianban/runtime';
import { api } from '../api/index';
import { caseStatusLabel, departmentLabel } from '../case/labels';
import { t, tf } from '../i18n';
import { LoadState, Shell, useLoad } from '../shell/index';
import { casesByMatter, mapLimited, taskFigures } from './dashboard-model';
import { useCareMode } from '../care-mode';
import './tasklist.css';

const DETAIL_LIMIT = 200;

async function loadDashboard() {
  const cases = (await api.cases()).filter((c) => c.status !== 'draft');
  const views = await mapLimited(cases.slice(0, DETAIL_LIMIT), 4, (c) => api.case(c.id));
  // 承诺时限: 即将超期 and 超期 cases per matter (the same count the server's statistics use)
  const deadlines = deadlineCounts(views.map((v) => ({ matter: v.matterTitle ?? v.matter, status: v.status, deadline: v.deadline, paused: v.deadline?.paused })), new Date());
  return { total: cases.length, byMatter: casesByMatter(cases), ...taskFigures(views), deadlines };
}

type Option = Record<string, unknown>;

function Chart({ option, label, empty }: { option: Option; label: string; empty?: boolean }) {
  if (empty) return <Empty className="lb-chart-empty" description={t('common.none')} />;
  return <ChartCanvas option={option} label={label} />;
}

function ChartCanvas({ option, label }: { option: Option; label: string }) {
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
  return <div ref={ref} className="lb-chart" role="img" aria-label={label} />;
}

const bar = (labels: string[], values: number[], color: string): Option => ({
  xAxis: { type: 'category', data: labels, axisLabel: { interval: 0, rotate: labels.length > 3 ? 20 : 0 } },
  yAxis: { type: 'value', minInterval: 1 },
  series: [{ type: 'bar', data: values, itemStyle: { color }, label: { show: true, position: 'top' } }],
});

export function Dashboard() {
  const state = useLoad(loadDashboard, []);
  const d = state.data;
  const matterOption = useMemo<Option | undefined>(() => d && {
    legend: { top: 0 },
    xAxis: { type: 'category', data: d.byMatter.matters },
    yAxis: { type: 'value', minInterval: 1 },
    series: d.byMatter.statuses.map((s, i) => ({ name: caseStatusLabel(s), type: 'bar', stack: 'all', data: d.byMatter.counts.map((row) => row[i]) })),
  }, [d]);
  const overdueOption = useMemo(() => d && bar(Object.keys(d.overdue).map(departmentLabel), Object.values(d.overdue), '#b91c1c'), [d]);
  const avgOption = useMemo(() => d && bar(Object.keys(d.avgHours).map(departmentLabel), Object.values(d.avgHours), '#1d4ed8'), [d]);
  return (
    <Shell title={t('dash.title')} wide>
      <LoadState state={state} />
      {d ? (
        <>
          <Row gutter={16} className="lb-section-card">
            <Col xs={8}><Card size="small"><Statistic title={t('dash.total')} value={d.total} /></Card></Col>
            <Col xs={8}><Card size="small"><Statistic title={t('dash.open')} value={d.openTasks} /></Card></Col>
            <Col xs={8}><Card size="small"><Statistic title={t('dash.overdueCount')} value={Object.values(d.overdue).reduce((a, b) => a + b, 0)} valueStyle={{ color: '#b91c1c' }} /></Card></Col>
          </Row>
          <div className="lb-dash-grid">
            <Card title={t('dash.byMatter')} size="small"><Chart option={matterOption!} label={t('dash.byMatter')} empty={!d.total} /></Card>
            <Card title={t('dash.overdue')} size="small"><Chart option={overdueOption!} label={t('dash.overdue')} empty={!Object.keys(d.overdue).length} /></Card>
            <Card title={t('dash.avg')} size="small"><Chart option={avgOption!} label={t('dash.avg')} empty={!Object.keys(d.avgHours).length} /></Card>
          </div>
          <Card title="承诺时限（在办办件）" size="small" className="lb-section-card" style={{ marginTop: 16 }} data-testid="dash-deadlines">
            <Table<MatterDeadlineCounts> rowKey="matter" size="small" pagination={false} dataSource={d.deadlines} locale={{ emptyText: '没有设承诺时限的在办办件' }} columns={[
              { title: '事项', dataIndex: 'matter' },
              { title: '有时限的在办办件', dataIndex: 'withDeadline' },
              { title: '即将超期', dataIndex: 'soon', render: (n: number) => (n ? <Tag color="orange">{n}</Tag> : 0) },
              { title: '超期', dataIndex: 'overdue', render: (n: number) => (n ? <Tag color="red">{n}</Tag> : 0) },
              { title: '暂停计时', dataIndex: 'paused' },
            ]} />
          </Card>
          <Typography.Paragraph className="lb-muted" style={{ marginTop: 12 }}>{tf('dash.note', { n: DETAIL_LIMIT })}</Typography.Paragraph>
        </>
      ) : null}
    </Shell>
  );
}
