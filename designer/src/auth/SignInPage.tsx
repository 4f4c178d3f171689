/** `/designer/signin`: the administrators' sign-in (POST /auth/login), then back to `next`. */
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { OidcSignIn } from '@lianban/runtime/web';
import { api, BASENAME, errorText, signedInHint } from '../api/client';
import type { LoginAnswer } from '../api/types';
import { ChangePasswordCard } from './ChangePasswordCard';

export function SignInPage() {
  const [params] = useSearchParams();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // a one-time or reset password: the new one first (ChangePasswordCard), then on
  const [mustChange, setMustChange] = useState<{ username: string; current: string; home: string } | null>(null);
  const next = params.get('next');
  // Only paths of this app: never an absolute address from the query string.
  const safeNext = next && next.startsWith(`${BASENAME}/`) && !next.startsWith('//') ? next : null;
  const go = (home: string) => window.location.assign(safeNext ?? `${BASENAME}${home}`);
  const submit = async (values: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      const { user } = await api.post<LoginAnswer>('/auth/login', values, { quiet401: true });
      signedInHint.set(values.username);
      // the platform operator's home is the cities page
      const home = user.roles.includes('operator') && !user.roles.includes('admin') ? '/cities' : '/matters';
      if (user.mustChangePassword) setMustChange({ username: user.username, current: values.password, home });
      else go(home);
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };
  if (mustChange) {
    return (
      <div style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f0f4ff' }}>
        <ChangePasswordCard username={mustChange.username} current={mustChange.current} onDone={() => go(mustChange.home)} />
      </div>
    );
  }
  return (
    <div style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f0f4ff' }}>
      <Card style={{ width: 380 }}>
        <Typography.Title level={3} style={{ textAlign: 'center' }}>联办设计器</Typography.Title>
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>城市管理员或平台运营账户登录</Typography.Paragraph>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
        <Form layout="vertical" onFinish={(v) => void submit(v)} requiredMark={false}>
          <Form.Item label="账户" name="username" rules={[{ required: true, message: '请输入账户' }]}>
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>登录</Button>
        </Form>
        {/* staff reach their account through the platform only where LIANBAN_OIDC_STAFF_CLAIM is set (docs/integrations.md) */}
        <OidcSignIn next={safeNext ?? `${BASENAME}/matters`} staff />
      </Card>
    </div>
  );
}
