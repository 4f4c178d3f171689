/** The city's accounts: create, roles and departments, disable/enable, reset password. */
import { useEffect, useState } from 'react';
import { Alert, Button, Checkbox, Form, Input, Modal, Select, Space, Table, Tag, message } from 'antd';
import { api, errorText } from '../api/client';
import type { Department, UserAccount } from '../api/types';
import { useList } from './useList';

const ROLE_LABELS: Record<string, string> = { admin: '管理员', staff: '部门工作人员', applicant: '申请人' };
const ROLE_OPTIONS = Object.entries(ROLE_LABELS).map(([value, label]) => ({ value, label }));

type Editing = { mode: 'create' } | { mode: 'edit'; user: UserAccount } | { mode: 'password'; user: UserAccount };

interface UserForm { username: string; displayName?: string; password?: string; roles: string[]; departments?: string[]; lead?: boolean }

export function UsersTab() {
  const users = useList<UserAccount>('/admin/users');
  const departments = useList<Department>('/admin/departments');
  const [editing, setEditing] = useState<Editing | null>(null);
  const [form] = Form.useForm<UserForm>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const deptName = (k: string) => departments.data.find((d) => d.key === k)?.name ?? k;

  const open = (e: Editing) => {
    setError(null);
    setEditing(e);
  };
  // Once the dialog's form is mounted (it is destroyed when hidden): values set before that could be
  // replaced as its fields registered, undoing what was clicked first.
  useEffect(() => {
    if (!editing) return;
    form.resetFields();
    if (editing.mode === 'edit') form.setFieldsValue({ displayName: editing.user.displayName, roles: editing.user.roles, departments: editing.user.departments, lead: editing.user.lead ?? false });
    if (editing.mode === 'create') form.setFieldsValue({ roles: ['staff'], departments: [] });
  }, [editing, form]);
  const save = async () => {
    if (!editing) return;
    // a refused field shows its own message; nothing to send
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setBusy(true);
    try {
      if (editing.mode === 'create') await api.post('/admin/users', { ...v, departments: v.departments ?? [] });
      else if (editing.mode === 'edit') await api.put(`/admin/users/${editing.user.username}`, { displayName: v.displayName ?? '', roles: v.roles, departments: v.departments ?? [], lead: v.lead ?? false });
      else await api.put(`/admin/users/${editing.user.username}`, { password: v.password });
      message.success(editing.mode === 'password' ? '密码已重置，该账户需用新密码重新登录' : '账户已保存');
      setEditing(null);
      void users.reload();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const toggle = async (u: UserAccount) => {
    try {
      await api.put(`/admin/users/${u.username}`, { disabled: !u.disabled });
      message.success(u.disabled ? `已启用 ${u.username}` : `已停用 ${u.username}`);
      void users.reload();
    } catch (e) {
      message.error(errorText(e));
    }
  };

  const unlock = async (u: UserAccount) => {
    try {
      await api.post(`/admin/users/${u.username}/unlock`);
      message.success(`已解除 ${u.username} 的登录限制`);
      void users.reload();
    } catch (e) {
      message.error(errorText(e));
    }
  };

  const title = !editing ? '' : editing.mode === 'create' ? '新建账户' : editing.mode === 'edit' ? `编辑账户：${editing.user.username}` : `重置密码：${editing.user.username}`;
  return (
    <div>
      <Space style={{ marginBottom: 12 }}><Button type="primary" onClick={() => open({ mode: 'create' })}>新建账户</Button></Space>
      {users.error && <Alert type="error" showIcon message={users.error} />}
      <Table<UserAccount> rowKey="username" loading={users.loading} dataSource={users.data} pagination={{ pageSize: 20 }} size="middle" columns={[
        { title: '账户', dataIndex: 'username' },
        { title: '姓名', dataIndex: 'displayName' },
        { title: '角色', dataIndex: 'roles', render: (r: string[]) => r.map((x) => <Tag key={x}>{ROLE_LABELS[x] ?? x}</Tag>) },
        { title: '所属部门', dataIndex: 'departments', render: (d: string[], u) => <>{d.map(deptName).join('、')}{u.lead && <Tag color="gold" style={{ marginLeft: 6 }}>负责人</Tag>}</> },
        { title: '状态', key: 'state', render: (_, u) => (u.disabled ? <Tag color="default">已停用</Tag> : u.locked ? <Tag color="orange">已锁定</Tag> : <Tag color="green">正常</Tag>) },
        { title: '操作', key: 'actions', render: (_, u) => (
          <Space size="small">
            <Button size="small" onClick={() => open({ mode: 'edit', user: u })}>编辑</Button>
            <Button size="small" onClick={() => open({ mode: 'password', user: u })}>重置密码</Button>
            <Button size="small" danger={!u.disabled} onClick={() => void toggle(u)}>{u.disabled ? '启用' : '停用'}</Button>
            {u.locked && <Button size="small" onClick={() => void unlock(u)}>解锁</Button>}
          </Space>
        ) },
      ]} />
      <Modal open={!!editing} title={title} okText="保存" cancelText="取消" onOk={() => void save()} onCancel={() => setEditing(null)} confirmLoading={busy} destroyOnHidden>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
        <Form form={form} layout="vertical">
          {editing?.mode === 'create' && (
            <Form.Item label="账户" name="username" rules={[{ required: true, message: '请输入账户' }, { pattern: /^[a-z0-9][a-z0-9._-]{2,59}$/, message: '小写字母、数字、. _ -，至少 3 位' }]}>
              <Input placeholder="例如：luan.unemployment" />
            </Form.Item>
          )}
          {editing?.mode !== 'password' && (
            <>
              <Form.Item label="姓名" name="displayName"><Input /></Form.Item>
              <Form.Item label="角色" name="roles" rules={[{ required: true, message: '至少选择一个角色' }]}>
                <Checkbox.Group options={ROLE_OPTIONS} />
              </Form.Item>
              <Form.Item label="所属部门" name="departments" extra="部门工作人员在待办中看到这些部门的任务">
                <Select mode="multiple" aria-label="所属部门" options={departments.data.map((d) => ({ value: d.key, label: `${d.name}（${d.key}）` }))} />
              </Form.Item>
              <Form.Item name="lead" valuePropName="checked" extra="办件超过承诺时限时，向所属部门的负责人和本市管理员督办">
                <Checkbox>部门负责人</Checkbox>
              </Form.Item>
            </>
          )}
          {editing?.mode !== 'edit' && (
            <Form.Item label={editing?.mode === 'password' ? '新密码' : '初始密码'} name="password" rules={[{ required: true, message: '请输入密码' }, { min: 10, message: '至少 10 位' }]} extra="至少 10 位，含小写字母、大写字母、数字、符号中的至少三类，且不含账户名">
              <Input.Password autoComplete="new-password" />
            </Form.Item>
          )}
        </Form>
      </Modal>
    </div>
  );
}
