/**
 * The signed-in administrator: loaded once from `GET /me`; pages under <RequireAdmin> render
 * only for an admin and send everyone else to the sign-in page.
 *
 *   const me = useMe();   // { user, tenant }
 */
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { Result, Spin } from 'antd';
import { Navigate } from 'react-router-dom';
import { api, ApiError, errorText, redirectToSignIn, signedInHint } from '../api/client';
import type { Me } from '../api/types';
import { ChangePasswordCard } from './ChangePasswordCard';

const MeContext = createContext<Me | null>(null);

/** The signed-in user and city; only inside <RequireAdmin>. */
export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useMe outside <RequireAdmin>');
  return me;
}

/** The current session or null, without redirecting (pages that also work signed out). */
export function useOptionalMe(): Me | null | undefined {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  useEffect(() => {
    let live = true;
    if (!signedInHint.get()) { setMe(null); return; }
    api.get<Me>('/me', { quiet401: true }).then((m) => live && setMe(m), () => live && setMe(null));
    return () => { live = false; };
  }, []);
  return me;
}

/** Renders children for a signed-in administrator (`role="operator"`: for the platform operator). */
export function RequireAdmin({ children, role = 'admin' }: { children: ReactNode; role?: 'admin' | 'operator' }) {
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [toCities, setToCities] = useState(false);
  useEffect(() => {
    let live = true;
    if (!signedInHint.get()) { redirectToSignIn(); return; }
    api.get<Me>('/me').then((m) => {
      if (!live) return;
      // the operator's home is the cities page, not a city's pages
      if (role === 'admin' && m.user.roles.includes('operator') && !m.user.roles.includes('admin')) setToCities(true);
      else if (!m.user.roles.includes(role)) setError(role === 'operator' ? '当前账户不是平台运营账户，无权管理城市。' : '当前账户不是管理员，无权使用设计器。请使用城市管理员账户登录。');
      else setMe(m);
    }, (e) => { if (live && !(e instanceof ApiError && e.status === 401)) setError(errorText(e)); });
    return () => { live = false; };
  }, [role]);
  if (toCities) return <Navigate to="/cities" replace />;
  if (error) return <Result status="403" title="无法打开设计器" subTitle={error} extra={<a onClick={() => redirectToSignIn()}>换个账户登录</a>} />;
  if (!me) return <Spin style={{ margin: 48 }} />;
  // a one-time or reset password is replaced before anything else
  if (me.user.mustChangePassword) {
    return (
      <div style={{ display: 'flex', justifyContent: 'center', padding: 32 }}>
        <ChangePasswordCard username={me.user.username} onDone={() => setMe({ ...me, user: { ...me.user, mustChangePassword: false } })} />
      </div>
    );
  }
  return <MeContext.Provider value={me}>{children}</MeContext.Provider>;
}
