/** 「二者必选其一」 on a yes/no field: pick the other yes/no fields of the set, the mode and an optional message. */
import { useEffect, useState } from 'react';
import { Input, Select, Typography } from 'antd';
import type { OneOfRule } from '@lianban/runtime';
import { describeOneOf, ONE_OF_MODES, oneOfCandidates, oneOfPicks, toOneOf, type OneOfPicks } from '../model/one-of';
import type { RuleField } from '../model/rules';

interface Props {
  /** Data key of the field being edited (it is always one of the set). */
  self: string;
  value: OneOfRule | undefined;
  fields: RuleField[];
  onChange(value: OneOfRule | undefined): void;
}

export function OneOfEditor({ self, value, fields, onChange }: Props) {
  const [picks, setPicks] = useState<OneOfPicks>(() => oneOfPicks(value, self));
  useEffect(() => {
    setPicks((current) => (JSON.stringify(toOneOf(current)) === JSON.stringify(value) ? current : oneOfPicks(value, self)));
  }, [value, self]);
  const set = (next: OneOfPicks) => { setPicks(next); onChange(toOneOf(next)); };
  const others = oneOfCandidates(fields).filter((f) => f.key !== self);
  return (
    <div className="lb-fd-rule" data-rule="必选其一">
      <Typography.Text strong>必选其一（与以下“是否”字段）</Typography.Text>
      <Select size="small" mode="multiple" style={{ width: '100%', margin: '4px 0' }} aria-label="必选其一的字段" placeholder="不设置" allowClear
        value={picks.fields.filter((f) => f !== self)} options={others.map((f) => ({ value: f.key, label: f.label }))}
        onChange={(v: string[]) => set({ ...picks, fields: [self, ...v] })} />
      {picks.fields.length > 1 && (
        <>
          <Select size="small" style={{ width: '100%', marginBottom: 4 }} aria-label="必选其一的方式" value={picks.mode}
            options={(Object.keys(ONE_OF_MODES) as OneOfPicks['mode'][]).map((m) => ({ value: m, label: ONE_OF_MODES[m] }))}
            onChange={(mode: OneOfPicks['mode']) => set({ ...picks, mode })} />
          <Input size="small" aria-label="必选其一的提示" placeholder={`提示（默认：${describeOneOf(toOneOf({ ...picks, message: undefined }), fields)}）`}
            value={picks.message ?? ''} onChange={(e) => set({ ...picks, message: e.target.value || undefined })} />
        </>
      )}
    </div>
  );
}
