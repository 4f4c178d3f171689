/** The platform operator's header: the province's pages (城市管理, 节假日安排, 省级模板) and 退出登录. */
import { useNavigate } from 'react-router-dom';
import { Button, Layout, Space, Typography } from 'antd';
import { api, BASENAME, signedInHint } from '../api/client';

const PAGES = [
  { path: '/cities', title: '城市管理' },
  { path: '/calendar', title: '节假日安排' },
  { path: '/templates', title: '省级模板' },
] as const;

export type OperatorPage = (typeof PAGES)[number]['path'];

async function signOut() {
  await api.post('/auth/logout', {}, { quiet401: true }).catch(() => undefined);
  signedInHint.clear();
  window.location.assign(`${BASENAME}/signin`);
}

export function OperatorHeader({ current }: { current: OperatorPage }) {
  const navigate = useNavigate();
  return (
    <Layout.Header style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', background: '#1d4ed8' }}>
      <Space size="large">
        <Typography.Text style={{ color: '#fff', fontSize: 18, fontWeight: 600 }}>联办 · 省级平台</Typography.Text>
        {PAGES.map((p) => (p.path === current
          ? <Button key={p.path} type="text" style={{ color: '#fff', fontWeight: 600 }} aria-current="page">{p.title}</Button>
          : <Button key={p.path} type="text" style={{ color: '#fff' }} onClick={() => navigate(p.path)}>{p.title}</Button>))}
      </Space>
      <Button type="text" style={{ color: '#fff' }} onClick={() => void signOut()}>退出登录</Button>
    </Layout.Header>
  );
}
