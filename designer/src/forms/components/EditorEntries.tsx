/**
 * The type-specific part of the property panel, drawn from the field type's `editor` entries
 * (runtime field-types/editor.ts): one control per entry `kind`, so a new field type brings its
 * panel as data and needs no code here. Adjacent number entries share a row.
 */
import type { ReactNode } from 'react';
import { Button, Form, Input, InputNumber, Radio, Select, Space } from 'antd';
import type { ChoiceOption, EditableKey, EditorEntry, FieldSchema, MaterialSpec } from '@lianban/runtime';

interface Props {
  entries: readonly EditorEntry[];
  node: FieldSchema;
  set(patch: Partial<Record<EditableKey, unknown>>): void;
}

function OptionsEntry({ label, node, set }: { label: string; node: FieldSchema; set: Props['set'] }) {
  const options = node.enum ?? [];
  const setOptions = (next: ChoiceOption[]) => set({ enum: next });
  return (
    <Form.Item label={label}>
      {options.map((o, i) => (
        <Space key={i} size={4} style={{ display: 'flex', marginBottom: 4 }}>
          <Input aria-label={`选项${i + 1}`} value={o.label} onChange={(e) => setOptions(options.map((x, j) => (j === i ? { label: e.target.value, value: x.value === x.label ? e.target.value : x.value } : x)))} />
          <Input aria-label={`选项${i + 1}的值`} style={{ width: 90 }} value={String(o.value)} onChange={(e) => setOptions(options.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))} />
          <Button size="small" type="link" danger onClick={() => setOptions(options.filter((_, j) => j !== i))}>删除</Button>
        </Space>
      ))}
      <Button size="small" type="dashed" onClick={() => setOptions([...options, { label: `选项${options.length + 1}`, value: `选项${options.length + 1}` }])}>添加选项</Button>
    </Form.Item>
  );
}

function MaterialsEntry({ label, node, set }: { label: string; node: FieldSchema; set: Props['set'] }) {
  const materials = node['x-materials'] ?? [];
  const setMaterials = (next: MaterialSpec[]) => set({ 'x-materials': next });
  return (
    <Form.Item label={label}>
      {materials.map((m, i) => (
        <Space key={i} size={4} style={{ display: 'flex', marginBottom: 4 }}>
          <Input value={m.name} aria-label={`材料${i + 1}`} onChange={(e) => setMaterials(materials.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))} />
          <Select size="small" style={{ width: 96 }} value={m.need ?? 'always'} onChange={(need) => setMaterials(materials.map((x, j) => (j === i ? { ...x, need } : x)))}
            options={[{ value: 'always', label: '必需' }, { value: 'on-request', label: '依申请' }]} />
          <Button size="small" type="link" danger onClick={() => setMaterials(materials.filter((_, j) => j !== i))}>删除</Button>
        </Space>
      ))}
      <Button size="small" type="dashed" onClick={() => setMaterials([...materials, { code: `m${materials.length + 1}`, name: '', need: 'always' }])}>添加材料</Button>
    </Form.Item>
  );
}

/** One control; `compute` entries are drawn with the rules (PropertyPanel), not here. */
function entry(e: EditorEntry, node: FieldSchema, set: Props['set']): ReactNode {
  const value = node[e.key];
  switch (e.kind) {
    case 'text':
      return (
        <Form.Item key={e.key} label={e.label} extra={e.extra}>
          {/* Named without the label's parenthesised note: 格式（正则表达式，可选） → 格式. */}
          <Input aria-label={e.label.replace(/（.*）$/, '')} value={typeof value === 'string' ? value : ''} onChange={(ev) => set({ [e.key]: ev.target.value || undefined })} />
        </Form.Item>
      );
    case 'number':
      return (
        <Form.Item key={e.key} label={e.label}>
          <InputNumber aria-label={e.label} min={e.min} value={typeof value === 'number' ? value : undefined} onChange={(v) => set({ [e.key]: v ?? undefined })} />
        </Form.Item>
      );
    case 'yesNo':
      return (
        <Form.Item key={e.key} label={e.label}>
          <Select aria-label={e.label} allowClear value={typeof value === 'boolean' ? String(value) : undefined}
            options={[{ value: 'true', label: '是' }, { value: 'false', label: '否' }]} onChange={(v?: string) => set({ [e.key]: v === undefined ? undefined : v === 'true' })} />
        </Form.Item>
      );
    case 'radio':
      return (
        <Form.Item key={e.key} label={e.label}>
          <Radio.Group value={value ?? e.fallback} onChange={(ev) => set({ [e.key]: ev.target.value })}
            options={e.options.map((o) => ({ value: o.value as string | number, label: o.label }))} />
        </Form.Item>
      );
    case 'options': return <OptionsEntry key={e.key} label={e.label} node={node} set={set} />;
    case 'materials': return <MaterialsEntry key={e.key} label={e.label} node={node} set={set} />;
    case 'compute': return null;
  }
}

/** The field type's own entries of the property panel, in order. */
export function EditorEntries({ entries, node, set }: Props) {
  const out: ReactNode[] = [];
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.kind !== 'number') { out.push(entry(e, node, set)); continue; }
    // A run of number entries (default, minimum, maximum) on one row.
    const run: EditorEntry[] = [];
    while (i < entries.length && entries[i]!.kind === 'number') run.push(entries[i++]!);
    i--;
    out.push(<Space key={`row-${run[0]!.key}`}>{run.map((r) => entry(r, node, set))}</Space>);
  }
  return <>{out}</>;
}
