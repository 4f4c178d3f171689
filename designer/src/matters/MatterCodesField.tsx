/**
 * The matter's 实施编码 (national catalogue code, sent with every 办件信息 to the province) and its
 * short code (the case number's `{matter}`), checked as typed with the server's own rule.
 */
import { Input, Typography } from 'antd';
import { implCodeProblem, shortCodeProblem } from '@lianban/runtime';

export function MatterCodesField({ implCode, shortCode, onChange }: { implCode?: string; shortCode?: string; onChange(codes: { implCode?: string; shortCode?: string }): void }) {
  const implProblem = implCode ? implCodeProblem(implCode) : null;
  const shortProblem = shortCode ? shortCodeProblem(shortCode) : null;
  return (
    <div style={{ marginTop: 8, display: 'flex', gap: 16, flexWrap: 'wrap' }} data-testid="matter-codes">
      <label>实施编码 <Input aria-label="实施编码" value={implCode ?? ''} maxLength={34} style={{ width: 330 }} status={implProblem ? 'error' : undefined}
        placeholder="国家政务服务事项实施清单中的编码" onChange={(e) => onChange({ implCode: e.target.value.trim().toUpperCase() || undefined, shortCode })} />
        {implProblem && <Typography.Text type="danger" style={{ display: 'block' }}>{implProblem}</Typography.Text>}
      </label>
      <label>事项简码 <Input aria-label="事项简码" value={shortCode ?? ''} maxLength={8} style={{ width: 120 }} status={shortProblem ? 'error' : undefined}
        placeholder="如 TX" onChange={(e) => onChange({ implCode, shortCode: e.target.value.trim().toUpperCase() || undefined })} />
        <Typography.Text type="secondary"> 办件编号格式中的 {'{matter}'}</Typography.Text>
        {shortProblem && <Typography.Text type="danger" style={{ display: 'block' }}>{shortProblem}</Typography.Text>}
      </label>
    </div>
  );
}
