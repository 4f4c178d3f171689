/**
 * The change-password screen (`POST /auth/password`): shown at sign-in while the account must
 * replace a one-time or reset password (`user.mustChangePassword`); nothing else works until then.
 * `current` given (just typed at sign-in): only the new password is asked.
 */
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { api, errorText } from '../api/client';

export function ChangePasswordCard({ username, current, onDone }: { username: string; current?: string; onDone: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (values: { current?: string; next: string }) => {
    setBusy(true);
    setError(null);
    try {
      await api.post('/auth/password', { current: current ?? values.current, next: values.next }, { quiet401: true });
      onDone();
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };
  return (
    <Card style={{ width: 420 }} data-testid="change-password">
      <Typography.Title level={3} style={{ textAlign: 'center' }}>设置新密码</Typography.Title>
      <Alert type="info" showIcon style={{ marginBottom: 16 }}
        message={`账户 ${username} 正在使用一次性或被重置的密码`}
        description="请先设置只有您本人知道的新密码，之后才能继续使用。新密码至少 10 个字符，包含小写字母、大写字母、数字、符号中的至少三类，且不能包含用户名。" />
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <Form layout="vertical" onFinish={(v) => void submit(v)} requiredMark={false}>
        {current === undefined && (
          <Form.Item label="当前密码" name="current" rules={[{ required: true, message: '请输入当前密码' }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
        )}
        <Form.Item label="新密码" name="next" rules={[{ required: true, message: '请输入新密码' }, { min: 10, message: '密码至少 10 个字符' }]}>
          <Input.Password autoComplete="new-password" autoFocus />
        </Form.Item>
        <Form.Item label="再次输入新密码" name="confirm" dependencies={['next']} rules={[
          { required: true, message: '请再次输入新密码' },
          ({ getFieldValue }) => ({ validator: (_, v) => (!v || v === getFieldValue('next') ? Promise.resolve() : Promise.reject(new Error('两次输入的新密码不一致'))) }),
        ]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy}>保存新密码</Button>
      </Form>
    </Card>
  );
}
