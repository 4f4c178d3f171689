import { lazy, Suspense, type ReactNode } from 'react';
import { Button, Layout, Menu, Spin, Typography } from 'antd';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { api, BASENAME, redirectToSignIn, signedInHint } from './api/client';
import { RequireAdmin } from './auth/session';
import { SignInPage } from './auth/SignInPage';
import { CityAdminPage } from './admin/CityAdminPage';
import { FlowPage } from './flows/FlowPage';
import { FlowsListPage } from './flows/FlowsListPage';
import { FormsListPage } from './forms/FormsListPage';
import { MattersListPage } from './matters/MattersListPage';
import { DocumentTemplatesPage } from './documents/DocumentTemplatesPage';
import { CitiesPage } from './platform/CitiesPage';
import { CalendarPage } from './platform/CalendarPage';
import { TemplatesPage } from './platform/TemplatesPage';
import { CalendarNotice } from './platform/calendar-notice';
import './designer.css';

// Pages with heavy editors load on demand: the form designer, and the matter editor (bpmn-js).
const FormDesignerPage = lazy(() => import('./forms/FormDesignerPage').then((m) => ({ default: m.FormDesignerPage })));
const MatterEditorPage = lazy(() => import('./matters/MatterEditorPage').then((m) => ({ default: m.MatterEditorPage })));

/** Sidebar entries: key = first path segment. */
const MENU = [
  { key: 'forms', label: '表单' },
  { key: 'flows', label: '流程' },
  { key: 'matters', label: '事项' },
  { key: 'documents', label: '文书模板' },
  { key: 'admin', label: '城市管理' },
];

async function signOut() {
  await api.post('/auth/logout', {}, { quiet401: true }).catch(() => undefined);
  signedInHint.clear();
  window.location.assign(`${BASENAME}/signin`);
}

function Shell({ children }: { children: ReactNode }) {
  const navigate = useNavigate();
  const section = useLocation().pathname.split('/')[1] ?? '';
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', background: '#1d4ed8' }}>
        <Typography.Text style={{ color: '#fff', fontSize: 18, fontWeight: 600 }}>联办设计器</Typography.Text>
        {/* the practice canvas opens signed out: offer to sign in there, not to sign out */}
        {signedInHint.get()
          ? <Button type="text" style={{ color: '#fff' }} onClick={() => void signOut()}>退出登录</Button>
          : <Button type="text" style={{ color: '#fff' }} onClick={redirectToSignIn}>登录</Button>}
      </Layout.Header>
      <Layout>
        <Layout.Sider width={168} theme="light">
          <Menu mode="inline" selectedKeys={[section]} items={MENU.map(({ key, label }) => ({ key, label }))}
            onClick={({ key }) => navigate(`/${key}`)} />
        </Layout.Sider>
        <Layout.Content style={{ padding: 20, minWidth: 0 }}>
          <Suspense fallback={<Spin tip="加载中…" />}>{children}</Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}

const admin = (page: ReactNode) => <Shell><RequireAdmin><CalendarNotice />{page}</RequireAdmin></Shell>;

/** Every designer route, in one table. */
export function App() {
  return (
    <Routes>
      <Route path="signin" element={<SignInPage />} />
      {/* The flow page also works signed out, as a sandbox with demo data (modeler/data.ts). */}
      <Route path="flows/:key" element={<Shell><FlowPage /></Shell>} />
      <Route path="flows" element={admin(<FlowsListPage />)} />
      <Route path="forms" element={admin(<FormsListPage />)} />
      <Route path="forms/:key" element={admin(<FormDesignerPage />)} />
      <Route path="matters" element={admin(<MattersListPage />)} />
      <Route path="matters/:key" element={admin(<MatterEditorPage />)} />
      <Route path="documents/:kind?" element={admin(<DocumentTemplatesPage />)} />
      <Route path="admin" element={admin(<CityAdminPage />)} />
      {/* the platform operator's home: the province's cities */}
      <Route path="cities" element={<RequireAdmin role="operator"><CitiesPage /></RequireAdmin>} />
      {/* the operator's 节假日安排: the province's working-day calendar */}
      <Route path="calendar" element={<RequireAdmin role="operator"><CalendarPage /></RequireAdmin>} />
      {/* the operator's 省级模板: provincial templates made from a city's matter, published */}
      <Route path="templates" element={<RequireAdmin role="operator"><TemplatesPage /></RequireAdmin>} />
      <Route path="*" element={admin(<Navigate to="/matters" replace />)} />
    </Routes>
  );
}
