import { Layout, Menu, Typography } from 'antd';
import { Route, Routes } from 'react-router-dom';

/** Every designer route, in one table. */
export function App() {
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', background: '#1d4ed8' }}>
        <Typography.Text style={{ color: '#fff', fontSize: 18, fontWeight: 600 }}>联办设计器</Typography.Text>
      </Layout.Header>
      <Layout>
        <Layout.Sider width={200} theme="light">
          <Menu mode="inline" items={[
            { key: 'forms', label: '表单' },
            { key: 'flows', label: '流程' },
            { key: 'matters', label: '事项' },
            { key: 'admin', label: '城市管理' },
          ]} />
        </Layout.Sider>
        <Layout.Content style={{ padding: 24 }}>
          <Routes>
            <Route path="*" element={<Typography.Title level={2}>设计表单、流程与事项</Typography.Title>} />
          </Routes>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
