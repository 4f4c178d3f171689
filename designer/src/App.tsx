import { lazy, Suspense } from 'react';
import { Layout, Menu, Spin, Typography } from 'antd';
import { Route, Routes, useLocation, useNavigate } from 'react-router-dom';

// The flow modeler (bpmn-js, ~1 MB) loads only when a flow is opened: its own chunk.
const FlowModelerPage = lazy(() => import('./modeler/FlowModelerPage').then((m) => ({ default: m.FlowModelerPage })));

/** Sidebar entries: key = first path segment. */
const MENU = [
  { key: 'forms', label: '表单' },
  { key: 'flows', label: '流程', path: '/flows/new' },
  { key: 'matters', label: '事项' },
  { key: 'admin', label: '城市管理' },
];

/** Every designer route, in one table. */
export function App() {
  const navigate = useNavigate();
  const section = useLocation().pathname.split('/')[1] ?? '';
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', background: '#1d4ed8' }}>
        <Typography.Text style={{ color: '#fff', fontSize: 18, fontWeight: 600 }}>联办设计器</Typography.Text>
      </Layout.Header>
      <Layout>
        <Layout.Sider width={200} theme="light">
          <Menu mode="inline" selectedKeys={[section]} items={MENU.map(({ key, label }) => ({ key, label }))}
            onClick={({ key }) => { const path = MENU.find((m) => m.key === key)?.path; if (path) navigate(path); }} />
        </Layout.Sider>
        <Layout.Content style={{ padding: 24 }}>
          <Suspense fallback={<Spin tip="加载中…" />}>
            <Routes>
              <Route path="flows/:key" element={<FlowModelerPage />} />
              <Route path="*" element={<Typography.Title level={2}>设计表单、流程与事项</Typography.Title>} />
            </Routes>
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
