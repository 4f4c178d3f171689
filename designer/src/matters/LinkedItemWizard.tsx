/**
 * The "添加关联事项" wizard: name → key (suggested) → department (pick, or create inline) →
 * materials (必需 / 依申请). On finish it hands the new item to the matter editor, which adds
 * the opt-in field to the forms and the branch to the flow (see ./model).
 */
import { useEffect, useState } from 'react';
import { Alert, Button, Form, Input, Modal, Radio, Select, Space, Steps, Typography } from 'antd';
import type { Department, Material, MatterDraft } from '../api/types';
import { DepartmentModal } from '../admin/DepartmentModal';
import { suggestKey } from './model/keys';
import { itemKeyProblem, type NewLinkedItem } from './model/linked-item';

interface Props {
  open: boolean;
  draft: MatterDraft;
  departments: Department[];
  onDepartmentCreated(d: Department): void;
  onCancel(): void;
  /** Applies the item; rejects with a Chinese message to show in the wizard. */
  onFinish(item: NewLinkedItem): Promise<void>;
}

const STEPS = ['事项名称', '办理部门', '所需材料', '确认'];

export function LinkedItemWizard({ open, draft, departments, onDepartmentCreated, onCancel, onFinish }: Props) {
  const [step, setStep] = useState(0);
  const [title, setTitle] = useState('');
  const [key, setKey] = useState('');
  const [keyTouched, setKeyTouched] = useState(false);
  const [description, setDescription] = useState('');
  const [department, setDepartment] = useState<string | undefined>();
  const [materials, setMaterials] = useState<Material[]>([]);
  const [creatingDept, setCreatingDept] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!open) return;
    setStep(0); setTitle(''); setKey(''); setKeyTouched(false); setDescription('');
    setDepartment(undefined); setMaterials([]); setError(null); setBusy(false);
  }, [open]);

  const stepProblem = (): string | null => {
    if (step === 0) {
      if (!title.trim()) return '请输入关联事项名称';
      return itemKeyProblem(key, draft);
    }
    if (step === 1 && !department) return '请选择办理部门，或新建一个部门';
    if (step === 2 && materials.some((m) => !m.name.trim())) return '请填写每项材料的名称，或删除空行';
    return null;
  };
  const next = async () => {
    const problem = stepProblem();
    setError(problem);
    if (problem) return;
    if (step < STEPS.length - 1) { setStep(step + 1); return; }
    setBusy(true);
    try {
      await onFinish({ key, title: title.trim(), department: department!, materials: materials.map((m) => ({ ...m, name: m.name.trim() })), ...(description.trim() ? { description: description.trim() } : {}) });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const deptName = departments.find((d) => d.key === department)?.name;
  const setMaterial = (i: number, patch: Partial<Material>) => setMaterials(materials.map((m, j) => (j === i ? { ...m, ...patch } : m)));

  return (
    <Modal open={open} title="添加关联事项" width={720} onCancel={onCancel} destroyOnHidden maskClosable={false}
      footer={(
        <Space>
          <Button onClick={onCancel}>取消</Button>
          {step > 0 && <Button onClick={() => { setError(null); setStep(step - 1); }}>上一步</Button>}
          <Button type="primary" loading={busy} onClick={() => void next()}>{step === STEPS.length - 1 ? '添加到事项' : '下一步'}</Button>
        </Space>
      )}>
      <Steps size="small" current={step} items={STEPS.map((t) => ({ title: t }))} style={{ marginBottom: 24 }} />
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      {step === 0 && (
        <Form layout="vertical">
          <Form.Item label="关联事项名称" required extra="申请人在申请表中看到的事项名称，例如：失业保险金停发">
            <Input aria-label="关联事项名称" value={title} autoFocus onChange={(e) => { setTitle(e.target.value); if (!keyTouched) setKey(suggestKey(e.target.value)); }} />
          </Form.Item>
          <Form.Item label="事项标识" required extra="表单、流程和事项用同一个标识关联；已按名称给出建议，可修改（小写字母、数字和 -）">
            <Input aria-label="事项标识" value={key} onChange={(e) => { setKey(e.target.value); setKeyTouched(true); }} placeholder="例如：unemployment-benefit-stop" />
          </Form.Item>
          <Form.Item label="说明（可选）"><Input.TextArea aria-label="说明" rows={2} value={description} onChange={(e) => setDescription(e.target.value)} /></Form.Item>
        </Form>
      )}
      {step === 1 && (
        <Form layout="vertical">
          <Form.Item label="办理部门" required extra="勾选此事项的办件，在退休审批通过后派给该部门办理">
            <Space.Compact style={{ width: '100%' }}>
              <Select aria-label="办理部门" style={{ flex: 1 }} value={department} onChange={setDepartment} placeholder="选择部门" showSearch optionFilterProp="label"
                options={departments.map((d) => ({ value: d.key, label: `${d.name}（${d.key}）` }))} />
              <Button onClick={() => setCreatingDept(true)}>新建部门</Button>
            </Space.Compact>
          </Form.Item>
        </Form>
      )}
      {step === 2 && (
        <div>
          <Typography.Paragraph type="secondary">申请人勾选此事项后需要提交的材料。没有材料可直接下一步（申请表中显示“无需材料”）。</Typography.Paragraph>
          {materials.map((m, i) => (
            <Space key={i} style={{ display: 'flex', marginBottom: 8 }} align="center">
              <Input aria-label={`材料${i + 1}名称`} style={{ width: 380 }} value={m.name} placeholder="材料名称" onChange={(e) => setMaterial(i, { name: e.target.value })} />
              <Radio.Group value={m.kind} onChange={(e) => setMaterial(i, { kind: e.target.value as Material['kind'] })}
                options={[{ value: 'required', label: '必需提供' }, { value: 'on-request', label: '依申请提供' }]} />
              <Button type="link" danger onClick={() => setMaterials(materials.filter((_, j) => j !== i))}>删除</Button>
            </Space>
          ))}
          <Button type="dashed" onClick={() => setMaterials([...materials, { name: '', kind: 'required' }])}>添加材料</Button>
        </div>
      )}
      {step === 3 && (
        <div data-testid="wizard-summary">
          <Typography.Paragraph>将为「{title}」（<Typography.Text code>{key}</Typography.Text>）做以下修改，完成后保存为草稿，发布前可继续调整：</Typography.Paragraph>
          <ol>
            <li>事项：新增关联事项，办理部门 {deptName}（{department}），材料 {materials.length ? materials.map((m) => `${m.name}（${m.kind === 'required' ? '必需' : '依申请'}）`).join('、') : '无'}。</li>
            <li>申请表：在“服务事项”中新增“{title}”一栏和“需要办理 是/否”勾选字段{materials.length ? '及材料上传' : ''}。</li>
            <li>流程：在按勾选并行办理的分支中新增“{title}”环节，派给 {deptName}，条件为勾选了该事项；部门可办结或认定“不符合条件”（转为单独事项）。</li>
          </ol>
        </div>
      )}
      <DepartmentModal open={creatingDept} initialName={undefined} onClose={() => setCreatingDept(false)}
        onSaved={(d) => { setCreatingDept(false); onDepartmentCreated(d); setDepartment(d.key); }} />
    </Modal>
  );
}
