/**
 * 「统一身份认证登录」: shown on a sign-in page only when the server has the identity platform
 * configured (`GET /api/v1/auth/oidc`); goes to `GET /api/v1/auth/oidc/login?city=&next=`, which
 * sends the browser to the platform and, once back, to `next` signed in. With several cities the
 * person picks theirs first. Used by the portal's and the designer's sign-in pages.
 */
import { useEffect, useState } from 'react';
import { Alert, Button, Divider, Select, Typography } from 'antd';
import type { OidcInfo } from '@lianban/runtime/contract';
import { t } from '../i18n';

/** `staff`: the designer's sign-in (administrators' accounts are opened for them, not at the first sign-in). */
export function OidcSignIn({ next, staff = false }: { next: string; staff?: boolean }) {
  const [info, setInfo] = useState<OidcInfo | null>(null);
  const [city, setCity] = useState<string>();
  useEffect(() => {
    let live = true;
    fetch('/api/v1/auth/oidc', { headers: { accept: 'application/json' } })
      .then((r) => (r.ok ? (r.json() as Promise<OidcInfo>) : null))
      .then((i) => { if (live) setInfo(i); }, () => { if (live) setInfo(null); });
    return () => { live = false; };
  }, []);
  if (!info?.enabled) return null;
  const chosen = city ?? (info.cities.length === 1 ? info.cities[0]!.key : undefined);
  const go = () => {
    const query = new URLSearchParams({ ...(chosen ? { city: chosen } : {}), next });
    window.location.assign(`/api/v1/auth/oidc/login?${query.toString()}`);
  };
  return (
    <div data-testid="oidc-sign-in">
      <Divider plain>{t('login.or')}</Divider>
      {info.available === false ? <Alert type="warning" showIcon message={t('login.oidcDown')} style={{ marginBottom: 12 }} /> : null}
      {info.cities.length > 1 ? (
        <Select aria-label={t('login.oidcCity')} placeholder={t('login.oidcCityPick')} value={city} onChange={setCity} style={{ width: '100%', marginBottom: 12 }}
          options={info.cities.map((c) => ({ value: c.key, label: c.name }))} />
      ) : null}
      <Button block size="large" disabled={!chosen} onClick={go} autoInsertSpace={false}>{t('login.oidc')}</Button>
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0, fontSize: 13 }}>{t(staff ? 'login.oidcHintStaff' : 'login.oidcHint')}</Typography.Paragraph>
    </div>
  );
}
