/**
 * 短信: the city's SMS templates — per kind the provider's template code and its parameters
 * (only 办件编号, 链接 and 事项名称: nothing personal) — and the messages that failed or were
 * dropped, with why.
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, Input, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import type { SmsMessageView, SmsTemplateInput, SmsTemplateSettings } from '@lianban/runtime/contract';
import { api, errorText } from '../api/client';
import { useList } from './useList';
import { formatTime } from '@lianban/runtime/web';

type Row = SmsTemplateSettings['templates'][number];

const PARAM_LABELS: Record<string, string> = { caseNo: '办件编号 caseNo', link: '链接 link', matter: '事项名称 matter' };
const PROVIDER_LABELS: Record<string, string> = { log: '演示（只写日志，不发送）', aliyun: '阿里云短信', tencent: '腾讯云短信' };
const STATUS: Record<SmsMessageView['status'], { label: string; color: string }> = {
  pending: { label: '待发送', color: 'blue' }, sending: { label: '发送中', color: 'blue' }, sent: { label: '已发送', color: 'green' },
  failed: { label: '发送失败', color: 'red' }, dropped: { label: '未发送', color: 'orange' },
};
const REASONS: Record<string, string> = {
  'rate-limited-daily': '超过该号码每日条数上限', 'no-phone': '账户没有手机号', 'no-template': '该类短信未设置模板编号', 'template-disabled': '该类短信已停用',
};

export function SmsTab() {
  const { message } = AntApp.useApp();
  const [settings, setSettings] = useState<SmsTemplateSettings>();
  const [rows, setRows] = useState<Row[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const failed = useList<SmsMessageView>('/admin/sms/messages?status=failed');
  const dropped = useList<SmsMessageView>('/admin/sms/messages?status=dropped');
  const load = useCallback(async () => {
    try {
      const s = await api.get<SmsTemplateSettings>('/admin/sms/templates');
      setSettings(s);
      setRows(s.templates);
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  }, []);
  useEffect(() => { void load(); }, [load]);
  const change = (kind: string, patch: Partial<Row>) => setRows((rs) => rs.map((r) => (r.kind === kind ? { ...r, ...patch } : r)));
  const save = async () => {
    setSaving(true);
    try {
      const templates: SmsTemplateInput[] = rows.map((r) => ({ kind: r.kind, code: r.code.trim(), params: r.params, enabled: r.enabled }));
      const s = await api.put<SmsTemplateSettings>('/admin/sms/templates', { templates });
      setSettings(s);
      setRows(s.templates);
      void message.success('短信模板已保存');
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      setSaving(false);
    }
  };
  const problems = [...failed.data, ...dropped.data].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, 100);
  return (
    <div>
      <Typography.Paragraph type="secondary">
        短信服务：{PROVIDER_LABELS[settings?.provider ?? 'log'] ?? settings?.provider}。每类短信填写在短信服务商处审核通过的模板编号和参数（按模板中的顺序）。
        短信只能带办件编号、链接和事项名称，不含姓名、身份证号等个人信息；模板编号留空则该类短信不发送（站内通知照常）。
      </Typography.Paragraph>
      {error && <Alert type="error" showIcon message={error} />}
      <Table<Row> rowKey="kind" dataSource={rows} pagination={false} size="middle"
        columns={[
          { title: '短信类型', dataIndex: 'label', width: 140 },
          { title: '模板编号', dataIndex: 'code', width: 200, render: (code: string, r) => <Input aria-label={`${r.label}模板编号`} value={code} placeholder="如 SMS_123456789" maxLength={40} onChange={(e) => change(r.kind, { code: e.target.value })} /> },
          {
            title: '参数', dataIndex: 'params', width: 320, render: (params: string[], r) => (
              <Select mode="multiple" aria-label={`${r.label}参数`} style={{ width: '100%' }} value={params} onChange={(v: string[]) => change(r.kind, { params: v })}
                options={(settings?.allowedParams ?? []).map((p) => ({ value: p, label: PARAM_LABELS[p] ?? p }))} />
            ),
          },
          { title: '启用', dataIndex: 'enabled', width: 70, render: (on: boolean, r) => <Switch aria-label={`${r.label}启用`} checked={on} onChange={(v) => change(r.kind, { enabled: v })} /> },
          { title: '建议报备的模板内容', dataIndex: 'suggestedText', render: (t: string) => <Typography.Text type="secondary">{t}</Typography.Text> },
        ]} />
      <Space style={{ marginTop: 12 }}>
        <Button type="primary" loading={saving} onClick={() => void save()}>保存短信模板</Button>
        {settings?.updatedAt && <Typography.Text type="secondary">上次修改：{settings.updatedBy}，{formatTime(settings.updatedAt)}</Typography.Text>}
      </Space>
      <Typography.Title level={5} style={{ marginTop: 24 }}>发送失败或未发送的短信</Typography.Title>
      {(failed.error || dropped.error) && <Alert type="error" showIcon message={failed.error ?? dropped.error} />}
      <Table<SmsMessageView> rowKey="id" loading={failed.loading || dropped.loading} dataSource={problems} size="small" pagination={{ pageSize: 10, hideOnSinglePage: true }}
        locale={{ emptyText: '没有发送失败的短信' }}
        columns={[
          { title: '办件编号', dataIndex: 'caseNo' },
          { title: '类型', dataIndex: 'kind', render: (k: string) => rows.find((r) => r.kind === k)?.label ?? k },
          { title: '手机号', dataIndex: 'phone' },
          { title: '状态', dataIndex: 'status', render: (st: SmsMessageView['status']) => <Tag color={STATUS[st].color}>{STATUS[st].label}</Tag> },
          { title: '原因', dataIndex: 'reason', render: (r: string | null, m) => (r ? REASONS[r] ?? `服务商返回 ${r}` : '') + (m.attempts ? `（已尝试 ${m.attempts} 次）` : '') },
          { title: '时间', dataIndex: 'createdAt', render: (at: string) => formatTime(at) },
        ]} />
    </div>
  );
}
