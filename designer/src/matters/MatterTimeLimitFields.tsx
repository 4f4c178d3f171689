/**
 * The matter's 承诺时限 (manifest `timeLimit`): working days from 受理, and how many working days
 * before it ends the departments holding the case are warned (default 2). Empty: no limit.
 * The publish checks refuse a warning not shorter than the limit (docs/deadlines.md).
 */
import { InputNumber, Space, Typography } from 'antd';
import type { MatterDraft } from '../api/types';

type TimeLimit = MatterDraft['timeLimit'];

export function MatterTimeLimitFields({ timeLimit, onChange }: { timeLimit?: TimeLimit; onChange(t: TimeLimit): void }) {
  return (
    <Space wrap style={{ marginTop: 8 }} data-testid="matter-time-limit-fields">
      <span>承诺时限 <InputNumber aria-label="承诺时限（工作日）" min={1} max={365} precision={0} placeholder="不限" addonAfter="个工作日" style={{ width: 170 }}
        value={timeLimit?.workdays ?? null}
        onChange={(v) => onChange(typeof v === 'number' ? { ...timeLimit, workdays: v } : undefined)} /></span>
      <span>到期前预警 <InputNumber aria-label="到期前预警（工作日）" min={0} max={364} precision={0} placeholder="2" addonAfter="个工作日" style={{ width: 170 }}
        disabled={!timeLimit} value={timeLimit?.warnWorkdays ?? null}
        onChange={(v) => timeLimit && onChange(typeof v === 'number' ? { ...timeLimit, warnWorkdays: v } : { workdays: timeLimit.workdays })} /></span>
      <Typography.Text type="secondary">自受理次日起按法定工作日计算，补正、挂起期间不计；超期后向在办部门负责人和本市管理员督办。</Typography.Text>
    </Space>
  );
}
