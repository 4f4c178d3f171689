/**
 * 「从省级模板新建」 on `/designer/matters` (docs/templates.md): the province's published templates;
 * deriving one saves its forms, flow and matter as the city's drafts (POST /admin/templates/:key/derive)
 * and opens the matter editor. Nothing shows when the province has published none.
 */
import { useState } from 'react';
import { Alert, Button, Select, Space, Typography } from 'antd';
import { useNavigate } from 'react-router-dom';
import type { TemplateDerived, TemplateSummary } from '@lianban/runtime/contract';
import { api, errorText } from '../api/client';
import { useList } from '../admin/useList';

export function DeriveFromTemplate({ taken }: { taken: string[] }) {
  const templates = useList<TemplateSummary>('/admin/templates');
  const navigate = useNavigate();
  const [chosen, setChosen] = useState<string>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const available = templates.data.filter((t) => !taken.includes(t.key));
  if (!templates.data.length) return null;
  const derive = async () => {
    if (!chosen) return;
    setBusy(true); setError(null);
    try {
      const r = await api.post<TemplateDerived>(`/admin/templates/${chosen}/derive`, {});
      navigate(`/matters/${r.matter}`);
    } catch (e) { setError(errorText(e)); setBusy(false); }
  };
  return (
    <div style={{ marginBottom: 12 }}>
      <Space wrap>
        <Typography.Text>从省级模板新建</Typography.Text>
        <Select aria-label="省级模板" placeholder={available.length ? '选择省级模板' : '本市已使用全部省级模板'} value={chosen} onChange={setChosen} style={{ width: 360 }}
          options={available.map((t) => ({ value: t.key, label: `${t.title}（${t.key}，第 ${t.version} 版）` }))} />
        <Button disabled={!chosen} loading={busy} onClick={() => void derive()}>派生本市事项</Button>
      </Space>
      {error && <Alert type="error" showIcon message={error} style={{ marginTop: 8 }} />}
    </div>
  );
}
