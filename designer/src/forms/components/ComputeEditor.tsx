/** A computed value: pick a function of the fixed registry and map its parameters to fields. */
import { Select, Space, Typography } from 'antd';
import { COMPUTE_FUNCTIONS, type ComputeRule } from '@lianban/runtime';
import type { RuleField } from '../model/rules';

export function ComputeEditor({ value, fields, onChange }: { value: ComputeRule | undefined; fields: RuleField[]; onChange(v: ComputeRule | undefined): void }) {
  const fn = value ? COMPUTE_FUNCTIONS[value.compute] : undefined;
  return (
    <div className="lb-fd-rule">
      <Typography.Text strong>自动计算</Typography.Text>
      <Select size="small" style={{ width: '100%', margin: '4px 0' }} aria-label="计算方法" allowClear placeholder="不计算（由申请人填写）" value={value?.compute}
        options={Object.values(COMPUTE_FUNCTIONS).map((f) => ({ value: f.name, label: f.label }))}
        onChange={(name?: string) => onChange(name ? { compute: name, from: {} } : undefined)} />
      {fn && value && Object.entries(fn.params).map(([param, spec]) => (
        <Space key={param} size={4} style={{ display: 'flex', marginBottom: 4 }}>
          <span style={{ width: 96, display: 'inline-block' }}>{spec.label}{spec.required ? '*' : ''}</span>
          <Select size="small" style={{ width: 190 }} aria-label={spec.label} allowClear showSearch optionFilterProp="label"
            value={typeof value.from[param] === 'string' ? (value.from[param] as string) : undefined}
            options={fields.map((f) => ({ value: f.key, label: f.label }))}
            onChange={(f?: string) => {
              const from = { ...value.from };
              if (f) from[param] = f; else delete from[param];
              onChange({ ...value, from });
            }} />
        </Space>
      ))}
    </div>
  );
}
