/** Sign-in (`POST /auth/login`) with the server's Chinese errors (wrong name or password, 429 too many attempts: wait). */
import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { api, ApiError } from '../api/index';
import { t } from '../i18n';
import { CareModeToggle } from '../CareMode';
import { OidcSignIn } from './OidcSignIn';
import { ChangePassword, homeOf, useSession } from '../shell/index';
import '../shell/shell.css';
import './portal.css';

/** Only same-site paths are followed after sign-in. */
const safeNext = (next: string | null) => (next && next.startsWith('/') && !next.startsWith('//') ? next : null);

export function LoginPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const { refresh } = useSession();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [demo, setDemo] = useState(false);
  // a one-time or reset password: the new one first, then on to where the user was going
  const [mustChange, setMustChange] = useState<{ current: string; home: string } | null>(null);
  useEffect(() => {
    fetch('/api/v1/health').then((r) => r.json() as Promise<{ db?: { mode?: string } }>)
      .then((h) => setDemo(String(h.db?.mode ?? '').startsWith('embedded'))).catch(() => setDemo(false));
  }, []);
  const submit = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      const { user } = await api.login(v.username.trim(), v.password);
      if (user.mustChangePassword) {
        setMustChange({ current: v.password, home: safeNext(params.get('next')) ?? homeOf(user.roles) });
        return;
      }
      // the platform operator works in the designer (城市管理), not in the portal or the tasklist
      if (user.roles.length > 0 && user.roles.every((r) => r === 'operator')) {
        window.location.assign('/designer/cities');
        return;
      }
      await refresh();
      navigate(safeNext(params.get('next')) ?? homeOf(user.roles), { replace: true });
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '登录失败，请稍后再试');
    } finally {
      setBusy(false);
    }
  };
  if (mustChange) {
    return (
      <main className="lb-login">
        <ChangePassword current={mustChange.current} onDone={async () => { await refresh(); navigate(mustChange.home, { replace: true }); }} />
      </main>
    );
  }
  return (
    <main className="lb-login">
      <div className="lb-login-tools"><CareModeToggle className="lb-care-toggle-light" /></div>
      <Typography.Title level={1} style={{ fontSize: 26, textAlign: 'center' }}>
        <Link to="/">{t('app.name')}</Link> · {t('login.title')}
      </Typography.Title>
      <Card>
        {error ? <Alert type="error" showIcon message={error} role="alert" style={{ marginBottom: 16 }} /> : null}
        <Form layout="vertical" onFinish={(v: { username: string; password: string }) => void submit(v)} requiredMark={false}>
          <Form.Item label={t('login.username')} name="username" rules={[{ required: true, message: t('login.required') }]}>
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item label={t('login.password')} name="password" rules={[{ required: true, message: t('login.required') }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} autoInsertSpace={false}>{t('login.submit')}</Button>
        </Form>
        <OidcSignIn next={safeNext(params.get('next')) ?? '/apply'} />
        {demo ? <Typography.Paragraph type="secondary" className="lb-login-demo">{t('login.demo')}</Typography.Paragraph> : null}
      </Card>
      <Typography.Paragraph className="lb-login-progress"><Link to="/progress" data-testid="progress-link">{t('progress.link')}</Link></Typography.Paragraph>
    </main>
  );
}
