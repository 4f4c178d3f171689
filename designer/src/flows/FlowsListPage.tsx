/** `/designer/flows`: the city's flows, and a new one by key. */
import { useState } from 'react';
import { Alert, Button, Input, Space, Table, Tag, Typography } from 'antd';
import { Link, useNavigate } from 'react-router-dom';
import type { DefinitionSummary } from '../api/types';
import { useList } from '../admin/useList';
import { formatTime } from '@lianban/runtime/web';

export function FlowsListPage() {
  const { data, error, loading } = useList<DefinitionSummary>('/admin/flows');
  const [key, setKey] = useState('');
  const navigate = useNavigate();
  const valid = /^[a-z][a-z0-9-]{1,59}$/.test(key);
  return (
    <div>
      <Typography.Title level={3}>流程</Typography.Title>
      <Space style={{ marginBottom: 12 }}>
        <Input placeholder="新流程标识，例如 luan-unemployment" value={key} onChange={(e) => setKey(e.target.value.trim())} style={{ width: 300 }} />
        <Button type="primary" disabled={!valid || data.some((f) => f.key === key)} onClick={() => navigate(`/flows/${key}`)}>新建流程</Button>
      </Space>
      {error && <Alert type="error" showIcon message={error} />}
      <Table<DefinitionSummary> rowKey="key" loading={loading} dataSource={data} pagination={false} columns={[
        { title: '流程名称', dataIndex: 'title', render: (t: string, f) => <Link to={`/flows/${f.key}`}>{t}</Link> },
        { title: '标识', dataIndex: 'key', render: (k: string) => <Typography.Text code>{k}</Typography.Text> },
        { title: '已发布版本', dataIndex: 'version', render: (v: number | null) => (v ? <Tag color="green">第 {v} 版</Tag> : <Tag>未发布</Tag>) },
        { title: '最近修改', dataIndex: 'updatedAt', render: (t: string, f) => `${formatTime(t)} ${f.updatedBy ?? ''}` },
      ]} />
    </div>
  );
}
