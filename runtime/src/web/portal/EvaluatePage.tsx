/**
 * /e/:token — the rating page the 办结 SMS links to (no sign-in; `GET/POST /public/evaluation/:token`):
 * the case number and matter, and the rating card for what is left to rate. A forged or unknown
 * link says so and nothing else.
 */
import { Link, useParams } from 'react-router-dom';
import { Alert, Layout, Typography } from 'antd';
import { evaluations } from '../api/index';
import { t } from '../i18n';
import { CareModeToggle } from '../CareMode';
import { EvaluationCard, type EvaluationTarget } from '../case/EvaluationCard';
import { useLoad } from '../shell/index';
import '../shell/shell.css';
import './portal.css';

export function EvaluatePage() {
  const { token = '' } = useParams();
  const state = useLoad(() => evaluations.invite(token), [token]);
  const invite = state.data;
  const targets: EvaluationTarget[] = invite ? [
    ...(invite.rated.case ? [] : [{ key: 'case', title: t('evaluation.wholeCase') }]),
    ...invite.items.filter((i) => !invite.rated.items.includes(i.key)),
  ] : [];
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header className="lb-header">
        <Link to="/" className="lb-brand">{t('app.name')}</Link>
        <span className="lb-header-end"><CareModeToggle /></span>
      </Layout.Header>
      <Layout.Content className="lb-progress">
        <Typography.Title level={1} style={{ fontSize: 26 }}>{t('evaluation.sms')}</Typography.Title>
        {state.error ? <Alert type="error" showIcon role="alert" message={t('evaluation.invalidLink')} data-testid="evaluation-error" /> : null}
        {invite ? (
          <>
            <Typography.Paragraph data-testid="evaluation-case">{invite.matterTitle} · {invite.caseNo}</Typography.Paragraph>
            <EvaluationCard channel="sms" targets={targets} given={[]} submit={(body) => evaluations.rateByInvite(token, body)} onDone={state.reload} />
          </>
        ) : null}
      </Layout.Content>
    </Layout>
  );
}
