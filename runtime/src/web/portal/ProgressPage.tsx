/**
 * /progress — 办件进度查询 without sign-in (`GET /public/progress`): the case number and the last
 * four characters of the applicant's ID number → the case's status and each linked item's. The
 * server answers nothing personal; an unknown number and a wrong pair get the same message.
 * `?no=` may prefill the number (never the four characters: they stay out of addresses).
 */
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Alert, Button, Card, Form, Input, Table, Typography } from 'antd';
import { api, ApiError, type PublicProgress } from '../api/index';
import { t } from '../i18n';
import { CaseStatusTag, ItemStatusTag } from '../case/CasePieces';
import { PublicPage } from './PublicPage';

interface Query { no: string; id4: string }

export function ProgressPage() {
  const [params] = useSearchParams();
  const [result, setResult] = useState<PublicProgress>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const lookUp = async (v: Query) => {
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    try {
      setResult(await api.publicProgress(v.no.trim(), v.id4.trim()));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '查询失败，请稍后再试');
    } finally {
      setBusy(false);
    }
  };
  return (
    <PublicPage title={t('progress.title')}>
      <Typography.Paragraph>{t('progress.intro')}</Typography.Paragraph>
      <Card className="lb-section-card">
        <Form<Query> layout="vertical" className="lb-progress-form" requiredMark={false} initialValues={{ no: params.get('no') ?? '', id4: '' }}
          onFinish={(v) => void lookUp(v)} data-testid="progress-form">
          <Form.Item label={t('progress.no')} name="no" rules={[{ required: true, whitespace: true, message: t('progress.required') }]}>
            <Input autoComplete="off" placeholder="如 CZ202603010001" maxLength={30} />
          </Form.Item>
          <Form.Item label={t('progress.id4')} name="id4" rules={[{ required: true, whitespace: true, message: t('progress.required') }]}>
            <Input autoComplete="off" maxLength={4} style={{ maxWidth: 160 }} inputMode="text" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy}>{t('progress.submit')}</Button>
        </Form>
      </Card>
      {error ? <Alert type="error" showIcon message={error} role="alert" style={{ marginTop: 16 }} data-testid="progress-error" /> : null}
      {result ? (
        <Card className="lb-section-card" style={{ marginTop: 16 }} title={`${t('progress.no')} ${result.no}`} data-testid="progress-result">
          <dl className="lb-progress-facts">
            <dt>{t('progress.matter')}</dt><dd>{result.matterTitle}</dd>
            <dt>{t('case.status')}</dt><dd data-testid="progress-status"><CaseStatusTag status={result.status} /></dd>
            <dt>{t('progress.submittedOn')}</dt><dd>{result.submittedOn ?? '—'}</dd>
            <dt>{t('progress.endedOn')}</dt><dd>{result.endedOn ?? '—'}</dd>
          </dl>
          <Table
            size="small"
            rowKey="title"
            pagination={false}
            dataSource={result.items}
            onRow={(item) => ({ 'data-item': item.title } as React.HTMLAttributes<HTMLElement>)}
            columns={[
              { title: t('case.item'), dataIndex: 'title' },
              { title: t('case.itemStatus'), dataIndex: 'status', render: (s: string) => <ItemStatusTag status={s} /> },
            ]}
          />
        </Card>
      ) : null}
    </PublicPage>
  );
}
