/**
 * `/designer/cities` — the platform operator's home (城市管理): every city with its counts
 * (`GET /platform/cities`), 「新建城市」 (`POST /platform/cities`): key, name, province and
 * optionally a city to copy departments and matters from. The new administrator's one-time
 * password is shown once, with a copy button; it must be changed at the first sign-in.
 * 「重置管理员密码」 gives a locked-out city administrator a new one-time password the same way.
 * The header leads to the operator's other page, 节假日安排 (CalendarPage).
 */
import { useState } from 'react';
import { Alert, Button, Form, Input, Layout, Modal, Popconfirm, Select, Space, Table, Typography, message } from 'antd';
import { api, errorText } from '../api/client';
import type { CityAdminPassword, CityCreated, CityInput, CitySummary } from '../api/types';
import { useList } from '../admin/useList';
import { OperatorHeader } from './OperatorHeader';

export function CitiesPage() {
  const cities = useList<CitySummary>('/platform/cities');
  const [creating, setCreating] = useState(false);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<CityCreated | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<CityInput>();
  const [reset, setReset] = useState<(CityAdminPassword & { city: string }) | null>(null);

  const resetAdmin = async (c: CitySummary) => {
    try {
      setReset({ ...(await api.post<CityAdminPassword>(`/platform/cities/${c.key}/admin-password`, {})), city: c.name });
    } catch (e) {
      void message.error(errorText(e));
    }
  };

  const create = async () => {
    // a refused field shows its own message; nothing to send
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setBusy(true);
    setError(null);
    try {
      const body: CityInput = { key: v.key.trim(), name: v.name.trim(), province: v.province.trim(), ...(v.copyFrom ? { copyFrom: v.copyFrom } : {}) };
      setCreated(await api.post<CityCreated>('/platform/cities', body));
      setCreating(false);
      void cities.reload();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <OperatorHeader current="/cities" />
      <Layout.Content style={{ padding: 24 }}>
        <Typography.Title level={3}>城市管理</Typography.Title>
        <Space style={{ marginBottom: 12 }}>
          <Button type="primary" onClick={() => { setError(null); form.resetFields(); setCreating(true); }}>新建城市</Button>
          <Typography.Text type="secondary">新城市的管理员账户为「城市标识.admin」，一次性密码只显示一次，首次登录须修改。</Typography.Text>
        </Space>
        {cities.error && <Alert type="error" showIcon message={cities.error} style={{ marginBottom: 12 }} />}
        <Table<CitySummary> rowKey="key" loading={cities.loading} dataSource={cities.data} pagination={false} size="middle" columns={[
          { title: '城市', dataIndex: 'name' },
          { title: '标识', dataIndex: 'key', render: (k: string) => <Typography.Text code>{k}</Typography.Text> },
          { title: '省份', dataIndex: 'province', render: (p: string) => p || '—' },
          { title: '办件编号前缀', dataIndex: 'casePrefix' },
          { title: '部门', key: 'departments', align: 'right', render: (_, c) => c.counts.departments },
          { title: '账户', key: 'users', align: 'right', render: (_, c) => c.counts.users },
          { title: '已发布事项', key: 'matters', align: 'right', render: (_, c) => c.counts.matters },
          { title: '办件', key: 'cases', align: 'right', render: (_, c) => c.counts.cases },
          { title: '操作', key: 'actions', render: (_, c) => (
            <Popconfirm title={`重置「${c.name}」管理员密码？`} description="原密码立即失效、其登录会话结束；新的一次性密码只显示一次。"
              okText="重置" cancelText="取消" onConfirm={() => resetAdmin(c)}>
              <Button size="small">重置管理员密码</Button>
            </Popconfirm>
          ) },
        ]} />
      </Layout.Content>

      <Modal open={creating} title="新建城市" okText="创建" cancelText="取消" confirmLoading={busy} onOk={() => void create()} onCancel={() => setCreating(false)} destroyOnHidden>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
        <Form form={form} layout="vertical" requiredMark={false}>
          <Form.Item label="城市标识" name="key" extra="2–30 个小写拉丁字母，如 wuhu；用于账户名（wuhu.admin），创建后不能修改" rules={[
            { required: true, message: '请输入城市标识' },
            { pattern: /^[a-z]{2,30}$/, message: '只能是 2–30 个小写拉丁字母' },
          ]}>
            <Input placeholder="wuhu" maxLength={30} />
          </Form.Item>
          <Form.Item label="城市名称" name="name" rules={[{ required: true, whitespace: true, message: '请输入城市名称' }]}>
            <Input placeholder="芜湖市" maxLength={40} />
          </Form.Item>
          <Form.Item label="所属省份" name="province" rules={[{ required: true, whitespace: true, message: '请输入所属省份' }]}>
            <Input placeholder="安徽省" maxLength={40} />
          </Form.Item>
          <Form.Item label="复制自" name="copyFrom" extra="复制该城市的部门和已发布事项（表单、流程、事项，作为新城市自己的第 1 版发布）；不复制办件、账户和接口密钥">
            <Select aria-label="复制自" allowClear placeholder="不复制（空白城市）"
              options={cities.data.map((c) => ({ value: c.key, label: `${c.name}（${c.key}）` }))} />
          </Form.Item>
        </Form>
      </Modal>

      <Modal open={!!created} title={`已创建 ${created?.city.name ?? ''}`} closable={false} maskClosable={false} destroyOnHidden
        footer={<Button type="primary" onClick={() => setCreated(null)}>我已妥善保存</Button>}>
        <Alert type="warning" showIcon message="一次性密码只显示这一次" style={{ marginBottom: 12 }}
          description="关闭此窗口后无法再次查看。请通过安全渠道交给该市管理员；首次登录时须设置新密码。" />
        <Typography.Paragraph>管理员账户：<Typography.Text code data-testid="new-city-admin">{created?.admin.username}</Typography.Text></Typography.Paragraph>
        <Typography.Paragraph>一次性密码：</Typography.Paragraph>
        <Typography.Paragraph copyable={{ text: created?.admin.password, tooltips: ['复制', '已复制'] }} code data-testid="one-time-password" style={{ wordBreak: 'break-all' }}>
          {created?.admin.password}
        </Typography.Paragraph>
        {created && created.matters.length > 0 && (
          <Typography.Paragraph type="secondary">已复制并发布事项：{created.matters.join('、')}</Typography.Paragraph>
        )}
      </Modal>
      <Modal open={!!reset} title={`已重置 ${reset?.city ?? ''} 管理员密码`} closable={false} maskClosable={false} destroyOnHidden
        footer={<Button type="primary" onClick={() => setReset(null)}>我已妥善保存</Button>}>
        <Alert type="warning" showIcon message="一次性密码只显示这一次" style={{ marginBottom: 12 }}
          description="请通过安全渠道交给该市管理员；登录时须设置新密码。账户的锁定已解除。" />
        <Typography.Paragraph>管理员账户：<Typography.Text code>{reset?.username}</Typography.Text></Typography.Paragraph>
        <Typography.Paragraph copyable={{ text: reset?.password, tooltips: ['复制', '已复制'] }} code data-testid="reset-password" style={{ wordBreak: 'break-all' }}>
          {reset?.password}
        </Typography.Paragraph>
      </Modal>
    </Layout>
  );
}
