/**
 * `/designer/flows/:key`: the colleague's modeler page (../modeler) under a save bar. Saving
 * reads the diagram through the page's documented `window.__lianbanModeler` and stores it as
 * the flow's draft (PUT /admin/flows/:key); it is published with its matter.
 * Signed out, the page is a sandbox with demo data (see modeler/data.ts) and cannot save.
 */
import { lazy, useState } from 'react';
import { Alert, Button, Space, Typography, message } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { api, errorText, redirectToSignIn } from '../api/client';
import type { FlowDoc } from '../api/types';
import { useOptionalMe } from '../auth/session';

// bpmn-js (~1 MB) loads only with a flow: its own chunk.
const FlowModelerPage = lazy(() => import('../modeler/FlowModelerPage').then((m) => ({ default: m.FlowModelerPage })));

export function FlowPage() {
  const { key = 'flow' } = useParams();
  const me = useOptionalMe();
  const [busy, setBusy] = useState(false);
  const save = async () => {
    const modeler = window.__lianbanModeler;
    if (!modeler) return;
    setBusy(true);
    try {
      const title = await api.get<FlowDoc>(`/admin/flows/${key}`, { quiet401: true }).then((f) => f.title, () => key);
      await api.put(`/admin/flows/${key}`, { title, xml: await modeler.getXML() });
      message.success('流程草稿已保存（随事项一起发布）');
    } catch (e) {
      message.error(`保存失败：${errorText(e)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      <Space style={{ marginBottom: 8 }}>
        <Link to="/flows">← 全部流程</Link>
        {me && <Button type="primary" size="small" loading={busy} onClick={() => void save()}>保存草稿</Button>}
        {me === null && (
          <Alert type="info" showIcon banner message={<>未登录：这是使用示例数据的练习画布，不能保存。<Typography.Link onClick={redirectToSignIn}>登录</Typography.Link></>} />
        )}
      </Space>
      <FlowModelerPage />
    </div>
  );
}
