/** The matter's linked items: department, materials (必需 / 依申请) and the opt-in field in each form. */
import { useState } from 'react';
import { Button, Input, InputNumber, Modal, Popconfirm, Radio, Select, Space, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import type { Department, FormDoc, LinkedItem, Material, MatterDraft } from '../api/types';
import { findOptInField } from './model/linked-item';

interface Props {
  draft: MatterDraft;
  forms: FormDoc[];
  departments: Department[];
  /** Key of a row to mark (a publish problem points at it). */
  highlight: string | null;
  onChange(draft: MatterDraft): void;
}

export function LinkedItemsTable({ draft, forms, departments, highlight, onChange }: Props) {
  const [materialsOf, setMaterialsOf] = useState<{ key: string; materials: Material[] } | null>(null);
  const update = (key: string, patch: Partial<LinkedItem>) => onChange({ ...draft, linkedItems: draft.linkedItems.map((i) => (i.key === key ? { ...i, ...patch } : i)) });
  return (
    <>
      {/* wider than the editor with all its columns: scroll sideways rather than squeeze the names to a letter a line */}
      <Table<LinkedItem> rowKey="key" dataSource={draft.linkedItems} pagination={false} size="small" scroll={{ x: 'max-content' }}
        rowClassName={(i) => (i.key === highlight ? 'lb-row-highlight' : '')} columns={[
          { title: '关联事项', dataIndex: 'title', width: 200, render: (t: string, i) => <div style={{ minWidth: 160 }}>{t} <Typography.Text type="secondary" code>{i.key}</Typography.Text></div> },
          { title: '办理部门', dataIndex: 'department', width: 220, render: (d: string, i) => (
            <Select size="small" style={{ width: 200 }} value={d} aria-label={`${i.title}的办理部门`} status={departments.some((x) => x.key === d) ? undefined : 'error'}
              options={departments.map((x) => ({ value: x.key, label: x.name }))} onChange={(v) => update(i.key, { department: v })} />
          ) },
          { title: '材料', key: 'materials', render: (_, i) => {
            const m = i.materials ?? [];
            const req = m.filter((x) => x.kind === 'required').length;
            return <Button size="small" type="link" onClick={() => setMaterialsOf({ key: i.key, materials: m })}>{m.length ? `必需 ${req} · 依申请 ${m.length - req}` : '无需材料'}</Button>;
          } },
          { title: '办理时限', key: 'timeLimit', width: 150, render: (_, i) => (
            <InputNumber size="small" min={1} max={365} precision={0} style={{ width: 130 }} aria-label={`${i.title}的办理时限`} addonAfter="工作日"
              placeholder="不限" value={i.timeLimit?.workdays ?? null}
              onChange={(v) => update(i.key, { timeLimit: typeof v === 'number' ? { workdays: v } : undefined })} />
          ) },
          { title: '实施编码', key: 'implCode', width: 200, render: (_, i) => (
            <Input size="small" maxLength={34} aria-label={`${i.title}的实施编码`} placeholder="本项自有编码（可空）" value={i.implCode ?? ''}
              onChange={(e) => update(i.key, { implCode: e.target.value.trim().toUpperCase() || undefined })} />
          ) },
          { title: '单独事项说明', key: 'standalone', width: 260, render: (_, i) => (i.mandatory ? null : (
            <Input.TextArea size="small" autoSize={{ minRows: 1, maxRows: 4 }} maxLength={2000} aria-label={`${i.title}的单独事项说明`}
              placeholder="不符合联办条件时，告诉申请人去哪里、怎么办" value={i.standalone ?? ''}
              onChange={(e) => update(i.key, { standalone: e.target.value || undefined })} />
          )) },
          { title: '勾选字段', key: 'optIn', render: (_, i) => (i.mandatory ? <Tag>必办，无需勾选</Tag> : forms.map((f) => {
            const path = findOptInField(f.draft.schema, i.key);
            return path
              ? <div key={f.key}><Link to={`/forms/${f.key}?field=${path.at(-1)}`}>{f.title.replace(/^.*（(.+)）$/, '$1')} · {path.at(-1)}</Link></div>
              : <div key={f.key}><Tag color="orange">{f.key} 中未设置</Tag></div>;
          })) },
          { title: '', key: 'actions', width: 70, render: (_, i) => (
            <Popconfirm title="从事项中移除？表单字段和流程分支需另行删除。" okText="移除" cancelText="取消"
              onConfirm={() => onChange({ ...draft, linkedItems: draft.linkedItems.filter((x) => x.key !== i.key) })}>
              <Button size="small" type="link" danger>移除</Button>
            </Popconfirm>
          ) },
        ]} />
      <Modal open={!!materialsOf} title="所需材料" okText="确定" cancelText="取消" width={680} onCancel={() => setMaterialsOf(null)}
        onOk={() => { if (materialsOf) update(materialsOf.key, { materials: materialsOf.materials.filter((m) => m.name.trim()) }); setMaterialsOf(null); }}>
        {materialsOf?.materials.map((m, idx) => (
          <Space key={idx} style={{ display: 'flex', marginBottom: 8 }}>
            <Input style={{ width: 360 }} value={m.name} onChange={(e) => setMaterialsOf({ ...materialsOf, materials: materialsOf.materials.map((x, j) => (j === idx ? { ...x, name: e.target.value } : x)) })} />
            <Radio.Group value={m.kind} options={[{ value: 'required', label: '必需提供' }, { value: 'on-request', label: '依申请提供' }]}
              onChange={(e) => setMaterialsOf({ ...materialsOf, materials: materialsOf.materials.map((x, j) => (j === idx ? { ...x, kind: e.target.value as Material['kind'] } : x)) })} />
            <Button type="link" danger onClick={() => setMaterialsOf({ ...materialsOf, materials: materialsOf.materials.filter((_, j) => j !== idx) })}>删除</Button>
          </Space>
        ))}
        <Button type="dashed" onClick={() => materialsOf && setMaterialsOf({ ...materialsOf, materials: [...materialsOf.materials, { name: '', kind: 'required' }] })}>添加材料</Button>
      </Modal>
    </>
  );
}
