import { Button, Card, Col, Layout, Row, Typography } from 'antd';
import { currentLang, setLang, t } from '../i18n';
import { CareModeToggle } from '../CareMode';
import '../shell/shell.css';
import './portal.css';

/** The portal's landing page: who are you, and where to go. */
export function Home() {
  const entries = [
    { title: t('portal.applicant'), desc: t('portal.applicant.desc'), href: '/apply' },
    { title: t('portal.staff'), desc: t('portal.staff.desc'), href: '/tasks' },
    { title: t('portal.designer'), desc: t('portal.designer.desc'), href: '/designer/' },
  ];
  const switchLang = () => {
    setLang(currentLang() === 'zh' ? 'en' : 'zh');
    window.location.reload();
  };
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header className="lb-header">
        <span className="lb-brand">{t('app.name')}</span>
        <span className="lb-header-end">
          <CareModeToggle />
          <Button type="text" className="lb-header-button" onClick={switchLang}>{t('lang.switch')}</Button>
        </span>
      </Layout.Header>
      <Layout.Content style={{ padding: '32px 16px', maxWidth: 1080, margin: '0 auto', width: '100%' }}>
        <Typography.Title level={1} style={{ fontSize: 30 }}>{t('portal.title')}</Typography.Title>
        <Typography.Paragraph style={{ fontSize: 17 }}>{t('portal.intro')}</Typography.Paragraph>
        <Row gutter={[16, 16]}>
          {entries.map((e) => (
            <Col xs={24} md={8} key={e.href}>
              <a href={e.href} className="lb-card-link">
                <Card hoverable title={e.title}>{e.desc}</Card>
              </a>
            </Col>
          ))}
        </Row>
        <Typography.Paragraph style={{ fontSize: 17, marginTop: 24 }}>
          <a href="/progress" data-testid="progress-link">{t('progress.link')}</a>
        </Typography.Paragraph>
      </Layout.Content>
    </Layout>
  );
}
