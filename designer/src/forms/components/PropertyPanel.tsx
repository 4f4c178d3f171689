/** Properties of the selected node: label, key, required, help, span, default, options, validation, materials, rules. */
import { useEffect, useState } from 'react';
import { Button, Checkbox, Divider, Form, Input, InputNumber, Popconfirm, Radio, Select, Space, Typography } from 'antd';
import { fieldType, KEY_PATTERN, type ChoiceOption, type FieldSchema, type MaterialSpec } from '@lianban/runtime';
import type { FormDocument, NodePath } from '../model/form-document';
import type { RuleField } from '../model/rules';
import { RuleEditor } from './RuleEditor';
import { ComputeEditor } from './ComputeEditor';

interface Props {
  doc: FormDocument;
  path: NodePath;
  node: FieldSchema;
  fields: RuleField[];
  onPath(path: NodePath | null): void;
  onError(message: string): void;
}

const STRINGY = new Set(['text', 'textarea']);

/** The key input commits on blur/enter (a rename touches rules that read the field). */
function KeyInput({ value, onCommit }: { value: string; onCommit(v: string): void }) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  const bad = !KEY_PATTERN.test(text);
  return (
    <Input aria-label="字段标识" value={text} status={bad ? 'error' : undefined} onChange={(e) => setText(e.target.value.trim())}
      onBlur={() => !bad && onCommit(text)} onPressEnter={() => !bad && onCommit(text)} />
  );
}

