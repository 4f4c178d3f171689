/** The frame of every signed-in page: header with navigation, notifications and sign-out. */
import type { ReactNode } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Button, Layout } from 'antd';
import { t } from '../i18n';
import { CareModeToggle } from '../CareMode';
import { NotificationBell } from './Notifications';
import { useSession } from './session';
import './shell.css';

export function Shell({ title, children, wide }: { title?: string; children: ReactNode; wide?: boolean }) {
  const { me, signOut } = useSession();
  const navigate = useNavigate();
  const roles = me?.user.roles ?? [];
  const links = [
    roles.includes('applicant') ? { to: '/apply', label: t('nav.apply') } : null,
    roles.includes('staff') ? { to: '/tasks', label: t('nav.tasks') } : null,
    roles.includes('window') || (roles.includes('staff') && me?.user.departments.includes('window')) ? { to: '/counter', label: t('nav.counter') } : null,
    roles.includes('window') || (roles.includes('staff') && me?.user.departments.includes('window')) ? { to: '/counter/cases', label: t('nav.filed') } : null,
    roles.includes('staff') ? { to: '/cc', label: t('nav.cc') } : null,
    roles.includes('staff') || roles.includes('admin') ? { to: '/cases', label: t('nav.search') } : null,
    roles.includes('admin') ? { to: '/dashboard', label: t('nav.dashboard') } : null,
    roles.includes('admin') || roles.includes('staff') ? { to: '/evaluations', label: t('nav.evaluations') } : null,
  ].filter((l): l is { to: string; label: string } => !!l);
  const out = async () => { await signOut(); navigate('/login'); };
  return (
    <Layout className="lb-shell">
      <a href="#lb-main" className="lb-skip lb-no-print">{t('nav.skip')}</a>
      <Layout.Header className="lb-header lb-no-print">
        <Link to="/" className="lb-brand">{t('app.name')}</Link>
        <span className="lb-tenant">{me?.tenant.name}</span>
        <nav className="lb-nav" aria-label={t('nav.main')}>
          {links.map((l) => <Link key={l.to} to={l.to}>{l.label}</Link>)}
        </nav>
        <span className="lb-header-end">
          <CareModeToggle />
          {roles.includes('applicant') ? <NotificationBell /> : null}
          <span className="lb-user">{me?.user.displayName ?? me?.user.username}</span>
          <Button type="text" className="lb-header-button" onClick={() => void out()}>{t('nav.logout')}</Button>
        </span>
      </Layout.Header>
      <Layout.Content className={`lb-content${wide ? ' lb-wide' : ''}`} id="lb-main" tabIndex={-1}>
        {title ? <h1 className="lb-page-title">{title}</h1> : null}
        {children}
      </Layout.Content>
    </Layout>
  );
}
