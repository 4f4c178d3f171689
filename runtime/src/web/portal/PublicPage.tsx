/**
 * The frame of the portal's pages without sign-in (办件进度查询, the SMS rating link): the
 * brand linking home, the care-mode switch, and a narrow column under one heading.
 */
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { Layout, Typography } from 'antd';
import { t } from '../i18n';
import { CareModeToggle } from '../CareMode';
import '../shell/shell.css';
import './portal.css';

export function PublicPage({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header className="lb-header">
        <Link to="/" className="lb-brand">{t('app.name')}</Link>
        <span className="lb-header-end"><CareModeToggle /></span>
      </Layout.Header>
      <Layout.Content className="lb-progress">
        <Typography.Title level={1} style={{ fontSize: 26 }}>{title}</Typography.Title>
        {children}
      </Layout.Content>
    </Layout>
  );
}
