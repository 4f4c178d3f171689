/**
 * 「迁移运行中的办件」 in the matter editor (issue #21, docs/migration.md): when older versions
 * still have running cases, the preview of moving them onto the latest version as a table —
 * case no., where it stands now, where it would stand after, problems — then migrate the chosen
 * cases (those with problems cannot be chosen) and show the result. Above the table the same
 * preview on the old and the new diagram (MigrationDiagram.tsx), for all cases or the clicked
 * row; departments by the city's names.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Select, Space, Table, Tag, Typography } from 'antd';
import type { Department, MigrationPreview, MigrationPreviewCase, MigrationResult, MigrationStand, RunningByVersion } from '@lianban/runtime/contract';
import { api, errorText } from '../api/client';
import { MigrationDiagram } from './MigrationDiagram';
import { departmentName } from './model/migration-marks';

/** The element id of the panel (the publish message links to it). */
export const MIGRATION_PANEL_ID = 'migration';

function Stand({ stand, departments }: { stand: MigrationStand; departments: Record<string, string> }) {
  if (!stand.tasks.length && !stand.elements.length) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Space direction="vertical" size={0}>
      {stand.tasks.map((t, i) => (
        <span key={i}>{t.name ?? t.element}{(t.groups?.[0] ?? t.department) ? <Tag style={{ marginLeft: 4 }}>{departmentName(t.groups?.[0] ?? t.department, departments)}</Tag> : null}
          {t.dueAt ? <Typography.Text type="secondary"> 限 {t.dueAt.slice(0, 10)}</Typography.Text> : null}</span>
      ))}
      {stand.timers.map((t, i) => <Typography.Text key={`t${i}`} type="secondary">定时 {t.element}{t.dueAt ? ` ${t.dueAt.slice(0, 10)}` : ''}</Typography.Text>)}
      {!stand.tasks.length && <span>{stand.elements.join('、')}</span>}
    </Space>
  );
}

export function MigrationPanel({ matterKey, latest, reload }: { matterKey: string; latest: number | undefined; reload: number }) {
  const [running, setRunning] = useState<RunningByVersion | null>(null);
  const [from, setFrom] = useState<number | null>(null);
  const [preview, setPreview] = useState<MigrationPreview | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [result, setResult] = useState<MigrationResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'preview' | 'migrate' | null>(null);
  const [focus, setFocus] = useState<string | null>(null);
  const [departmentList, setDepartmentList] = useState<Department[]>([]);
  const departments = useMemo(() => Object.fromEntries(departmentList.map((d) => [d.key, d.name])), [departmentList]);

  const load = useCallback(() => {
    api.get<RunningByVersion>(`/admin/matters/${matterKey}/running`).then((r) => {
      setRunning(r);
      const older = r.versions.filter((v) => r.latest !== null && v.version < r.latest && v.running > 0);
      setFrom((f) => (f !== null && older.some((v) => v.version === f) ? f : older[0]?.version ?? null));
    }, (e) => setError(errorText(e)));
  }, [matterKey]);
  useEffect(load, [load, reload, latest]);

  const to = running?.latest ?? latest;
  const older = running?.versions.filter((v) => to !== undefined && to !== null && v.version < to && v.running > 0) ?? [];
  if (!older.length && !result) return null;

  const runPreview = async () => {
    if (from === null || !to) return;
    setBusy('preview'); setError(null); setResult(null); setFocus(null);
    try {
      const [p, d] = await Promise.all([
        api.post<MigrationPreview>(`/admin/matters/${matterKey}/migration-preview`, { from, to }),
        api.get<Department[]>('/admin/departments').catch(() => null),
      ]);
      if (d) setDepartmentList(d);
      setPreview(p);
      setSelected(p.cases.filter((c) => !c.problems.length).map((c) => c.id));
    } catch (e) { setError(errorText(e)); } finally { setBusy(null); }
  };
  const migrate = async () => {
    if (from === null || !to || !selected.length) return;
    setBusy('migrate'); setError(null);
    try {
      setResult(await api.post<MigrationResult>(`/admin/matters/${matterKey}/migrate`, { from, to, cases: selected }));
      setPreview(null); setSelected([]);
      load();
    } catch (e) { setError(errorText(e)); } finally { setBusy(null); }
  };

  return (
    <div id={MIGRATION_PANEL_ID}>
      <Card size="small" title="迁移运行中的办件" style={{ marginBottom: 12 }} data-testid="migration-panel">
        <Space wrap style={{ marginBottom: 8 }}>
          {older.length > 0 && <>
            <span>从 <Select aria-label="原版本" value={from ?? undefined} style={{ width: 200 }} onChange={(v: number) => { setFrom(v); setPreview(null); }}
              options={older.map((v) => ({ value: v.version, label: `第 ${v.version} 版（${v.running} 件运行中）` }))} /></span>
            <span>迁移到第 {to} 版</span>
            <Button onClick={() => void runPreview()} loading={busy === 'preview'}>预览</Button>
          </>}
          {preview && <Button type="primary" disabled={!selected.length} loading={busy === 'migrate'} onClick={() => void migrate()}>迁移所选办件（{selected.length}）</Button>}
        </Space>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 8 }} />}
        {result && (
          <Alert type={result.skipped.length ? 'warning' : 'success'} showIcon style={{ marginBottom: 8 }} closable onClose={() => setResult(null)}
            message={`已迁移 ${result.migrated} 件${result.skipped.length ? `，跳过 ${result.skipped.length} 件` : ''}`}
            description={result.skipped.length ? <ul style={{ margin: 0 }}>{result.skipped.map((s) => <li key={s.id}>{s.no ?? s.id}：{s.reason}</li>)}</ul> : undefined} />
        )}
        {preview && (
          <>
            <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
              第 {preview.from} 版共有 {preview.total} 件运行中的办件。环节按编号对应；有问题的办件不能迁移，仍按原版本办理。
            </Typography.Paragraph>
            {focus && <Button size="small" style={{ marginBottom: 8 }} onClick={() => setFocus(null)}>在流程图上显示全部办件</Button>}
            <MigrationDiagram preview={preview} caseId={focus} departments={departments} />
            <Table<MigrationPreviewCase> size="small" rowKey="id" dataSource={preview.cases} pagination={{ pageSize: 20, hideOnSinglePage: true }}
              onRow={(c) => ({ onClick: (e) => { if (!(e.target as HTMLElement).closest('.ant-table-selection-column')) setFocus(c.id === focus ? null : c.id); }, style: { cursor: 'pointer' }, title: '点击在流程图上只看该办件' })}
              rowClassName={(c) => (c.id === focus ? 'lb-mig-row-focus' : '')}
              rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]), getCheckboxProps: (c) => ({ disabled: c.problems.length > 0, 'aria-label': `选择 ${c.no ?? c.id}` }) }}
              columns={[
                { title: '办件编号', dataIndex: 'no', render: (no: string | null, c) => <span>{no ?? '—'}<br /><Typography.Text type="secondary">{c.applicantName}</Typography.Text></span> },
                { title: '现在', render: (_: unknown, c) => <Stand stand={c.before} departments={departments} /> },
                { title: '迁移后', render: (_: unknown, c) => <Stand stand={c.after} departments={departments} /> },
                { title: '问题', render: (_: unknown, c) => c.problems.length
                  ? <ul style={{ margin: 0, paddingLeft: 16, color: '#cf1322' }}>{c.problems.map((p, i) => <li key={i}>{p.message}</li>)}</ul>
                  : <Tag color="green">可迁移</Tag> },
              ]} />
          </>
        )}
      </Card>
    </div>
  );
}
