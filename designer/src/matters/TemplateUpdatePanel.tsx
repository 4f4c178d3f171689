/**
 * 「省级模板更新」 in the matter editor (issue #22, docs/templates.md): for a matter derived from a
 * provincial template that has a newer version, the template's changes in three columns — 模板原版
 * (the version the city merged), 模板新版, 本市 — each with a checkbox. Conflicts (the city changed
 * the same thing otherwise) are red and unchecked; checking one takes the template's value over the
 * city's, after a warning. 「合并所选」 writes the chosen changes into the city's drafts.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Space, Table, Tag, Typography, type CheckboxProps } from 'antd';
import type { TemplateChangeInfo, TemplateDiff, TemplateMerged } from '@lianban/runtime/contract';
import { api, ApiError, errorText } from '../api/client';

const UNIT: Record<TemplateChangeInfo['unit'], string> = { matter: '事项设置', form: '表单', field: '表单字段', item: '关联事项', flow: '流程' };
const PROPERTY: Record<string, string> = {
  title: '标题', refTitle: '在事项中的名称', type: '类型', required: '必填', enum: '选项', description: '说明', maxLength: '最大长度', pattern: '格式',
  'x-field-type': '字段类型', 'x-component-props': '组件属性', 'x-linked-item': '关联事项勾选', name: '名称', 'lb:candidateGroups': '办理部门', 'lb:department': '部门',
  'lb:formKey': '办理表单', 'lb:dueIn': '办理时限', 'lb:outcomes': '办理结果', condition: '条件', source: '起点', target: '终点', default: '默认分支',
  department: '部门', materials: '材料', mandatory: '必办', timeLimit: '时限', minAuthLevel: '实名等级', contact: '咨询方式', standalone: '单独办理说明',
};
export const KIND: Record<TemplateChangeInfo['kind'], { text: string; color: string }> = {
  added: { text: '新增', color: 'green' }, removed: { text: '删除', color: 'orange' }, changed: { text: '修改', color: 'blue' },
};

/** 「表单字段 luan-retirement-unit › unitName · 标题」 from `field:luan-retirement-unit/unitName#title`. */
export function changeLabel(c: TemplateChangeInfo): string {
  const [entity, prop] = c.path.split('#') as [string, string | undefined];
  const where = entity === 'matter' ? '' : entity.slice(entity.indexOf(':') + 1).split('/').filter((s) => s !== '[]').join(' › ');
  return [UNIT[c.unit], where, prop ? `· ${PROPERTY[prop] ?? prop}` : ''].filter(Boolean).join(' ');
}

export function Value({ value, absent }: { value: unknown; absent: string }) {
  if (value === undefined || value === null) return <Typography.Text type="secondary">{absent}</Typography.Text>;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return <span>{String(value)}</span>;
  if (typeof value === 'object' && !Array.isArray(value) && typeof (value as { title?: unknown }).title === 'string') {
    // a field, item or element: its title or name first, the rest on demand
    const v = value as { title: string };
    return <span title={JSON.stringify(value, null, 1).slice(0, 2000)}>{v.title}</span>;
  }
  if (typeof value === 'object' && !Array.isArray(value) && typeof (value as { name?: unknown }).name === 'string') {
    return <span title={JSON.stringify(value, null, 1).slice(0, 2000)}>{(value as { name: string }).name}</span>;
  }
  return <pre style={{ margin: 0, maxHeight: 120, overflow: 'auto', fontSize: 12, whiteSpace: 'pre-wrap' }}>{JSON.stringify(value, null, 1).slice(0, 2000)}</pre>;
}

/** The row's check box, named for screen readers (antd's CheckboxProps does not list aria attributes). */
function checkboxProps(c: TemplateChangeInfo): Partial<CheckboxProps> {
  const props: Partial<CheckboxProps> & { 'aria-label': string } = { 'aria-label': `采用：${changeLabel(c)}` };
  return props;
}