export function PropertyPanel({ doc, path, node, fields, onPath, onError }: Props) {
  const config = fieldType(node['x-field-type']);
  const type = config?.type ?? '';
  const set = (patch: Partial<Record<keyof FieldSchema, unknown>>) => { try { doc.update(path, patch); } catch (e) { onError((e as Error).message); } };
  const options = node.enum ?? [];
  const setOptions = (next: ChoiceOption[]) => set({ enum: next });
  const materials = node['x-materials'] ?? [];
  const setMaterials = (next: MaterialSpec[]) => set({ 'x-materials': next });
  const otherFields = fields.filter((f) => f.key !== path.at(-1));
  return (
    <div className="lb-fd-props" data-testid="property-panel">
      <Typography.Title level={5} style={{ marginTop: 0 }}>{config?.label ?? '字段'}属性</Typography.Title>
      <Form layout="vertical" size="small">
        <Form.Item label="标题"><Input aria-label="标题" value={node.title ?? ''} onChange={(e) => set({ title: e.target.value || undefined })} /></Form.Item>
        <Form.Item label="字段标识" extra="提交数据和流程条件中使用；字母开头，字母、数字和 _">
          <KeyInput value={path.at(-1)!} onCommit={(k) => { try { onPath(doc.rename(path, k)); } catch (e) { onError((e as Error).message); } }} />
        </Form.Item>
        <Form.Item label={config?.keyed === false ? '说明文字' : '填写说明（帮助文字）'}>
          <Input.TextArea aria-label="说明" autoSize={{ minRows: 2, maxRows: 6 }} value={node.description ?? ''} onChange={(e) => set({ description: e.target.value || undefined })} />
        </Form.Item>
        {config?.keyed && <Form.Item><Checkbox checked={!!node.required} onChange={(e) => set({ required: e.target.checked || undefined })}>必填</Checkbox></Form.Item>}
        {!config?.container && (
          <Form.Item label="占列（每行 4 列）">
            <Radio.Group size="small" value={node['x-span'] ?? config?.span ?? 1} onChange={(e) => set({ 'x-span': e.target.value })}
              options={[1, 2, 3, 4].map((n) => ({ value: n, label: String(n) }))} optionType="button" />
          </Form.Item>
        )}
        {(type === 'text' || type === 'textarea' || type === 'select' || type === 'radio') && (
          <Form.Item label="默认值"><Input aria-label="默认值" value={typeof node.default === 'string' ? node.default : ''} onChange={(e) => set({ default: e.target.value || undefined })} /></Form.Item>
        )}
        {type === 'yesNo' && (
          <Form.Item label="默认值">
            <Select aria-label="默认值" allowClear value={typeof node.default === 'boolean' ? String(node.default) : undefined}
              options={[{ value: 'true', label: '是' }, { value: 'false', label: '否' }]} onChange={(v?: string) => set({ default: v === undefined ? undefined : v === 'true' })} />
          </Form.Item>
        )}
        {type === 'number' && (
          <Space>
            <Form.Item label="默认值"><InputNumber value={typeof node.default === 'number' ? node.default : undefined} onChange={(v) => set({ default: v ?? undefined })} /></Form.Item>
            <Form.Item label="最小值"><InputNumber value={node.minimum} onChange={(v) => set({ minimum: v ?? undefined })} /></Form.Item>
            <Form.Item label="最大值"><InputNumber value={node.maximum} onChange={(v) => set({ maximum: v ?? undefined })} /></Form.Item>
          </Space>
        )}
        {STRINGY.has(type) && (
          <>
            <Space>
              <Form.Item label="最少字数"><InputNumber min={0} value={node.minLength} onChange={(v) => set({ minLength: v ?? undefined })} /></Form.Item>
              <Form.Item label="最多字数"><InputNumber min={1} value={node.maxLength} onChange={(v) => set({ maxLength: v ?? undefined })} /></Form.Item>
            </Space>
            <Form.Item label="格式（正则表达式，可选）" extra="例如固定电话 ^0\d{2,3}-?\d{7,8}$；过长或可能回溯的表达式会被拒绝">
              <Input aria-label="格式" value={node.pattern ?? ''} onChange={(e) => set({ pattern: e.target.value || undefined })} />
            </Form.Item>
          </>
        )}
        {(type === 'select' || type === 'radio' || type === 'checkbox') && (
          <Form.Item label="选项">
            {options.map((o, i) => (
              <Space key={i} size={4} style={{ display: 'flex', marginBottom: 4 }}>
                <Input aria-label={`选项${i + 1}`} value={o.label} onChange={(e) => setOptions(options.map((x, j) => (j === i ? { label: e.target.value, value: x.value === x.label ? e.target.value : x.value } : x)))} />
                <Input aria-label={`选项${i + 1}的值`} style={{ width: 90 }} value={String(o.value)} onChange={(e) => setOptions(options.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))} />
                <Button size="small" type="link" danger onClick={() => setOptions(options.filter((_, j) => j !== i))}>删除</Button>
              </Space>
            ))}
            <Button size="small" type="dashed" onClick={() => setOptions([...options, { label: `选项${options.length + 1}`, value: `选项${options.length + 1}` }])}>添加选项</Button>
          </Form.Item>
        )}
        {type === 'upload' && (
          <Form.Item label="材料">
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
        )}
        {type === 'region' && (
          <Form.Item label="选到哪一级">
            <Radio.Group value={node['x-region-levels'] ?? 3} onChange={(e) => set({ 'x-region-levels': e.target.value })}
              options={[{ value: 3, label: '区县' }, { value: 4, label: '街道' }, { value: 5, label: '社区' }]} />
          </Form.Item>
        )}
        {typeof node['x-linked-item'] === 'string' && (
          <Typography.Paragraph type="secondary">勾选此字段即申请关联事项 <Typography.Text code>{node['x-linked-item']}</Typography.Text>（在事项中管理）。</Typography.Paragraph>
        )}
      </Form>
      <Divider plain>规则</Divider>
      <RuleEditor key={`${path.join('/')}:visible`} label="显示条件（满足时才显示）" value={node['x-visible-when']} fields={otherFields} onChange={(v) => set({ 'x-visible-when': v })} />
      {config?.keyed && <RuleEditor key={`${path.join('/')}:required`} label="必填条件（满足时必填）" value={node['x-required-when']} fields={otherFields} onChange={(v) => set({ 'x-required-when': v })} />}
      {(type === 'computed' || node['x-compute']) && <ComputeEditor value={node['x-compute']} fields={otherFields} onChange={(v) => set({ 'x-compute': v })} />}
      <Divider />
      <Popconfirm title="删除此字段（及其中的字段）？可撤销。" okText="删除" cancelText="取消" onConfirm={() => { doc.remove(path); onPath(null); }}>
        <Button danger block>删除字段</Button>
      </Popconfirm>
    </div>
  );
}
