/**
 * The signed-in user for the whole app: `GET /me` once, `useSession()` anywhere, and
 * `<RequireRole role>` around pages that need one (it sends others to the sign-in page).
 * What else a sign-out forgets (the portal's unsent form values) the app passes as `onSignOut`,
 * so the shell knows nothing of the pages.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { Spin } from 'antd';
import { api, type Me, type Role } from '../api/index';
import { ChangePassword } from './ChangePassword';
import { loadWorkCalendar } from './work-calendar';
import { setCityDepartments } from '../case/labels';

interface Session {
  me: Me | null | undefined;
  /** Asks the server who is signed in, once (pages that need no user never ask). */
  ensure(): void;
  refresh(): Promise<Me | null>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<Session>({ me: undefined, ensure: () => {}, refresh: async () => null, signOut: async () => {} });

export function SessionProvider({ children, onSignOut }: { children: ReactNode; onSignOut?: () => void }) {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const asked = useRef(false);
  const refresh = useCallback(async () => {
    asked.current = true;
    const next = await api.me().catch(() => null);
    setCityDepartments(next?.tenant?.departments);
    // a city's user: the province's entered holidays count in the deadline labels from the first page
    if (next && !next.user.mustChangePassword && next.user.roles.some((r) => r !== 'operator')) await loadWorkCalendar();
    setMe(next);
    return next;
  }, []);
  const signOut = useCallback(async () => {
    await api.logout().catch(() => undefined);
    onSignOut?.();
    setMe(null);
  }, [onSignOut]);
  const ensure = useCallback(() => {
    if (!asked.current) void refresh();
  }, [refresh]);
  const value = useMemo(() => ({ me, ensure, refresh, signOut }), [me, ensure, refresh, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export const useSession = () => useContext(SessionContext);

/** Where a user of these roles starts. */
export function homeOf(roles: Role[]): string {
  if (roles.includes('staff')) return '/tasks';
  if (roles.includes('window')) return '/counter';
  if (roles.includes('admin')) return '/dashboard';
  return '/apply';
}

export function RequireRole({ role, children }: { role: Role | Role[]; children: ReactNode }) {
  const roles = Array.isArray(role) ? role : [role];
  const { me, ensure, refresh } = useSession();
  const location = useLocation();
  useEffect(ensure, [ensure]);
  if (me === undefined) return <Spin style={{ display: 'block', margin: '20vh auto' }} />;
  if (!me || !roles.some((r) => me.user.roles.includes(r))) {
    return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  }
  // a one-time or reset password is replaced before any page (the server refuses everything else)
  if (me.user.mustChangePassword) {
    return <main className="lb-login"><ChangePassword onDone={async () => { await refresh(); }} /></main>;
  }
  return <>{children}</>;
}