export function TemplateUpdatePanel({ matterKey, onMerged }: { matterKey: string; onMerged: (r: TemplateMerged) => void }) {
  const [diff, setDiff] = useState<TemplateDiff | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [merged, setMerged] = useState<TemplateMerged | null>(null);

  const load = useCallback(() => {
    api.get<TemplateDiff>(`/admin/matters/${matterKey}/template-diff`).then((d) => {
      setDiff(d);
      setSelected(d.changes.filter((c) => !c.conflict).map((c) => c.id));
    }, (e) => setError(errorText(e)));
  }, [matterKey]);
  useEffect(load, [load]);

  const conflictsChosen = useMemo(() => diff?.changes.filter((c) => c.conflict && selected.includes(c.id)) ?? [], [diff, selected]);
  if (merged) {
    return (
      <Alert type="success" showIcon style={{ marginBottom: 12 }} data-testid="template-update-panel"
        message={`已合并省级模板第 ${merged.template.version} 版：采用 ${merged.applied.length} 项修改${merged.skipped.length ? `，${merged.skipped.length} 项未能采用（${merged.skipped.map((x) => x.reason).slice(0, 3).join('；')}）` : ''}。修改已写入本市草稿，检查无误后请发布。`}
        action={<Button size="small" type="primary" onClick={() => onMerged(merged)}>重新载入草稿</Button>} />
    );
  }
  if (error && !diff) return <Alert type="error" showIcon style={{ marginBottom: 12 }} message={`省级模板差异加载失败：${error}`} />;
  if (!diff || diff.template.latest <= diff.template.base) return null;

  const merge = async () => {
    setBusy(true); setError(null);
    try {
      const r = await api.post<TemplateMerged>(`/admin/matters/${matterKey}/template-merge`, {
        accept: selected, version: diff.template.latest, ...(conflictsChosen.length ? { resolve: 'theirs' } : {}),
      });
      setMerged(r);
    } catch (e) {
      setError(errorText(e));
      if (e instanceof ApiError && e.status === 409) load();
    } finally { setBusy(false); }
  };
  const conflicts = diff.changes.filter((c) => c.conflict).length;

  return (
    <Card size="small" data-testid="template-update-panel" style={{ marginBottom: 12, borderColor: '#faad14' }}
      title={<Space>省级模板更新<Tag color="gold">{diff.template.title}</Tag></Space>}>
      <Alert type="info" showIcon style={{ marginBottom: 8 }}
        message={`省级模板已发布第 ${diff.template.latest} 版，本事项基于第 ${diff.template.base} 版：共 ${diff.changes.length} 项修改${conflicts ? `，其中 ${conflicts} 项与本市的修改冲突（红色，默认不采用）` : ''}。`}
        description="勾选要采用的修改后「合并所选」：修改写入本市草稿，检查无误后再发布；未勾选的修改保留本市现状（不再提示）。合并后须重新载入草稿，本页未保存的修改请先保存。" />
      <Table<TemplateChangeInfo> size="small" rowKey="id" pagination={false} dataSource={diff.changes}
        rowClassName={(c) => (c.conflict ? 'template-conflict' : '')}
        onRow={(c) => (c.conflict ? { style: { background: '#fff1f0' } } : {})}
        rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]), getCheckboxProps: checkboxProps }}
        columns={[
          {
            title: '修改', key: 'what', width: '28%',
            render: (_v, c) => (
              <Space direction="vertical" size={0}>
                <span>{changeLabel(c)}</span>
                <Space size={4}>
                  <Tag color={KIND[c.kind].color}>{KIND[c.kind].text}</Tag>
                  {c.conflict && <Tag color="red">冲突</Tag>}
                </Space>
              </Space>
            ),
          },
          { title: '模板原版', key: 'base', render: (_v, c) => <Value value={c.base} absent={c.kind === 'added' ? '（无）' : '—'} /> },
          { title: '模板新版', key: 'theirs', render: (_v, c) => <Value value={c.theirs} absent={c.kind === 'removed' ? '（删除）' : '—'} /> },
          {
            title: '本市', key: 'ours',
            render: (_v, c) => (c.conflict
              ? <Typography.Text type="danger"><Value value={c.ours} absent="（本市已删除）" /></Typography.Text>
              : <Value value={c.ours} absent="（无）" />),
          },
        ]} />
      {conflictsChosen.length > 0 && (
        <Alert type="warning" showIcon style={{ marginTop: 8 }} message={`已勾选 ${conflictsChosen.length} 项冲突：将采用模板新版，覆盖本市的修改。`} />
      )}
      {error && <Alert type="error" showIcon style={{ marginTop: 8 }} message={error} />}
      <Space style={{ marginTop: 8 }}>
        <Button type="primary" danger={conflictsChosen.length > 0} onClick={() => void merge()} loading={busy}>合并所选</Button>
        <Typography.Text type="secondary">已选 {selected.length} / {diff.changes.length} 项</Typography.Text>
      </Space>
    </Card>
  );
}
