/** Picks a condition — field, operator, value, joined by 全部/任一 — and yields the runtime's rule JSON. */
import { useEffect, useState } from 'react';
import { Button, Input, InputNumber, Select, Space, Typography } from 'antd';
import { fieldType, type Condition, type Json } from '@lianban/runtime';
import { OPERATOR_LABELS, fromClauses, toClauses, type Clause, type ClauseList, type Operator, type RuleField } from '../model/rules';

interface Props {
  label: string;
  value: Condition | undefined;
  fields: RuleField[];
  onChange(value: Condition | undefined): void;
}

function ValueInput({ clause, field, onChange }: { clause: Clause; field?: RuleField; onChange(v: Json | undefined): void }) {
  if (clause.op === 'filled' || clause.op === 'empty') return null;
  if (field?.options) {
    const multi = clause.op === 'in';
    const encoded = field.options.map((o) => ({ value: JSON.stringify(o.value), label: o.label }));
    const current = multi ? (Array.isArray(clause.value) ? clause.value.map((v) => JSON.stringify(v)) : []) : clause.value === undefined ? undefined : JSON.stringify(clause.value);
    return (
      <Select size="small" style={{ minWidth: 110 }} aria-label="取值" mode={multi ? 'multiple' : undefined} value={current} options={encoded}
        onChange={(v: string | string[]) => onChange(Array.isArray(v) ? v.map((x) => JSON.parse(x) as Json) : (JSON.parse(v) as Json))} />
    );
  }
  // Numbers are compared as numbers: whatever the field type, if it stores one.
  if (fieldType(field?.type)?.dataType === 'number') return <InputNumber size="small" aria-label="取值" value={typeof clause.value === 'number' ? clause.value : undefined} onChange={(v) => onChange(v ?? undefined)} />;
  return <Input size="small" style={{ width: 120 }} aria-label="取值" value={typeof clause.value === 'string' ? clause.value : ''} onChange={(e) => onChange(e.target.value)} />;
}

export function RuleEditor({ label, value, fields, onChange }: Props) {
  // Clauses being picked live here until complete; the schema holds only complete ones.
  const [list, setList] = useState<ClauseList | null>(() => toClauses(value));
  useEffect(() => {
    // Undo/redo or a JSON edit changed the rule under us: show it.
    setList((current) => (current && JSON.stringify(fromClauses(current)) === JSON.stringify(value) ? current : toClauses(value)));
  }, [value]);
  if (!list) return <Typography.Text type="secondary">{label}：条件较复杂，请在 JSON 视图中编辑</Typography.Text>;
  const set = (next: ClauseList) => { setList(next); onChange(fromClauses(next)); };
  const setClause = (i: number, patch: Partial<Clause>) => set({ ...list, clauses: list.clauses.map((c, j) => (j === i ? { ...c, ...patch } : c)) });
  return (
    <div className="lb-fd-rule" data-rule={label}>
      <Space size={4} style={{ marginBottom: 4 }}>
        <Typography.Text strong>{label}</Typography.Text>
        {list.clauses.length > 1 && (
          <Select size="small" value={list.join} aria-label="条件组合" onChange={(join) => set({ ...list, join })}
            options={[{ value: 'all', label: '全部满足' }, { value: 'any', label: '任一满足' }]} />
        )}
      </Space>
      {list.clauses.map((c, i) => {
        const field = fields.find((f) => f.key === c.field);
        return (
          <Space key={i} size={4} wrap style={{ display: 'flex', marginBottom: 4 }}>
            <Select size="small" style={{ width: 170 }} aria-label="条件字段" showSearch optionFilterProp="label" value={c.field || undefined} placeholder="选择字段"
              options={fields.map((f) => ({ value: f.key, label: f.label }))} onChange={(f: string) => setClause(i, { field: f, value: undefined })} />
            <Select size="small" style={{ width: 110 }} aria-label="运算" value={c.op} onChange={(op: Operator) => setClause(i, { op, value: op === 'in' ? [] : undefined })}
              options={(Object.keys(OPERATOR_LABELS) as Operator[]).map((op) => ({ value: op, label: OPERATOR_LABELS[op] }))} />
            <ValueInput clause={c} field={field} onChange={(v) => setClause(i, { value: v })} />
            <Button size="small" type="link" danger onClick={() => set({ ...list, clauses: list.clauses.filter((_, j) => j !== i) })}>删除</Button>
          </Space>
        );
      })}
      <Button size="small" type="dashed" onClick={() => set({ ...list, clauses: [...list.clauses, { field: '', op: 'eq' }] })}>
        添加条件
      </Button>
    </div>
  );
}
