/** Loading spinner or the Chinese error of a `useLoad` result. */
import { Alert, Button, Spin } from 'antd';
import { t } from '../i18n';
import type { Loaded } from './use-load';

export function LoadState({ state }: { state: Loaded<unknown> }) {
  if (state.error) {
    return <Alert type="error" showIcon message={state.error} action={<Button size="small" onClick={state.reload}>{t('common.retry')}</Button>} />;
  }
  if (state.loading && state.data === undefined) return <Spin tip={t('common.loading')} style={{ display: 'block', margin: '10vh auto' }}><div /></Spin>;
  return null;
}
