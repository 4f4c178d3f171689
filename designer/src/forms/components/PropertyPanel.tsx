/**
 * Properties of the selected node: what every node has (label, key, help, required, span), the
 * field type's own entries (default, options, validation, materials… — `EditorEntries`), rules.
 */
import { useEffect, useState } from 'react';
import { Button, Checkbox, Divider, Form, Input, Popconfirm, Radio, Typography } from 'antd';
import { fieldType, KEY_PATTERN, type FieldSchema } from '@lianban/runtime';
import type { FormDocument, NodePath } from '../model/form-document';
import type { RuleField } from '../model/rules';
import { RuleEditor } from './RuleEditor';
import { ComputeEditor } from './ComputeEditor';
import { OneOfEditor } from './OneOfEditor';
import { EditorEntries } from './EditorEntries';

interface Props {
  doc: FormDocument;
  path: NodePath;
  node: FieldSchema;
  fields: RuleField[];
  onPath(path: NodePath | null): void;
  onError(message: string): void;
}

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
  const entries = config?.editor ?? [];
  const set = (patch: Partial<Record<keyof FieldSchema, unknown>>) => { try { doc.update(path, patch); } catch (e) { onError((e as Error).message); } };
  const otherFields = fields.filter((f) => f.key !== path.at(-1));
  return (
    <div className="lb-fd-props" data-testid="property-panel">
      <Typography.Title level={5} style={{ marginTop: 0 }}>{config?.label ?? '字段'}属性</Typography.Title>
      <Form layout="vertical" size="small">
        <Form.Item label="标题"><Input aria-label="标题" value={node.title ?? ''} onChange={(e) => set({ title: e.target.value || undefined })} /></Form.Item>
        <Form.Item label="字段标识" extra="提交数据和流程条件中使用；字母开头，字母、数字和 _">
          <KeyInput value={path.at(-1)!} onCommit={(k) => { try { onPath(doc.rename(path, k)); } catch (e) { onError((e as Error).message); } }} />
        </Form.Item>
        <Form.Item label={config?.keyed === false ? '说明文字' : '填写说明（帮助文字）'} extra="以「系统补充项：」开头表示印刷表没有此项：打印申请表时略去，申请人只看到其后的文字">
          <Input.TextArea aria-label="说明" autoSize={{ minRows: 2, maxRows: 6 }} value={node.description ?? ''} onChange={(e) => set({ description: e.target.value || undefined })} />
        </Form.Item>
        <Form.Item label="设计备注（不向申请人显示）" extra="为什么这样设计、印刷表怎样写，供以后修改的人参考">
          <Input.TextArea aria-label="设计备注" autoSize={{ minRows: 1, maxRows: 6 }} value={typeof node['x-note'] === 'string' ? node['x-note'] : ''} onChange={(e) => set({ 'x-note': e.target.value || undefined })} />
        </Form.Item>
        {config?.keyed && <Form.Item><Checkbox checked={!!node.required} onChange={(e) => set({ required: e.target.checked || undefined })}>必填</Checkbox></Form.Item>}
        {config?.keyed && (
          <Form.Item extra="用作流程任务表单时，此字段的值记为该任务关联事项的办理结果，告知申请人并可推送">
            <Checkbox checked={node['x-item-result'] === true} onChange={(e) => set({ 'x-item-result': e.target.checked || undefined })}>办理结果</Checkbox>
          </Form.Item>
        )}
        {!config?.container && (
          <Form.Item label="占列（每行 4 列）">
            <Radio.Group size="small" value={node['x-span'] ?? config?.span ?? 1} onChange={(e) => set({ 'x-span': e.target.value })}
              options={[1, 2, 3, 4].map((n) => ({ value: n, label: String(n) }))} optionType="button" />
          </Form.Item>
        )}
        <EditorEntries entries={entries} node={node} set={set} />
        {typeof node['x-linked-item'] === 'string' && (
          <Typography.Paragraph type="secondary">勾选此字段即申请关联事项 <Typography.Text code>{node['x-linked-item']}</Typography.Text>（在事项中管理）。</Typography.Paragraph>
        )}
      </Form>
      <Divider plain>规则</Divider>
      <RuleEditor key={`${path.join('/')}:visible`} label="显示条件（满足时才显示）" value={node['x-visible-when']} fields={otherFields} onChange={(v) => set({ 'x-visible-when': v })} />
      {config?.keyed && <RuleEditor key={`${path.join('/')}:required`} label="必填条件（满足时必填）" value={node['x-required-when']} fields={otherFields} onChange={(v) => set({ 'x-required-when': v })} />}
      {(node['x-field-type'] === 'yesNo' || node['x-one-of']) && <OneOfEditor key={`${path.join('/')}:one-of`} self={path.at(-1)!} value={node['x-one-of']} fields={fields} onChange={(v) => set({ 'x-one-of': v })} />}
      {(entries.some((e) => e.kind === 'compute') || node['x-compute']) && <ComputeEditor value={node['x-compute']} fields={otherFields} onChange={(v) => set({ 'x-compute': v })} />}
      <Divider />
      <Popconfirm title="删除此字段（及其中的字段）？可撤销。" okText="删除" cancelText="取消" onConfirm={() => { doc.remove(path); onPath(null); }}>
        <Button danger block>删除字段</Button>
      </Popconfirm>
    </div>
  );
}
