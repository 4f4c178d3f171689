/** Department API keys for departments that work in their own systems; a new key is shown once. */
import { useState } from 'react';
import { Alert, Button, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography, message } from 'antd';
import { api, errorText } from '../api/client';
import type { ApiKeyInfo, Department, IssuedKey } from '../api/types';
import { useList } from './useList';
import { formatTime } from '@lianban/runtime/web';

export function ApiKeysTab() {
  const keys = useList<ApiKeyInfo>('/admin/api-keys');
  const departments = useList<Department>('/admin/departments');
  const [creating, setCreating] = useState(false);
  const [issued, setIssued] = useState<IssuedKey | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<{ department: string; name?: string }>();
  const deptName = (k: string) => departments.data.find((d) => d.key === k)?.name ?? k;

  const create = async () => {
    // a refused field shows its own message; nothing to send
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    try {
      setIssued(await api.post<IssuedKey>('/admin/api-keys', v));
      setCreating(false);
      void keys.reload();
    } catch (e) {
      setError(errorText(e));
    }
  };
  const revoke = async (k: ApiKeyInfo) => {
    try {
      await api.post(`/admin/api-keys/${k.id}/revoke`);
      message.success('密钥已吊销');
      void keys.reload();
    } catch (e) {
      message.error(errorText(e));
    }
  };
  return (
    <div>
      <Space style={{ marginBottom: 12 }}>
        <Button type="primary" onClick={() => { setError(null); form.resetFields(); setCreating(true); }}>签发新密钥</Button>
        <Typography.Text type="secondary">部门自有系统用密钥调用接口（拉取待办事项、回传办理结果）。</Typography.Text>
      </Space>
      {keys.error && <Alert type="error" showIcon message={keys.error} />}
      <Table<ApiKeyInfo> rowKey="id" loading={keys.loading} dataSource={keys.data} pagination={false} size="middle" columns={[
        { title: '部门', dataIndex: 'department', render: deptName },
        { title: '用途', dataIndex: 'name' },
        { title: '密钥前缀', dataIndex: 'prefix', render: (p: string) => <Typography.Text code>{p}…</Typography.Text> },
        { title: '签发时间', dataIndex: 'createdAt', render: (t: string) => formatTime(t) },
        { title: '状态', dataIndex: 'revoked', render: (r: boolean) => (r ? <Tag>已吊销</Tag> : <Tag color="green">有效</Tag>) },
        { title: '操作', key: 'actions', render: (_, k) => (k.revoked ? null : (
          <Popconfirm title="吊销后该部门系统立即无法调用接口，确定吊销？" okText="吊销" cancelText="取消" onConfirm={() => void revoke(k)}>
            <Button size="small" danger>吊销</Button>
          </Popconfirm>
        )) },
      ]} />
      <Modal open={creating} title="签发接口密钥" okText="签发" cancelText="取消" onOk={() => void create()} onCancel={() => setCreating(false)} destroyOnHidden>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
        <Form form={form} layout="vertical">
          <Form.Item label="部门" name="department" rules={[{ required: true, message: '请选择部门' }]}>
            <Select aria-label="部门" options={departments.data.map((d) => ({ value: d.key, label: `${d.name}（${d.key}）` }))} />
          </Form.Item>
          <Form.Item label="用途说明" name="name"><Input placeholder="例如：失业保险业务系统" maxLength={60} /></Form.Item>
        </Form>
      </Modal>
      <Modal open={!!issued} title="新密钥已签发" closable={false} maskClosable={false} footer={<Button type="primary" onClick={() => setIssued(null)}>我已妥善保存</Button>}>
        <Alert type="warning" showIcon message="密钥只显示这一次" description="关闭此窗口后无法再次查看。请立即复制并交给该部门系统的管理人员，通过安全渠道保存；如果遗失，请吊销后重新签发。" style={{ marginBottom: 12 }} />
        <Typography.Paragraph copyable={{ text: issued?.key, tooltips: ['复制', '已复制'] }} code data-testid="issued-key" style={{ wordBreak: 'break-all' }}>
          {issued?.key}
        </Typography.Paragraph>
      </Modal>
    </div>
  );
}
