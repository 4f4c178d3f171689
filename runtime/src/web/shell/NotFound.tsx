import { Button, Result } from 'antd';
import { t } from '../i18n';

export function NotFound() {
  return (
    <Result status="404" title={t('notFound.title')} extra={<Button type="primary" href="/">{t('notFound.back')}</Button>} />
  );
}
