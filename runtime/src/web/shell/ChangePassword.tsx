/**
 * The change-password screen (`POST /auth/password`) of the portal and the tasklist: shown after
 * sign-in, and instead of any page, while the account must replace a one-time or reset password
 * (`user.mustChangePassword`; the server refuses everything else with 403 `password-change-required`).
 * `current` given (just typed at sign-in): only the new password is asked.
 */
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { api, ApiError } from '../api/index';
import { t } from '../i18n';

export function ChangePassword({ current, onDone }: { current?: string; onDone: () => void | Promise<void> }) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (v: { current?: string; next: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      await api.changePassword(current ?? v.current ?? '', v.next);
      await onDone();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '保存失败，请稍后再试');
      setBusy(false);
    }
  };
  return (
    <Card data-testid="change-password">
      <Typography.Title level={2} style={{ fontSize: 20 }}>{t('password.title')}</Typography.Title>
      <Alert type="info" showIcon message={t('password.intro')} style={{ marginBottom: 16 }} />
      {error ? <Alert type="error" showIcon message={error} role="alert" style={{ marginBottom: 16 }} /> : null}
      <Form layout="vertical" onFinish={(v: { current?: string; next: string }) => void submit(v)} requiredMark={false}>
        {current === undefined ? (
          <Form.Item label={t('password.current')} name="current" rules={[{ required: true, message: t('password.required') }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
        ) : null}
        <Form.Item label={t('password.next')} name="next" rules={[{ required: true, message: t('password.required') }]}>
          <Input.Password autoComplete="new-password" autoFocus />
        </Form.Item>
        <Form.Item label={t('password.confirm')} name="confirm" dependencies={['next']} rules={[
          { required: true, message: t('password.required') },
          ({ getFieldValue }) => ({ validator: (_, value) => (!value || value === getFieldValue('next') ? Promise.resolve() : Promise.reject(new Error(t('password.mismatch')))) }),
        ]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy} autoInsertSpace={false}>{t('password.submit')}</Button>
      </Form>
    </Card>
  );
}
