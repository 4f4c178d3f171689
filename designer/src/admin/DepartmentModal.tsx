/**
 * Create or edit a department (POST / PUT /admin/departments). Used by the city administration
 * page and inline by the "添加关联事项" wizard.
 */
import { useEffect, useState } from 'react';
import { Alert, Form, Input, Modal, Radio } from 'antd';
import { api, errorText } from '../api/client';
import type { Department } from '../api/types';
import { suggestKey } from '../matters/model/keys';

export const MODE_LABELS = { tasklist: '在联办待办中办理', system: '在本部门自有系统中办理（接口对接）' } as const;

interface Props {
  open: boolean;
  /** The department to edit; none to create one. */
  editing?: Department;
  /** Prefills the name of a new department. */
  initialName?: string;
  onClose(): void;
  onSaved(department: Department): void;
}

export function DepartmentModal({ open, editing, initialName, onClose, onSaved }: Props) {
  const [form] = Form.useForm<Department>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [keyTouched, setKeyTouched] = useState(false);
  useEffect(() => {
    if (!open) return;
    setError(null);
    setKeyTouched(false);
    form.setFieldsValue(editing ?? { name: initialName ?? '', key: initialName ? suggestKey(initialName) : '', mode: 'tasklist' });
  }, [open, editing, initialName, form]);

  const save = async () => {
    // a refused field shows its own message; nothing to send
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setBusy(true);
    try {
      const saved = editing
        ? await api.put<Department>(`/admin/departments/${editing.key}`, { name: values.name, mode: values.mode })
        : await api.post<Department>('/admin/departments', values);
      onSaved(saved);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open={open} title={editing ? `编辑部门：${editing.name}` : '新建部门'} okText="保存" cancelText="取消"
      onOk={() => void save()} onCancel={onClose} confirmLoading={busy} destroyOnHidden>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" onValuesChange={(changed: Partial<Department>) => {
        if (!editing && changed.name !== undefined && !keyTouched) form.setFieldValue('key', suggestKey(changed.name));
      }}>
        <Form.Item label="部门名称" name="name" rules={[{ required: true, message: '请输入部门名称' }, { max: 60 }]}>
          <Input placeholder="例如：失业保险" />
        </Form.Item>
        <Form.Item label="部门标识" name="key" extra="流程按此标识把任务派给部门；小写字母、数字和连字符，创建后不能修改。"
          rules={[{ required: true, message: '请输入部门标识' }, { pattern: /^[a-z][a-z0-9-]{1,39}$/, message: '小写字母开头，只含小写字母、数字和 -（2–40 位）' }]}>
          <Input disabled={!!editing} placeholder="例如：unemployment" onChange={() => setKeyTouched(true)} />
        </Form.Item>
        <Form.Item label="办理方式" name="mode">
          <Radio.Group options={(['tasklist', 'system'] as const).map((m) => ({ value: m, label: MODE_LABELS[m] }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
