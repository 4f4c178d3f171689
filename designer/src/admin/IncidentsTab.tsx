/** 故障: the steps of the city's running cases that failed (engine incidents), with 「重试」. */
import { useState } from 'react';
import { Alert, App as AntApp, Button, Table, Typography } from 'antd';
import type { CaseIncident, IncidentRetried } from '@lianban/runtime/contract';
import { api, errorText } from '../api/client';
import { useList } from './useList';
import { formatTime } from '@lianban/runtime/web';

const CODE_LABELS: Record<string, string> = {
  'no-path': '网关没有满足条件的出口',
  'condition-error': '条件求值出错',
  'condition-not-boolean': '条件结果不是布尔值',
  'payload-error': '推送内容求值出错',
  'service-failed': '服务任务失败',
};

export function IncidentsTab() {
  const { message } = AntApp.useApp();
  const { data, error, loading, reload } = useList<CaseIncident>('/admin/incidents');
  const [busy, setBusy] = useState<string>();
  const retry = async (i: CaseIncident) => {
    setBusy(i.id);
    try {
      await api.post<IncidentRetried>(`/admin/incidents/${encodeURIComponent(i.id)}/retry`);
      void message.success(`办件 ${i.caseNo ?? ''} 已继续办理`);
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      setBusy(undefined);
      void reload();
    }
  };
  return (
    <div>
      <Typography.Paragraph type="secondary">
        流程运行中失败、停住的环节。排除原因（如数据或流程版本）后点「重试」，该环节重新执行；仍失败时办件保持原状。
      </Typography.Paragraph>
      {error && <Alert type="error" showIcon message={error} />}
      <Table<CaseIncident> rowKey="id" loading={loading} dataSource={data} pagination={{ pageSize: 20, hideOnSinglePage: true }} size="middle"
        locale={{ emptyText: '暂无故障' }}
        columns={[
          { title: '办件编号', dataIndex: 'caseNo' },
          { title: '事项', dataIndex: 'matterTitle' },
          { title: '环节', dataIndex: 'elementId', render: (el: string) => <Typography.Text code>{el}</Typography.Text> },
          { title: '故障', dataIndex: 'code', render: (code: string, i) => <span title={i.message}>{CODE_LABELS[code] ?? code}</span> },
          { title: '说明', dataIndex: 'message', ellipsis: true },
          { title: '时间', dataIndex: 'at', render: (at: string) => formatTime(at) },
          { title: '操作', key: 'actions', render: (_, i) => <Button size="small" loading={busy === i.id} onClick={() => void retry(i)}>重试</Button> },
        ]} />
    </div>
  );
}
