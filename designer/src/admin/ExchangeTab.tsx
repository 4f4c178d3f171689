/**
 * 编号与交换: the city's 办件编号 format (tokens, a preview of today's first number) and the
 * 办件信息 records sent to the provincial platform — their state, the platform's receipt, and a
 * retry for a failed one.
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Input, Space, Table, Tag, Typography, message } from 'antd';
import { parseCaseNoPattern, renderCaseNo } from '@lianban/runtime';
import type { CaseNoSettings, ExchangeOverview, ExchangeRecordView } from '@lianban/runtime/contract';
import { api, errorText } from '../api/client';
import { formatTime } from '@lianban/runtime/web';

const STATUS: Record<ExchangeRecordView['status'], { label: string; color: string }> = {
  pending: { label: '待发送', color: 'blue' }, sending: { label: '发送中', color: 'blue' }, acked: { label: '已接收', color: 'green' }, failed: { label: '发送失败', color: 'red' },
};
const EVENTS: Record<ExchangeRecordView['event'], string> = { accepted: '受理', 'item-ended': '子项办结', 'case-ended': '办结' };

export function ExchangeTab() {
  const [settings, setSettings] = useState<CaseNoSettings>();
  const [pattern, setPattern] = useState('');
  const [overview, setOverview] = useState<ExchangeOverview>();
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const load = useCallback(async () => {
    try {
      const [s, o] = await Promise.all([api.get<CaseNoSettings>('/admin/case-numbers'), api.get<ExchangeOverview>('/admin/exchange')]);
      setSettings(s);
      setPattern(s.pattern);
      setOverview(o);
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  }, []);
  useEffect(() => { void load(); }, [load]);
  // the same tokenizer as the server: the preview and the reason show while typing
  const parsed = parseCaseNoPattern(pattern);
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');
  const preview = parsed.tokens && settings ? renderCaseNo(parsed.tokens, { prefix: settings.prefix, date: today, matter: 'TX' }, 1) : null;
  const save = async () => {
    setSaving(true);
    try {
      const s = await api.put<CaseNoSettings>('/admin/case-numbers', { pattern });
      setSettings(s);
      setPattern(s.pattern);
      void message.success('办件编号格式已保存，新受理的办件按此编号');
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      setSaving(false);
    }
  };
  const retry = async (id: string) => {
    try {
      await api.post(`/admin/exchange/${encodeURIComponent(id)}/retry`, {});
      void message.success('已重新加入发送队列');
      await load();
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  return (
    <div>
      {error && <Alert type="error" showIcon message={error} />}
      <Typography.Title level={5}>办件编号格式</Typography.Title>
      <Typography.Paragraph type="secondary">
        占位符：{'{prefix}'} 本市前缀（{settings?.prefix ?? '…'}）、{'{yyyy}'} {'{yy}'} {'{MM}'} {'{dd}'} 受理日期、{'{matter}'} 事项简码、{'{seq:N}'} N 位序号（3–8 位，放在最后）；其余只可用数字、字母和「-」。
        默认 {settings?.defaultPattern ?? ''}。序号按其前面的部分分别计数（含日期则每日从 1 起）。
      </Typography.Paragraph>
      <Space align="start" wrap>
        <Input aria-label="办件编号格式" value={pattern} maxLength={60} style={{ width: 360 }} status={parsed.problem ? 'error' : undefined} onChange={(e) => setPattern(e.target.value)} />
        <Button type="primary" loading={saving} disabled={!!parsed.problem || pattern === settings?.pattern} onClick={() => void save()}>保存编号格式</Button>
        {settings && <Button onClick={() => setPattern(settings.defaultPattern)}>恢复默认</Button>}
      </Space>
      <div style={{ marginTop: 8 }} data-testid="case-no-preview">
        {parsed.problem ? <Typography.Text type="danger">{parsed.problem}</Typography.Text> : <Typography.Text>今日第一件示例：<Typography.Text code>{preview}</Typography.Text></Typography.Text>}
      </div>
      <Typography.Title level={5} style={{ marginTop: 24 }}>省级数据交换</Typography.Title>
      <Typography.Paragraph type="secondary">
        {overview?.enabled
          ? `受理、子项办结和办结时，办件信息（实施编码、办件编号、脱敏的申请人、日期、状态、部门、结果文书）发送至省平台 ${overview.endpoint ?? ''}，失败自动重试；省平台确认后记下回执编号。`
          : '省级数据交换尚未开通（由平台运维配置省平台地址），办件信息暂不发送。'}
      </Typography.Paragraph>
      <Table<ExchangeRecordView> rowKey="id" dataSource={overview?.records ?? []} size="small" pagination={{ pageSize: 10, hideOnSinglePage: true }}
        locale={{ emptyText: '暂无交换记录' }}
        columns={[
          { title: '办件编号', dataIndex: 'caseNo' },
          { title: '环节', dataIndex: 'event', render: (e: ExchangeRecordView['event']) => EVENTS[e] ?? e },
          { title: '实施编码', dataIndex: 'implCode', render: (c: string | null) => c ?? <Tag color="orange">未设置</Tag> },
          { title: '状态', dataIndex: 'status', render: (st: ExchangeRecordView['status']) => <Tag color={STATUS[st].color}>{STATUS[st].label}</Tag> },
          { title: '回执编号 / 原因', key: 'receipt', render: (_, r) => r.receiptId ?? (r.reason ? `${r.reason}（已尝试 ${r.attempts} 次）` : r.attempts ? `已尝试 ${r.attempts} 次，稍后重试` : '') },
          { title: '时间', dataIndex: 'createdAt', render: (at: string) => formatTime(at) },
          { title: '', key: 'actions', render: (_, r) => (r.status === 'failed' ? <Button size="small" onClick={() => void retry(r.id)}>重发</Button> : null) },
        ]} />
    </div>
  );
}
