/** The matter's 实名 level requirement (manifest `minAuthLevel`): applicants whose sign-in is below it cannot file. */
import { Select } from 'antd';

export const AUTH_LEVEL_OPTIONS = [
  { value: 1, label: 'L1（不限，账户密码登录即可）' },
  { value: 2, label: 'L2 及以上' },
  { value: 3, label: 'L3（最高级实名认证）' },
];

export function MatterAuthLevelField({ value, onChange }: { value?: number; onChange(level: number): void }) {
  return (
    <div style={{ marginTop: 8 }} data-testid="matter-auth-level">
      <span>申请所需实名等级 <Select aria-label="申请所需实名等级" value={value ?? 1} options={AUTH_LEVEL_OPTIONS} style={{ width: 260 }} onChange={onChange} /></span>
    </div>
  );
}
