/**
 * 「新建事项」 on `/designer/matters`: a key, a title, an application form and a flow the city
 * already has (drafts are enough); saves the matter's draft (PUT /admin/matters/:key, no linked
 * items yet) and opens it in the matter editor, where linked items are added and it is published.
 */
import { useState } from 'react';
import { Alert, Button, Input, Select, Space } from 'antd';
import { useNavigate } from 'react-router-dom';
import { api, errorText } from '../api/client';
import type { DefinitionSummary } from '../api/types';
import { useList } from '../admin/useList';

export function NewMatter({ taken }: { taken: string[] }) {
  const forms = useList<DefinitionSummary>('/admin/forms');
  const flows = useList<DefinitionSummary>('/admin/flows');
  const navigate = useNavigate();
  const [key, setKey] = useState('');
  const [title, setTitle] = useState('');
  const [form, setForm] = useState<string>();
  const [flow, setFlow] = useState<string>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const valid = /^[a-z][a-z0-9-]{1,59}$/.test(key) && !taken.includes(key) && title.trim() !== '' && !!form && !!flow;
  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.put(`/admin/matters/${key}`, { title: title.trim(), forms: [{ key: form }], flow, linkedItems: [] });
      navigate(`/matters/${key}`);
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };
  return (
    <div style={{ marginBottom: 12 }}>
      <Space wrap>
        <Input aria-label="新事项标识" placeholder="新事项标识，例如 wuhu-retirement" value={key} onChange={(e) => setKey(e.target.value.trim())} style={{ width: 240 }} />
        <Input aria-label="事项名称" placeholder="事项名称" value={title} onChange={(e) => setTitle(e.target.value)} style={{ width: 200 }} maxLength={60} />
        <Select aria-label="申请表" placeholder="申请表" value={form} onChange={setForm} style={{ width: 180 }}
          options={forms.data.map((f) => ({ value: f.key, label: `${f.title}（${f.key}）` }))} />
        <Select aria-label="流程" placeholder="流程" value={flow} onChange={setFlow} style={{ width: 180 }}
          options={flows.data.map((f) => ({ value: f.key, label: `${f.title}（${f.key}）` }))} />
        <Button type="primary" disabled={!valid} loading={busy} onClick={() => void create()}>新建事项</Button>
      </Space>
      {error && <Alert type="error" showIcon message={error} style={{ marginTop: 8 }} />}
    </div>
  );
}
