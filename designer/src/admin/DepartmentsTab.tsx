/** The departments of the city: name, key, and whether they work in our tasklist or their own system. */
import { useState } from 'react';
import { Alert, Button, Space, Table, Tag, Typography } from 'antd';
import type { Department } from '../api/types';
import { DepartmentModal, MODE_LABELS } from './DepartmentModal';
import { useList } from './useList';

export function DepartmentsTab() {
  const { data, error, loading, reload } = useList<Department>('/admin/departments');
  const [modal, setModal] = useState<{ editing?: Department } | null>(null);
  return (
    <div>
      <Space style={{ marginBottom: 12 }}>
        <Button type="primary" onClick={() => setModal({})}>新建部门</Button>
        <Typography.Text type="secondary">流程中的“办理部门”从这里选择；部门在自有系统中办理时，请在“接口密钥”中为它签发密钥。</Typography.Text>
      </Space>
      {error && <Alert type="error" showIcon message={error} />}
      <Table<Department> rowKey="key" loading={loading} dataSource={data} pagination={false} size="middle" columns={[
        { title: '部门名称', dataIndex: 'name' },
        { title: '部门标识', dataIndex: 'key', render: (k: string) => <Typography.Text code>{k}</Typography.Text> },
        { title: '办理方式', dataIndex: 'mode', render: (m: Department['mode']) => <Tag color={m === 'system' ? 'purple' : 'blue'}>{MODE_LABELS[m] ?? m}</Tag> },
        { title: '操作', key: 'actions', render: (_, d) => <Button size="small" onClick={() => setModal({ editing: d })}>编辑</Button> },
      ]} />
      <DepartmentModal open={!!modal} editing={modal?.editing} onClose={() => setModal(null)}
        onSaved={() => { setModal(null); void reload(); }} />
    </div>
  );
}
