/**
 * The signed-in administrator: loaded once from `GET /me`; pages under <RequireAdmin> render
 * only for an admin and send everyone else to the sign-in page.
 *
 *   const me = useMe();   // { user, tenant }
 */
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { Result, Spin } from 'antd';
import { api, ApiError, errorText, redirectToSignIn, signedInHint } from '../api/client';
import type { Me } from '../api/types';

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

/** Renders children for a signed-in administrator. */
export function RequireAdmin({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    if (!signedInHint.get()) { redirectToSignIn(); return; }
    api.get<Me>('/me').then((m) => {
      if (!live) return;
      if (!m.user.roles.includes('admin')) setError('当前账户不是管理员，无权使用设计器。请使用城市管理员账户登录。');
      else setMe(m);
    }, (e) => { if (live && !(e instanceof ApiError && e.status === 401)) setError(errorText(e)); });
    return () => { live = false; };
  }, []);
  if (error) return <Result status="403" title="无法打开设计器" subTitle={error} extra={<a onClick={() => redirectToSignIn()}>换个账户登录</a>} />;
  if (!me) return <Spin style={{ margin: 48 }} />;
  return <MeContext.Provider value={me}>{children}</MeContext.Provider>;
}
