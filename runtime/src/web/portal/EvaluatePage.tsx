/**
 * /e/:token — the rating page the 办结 SMS links to (no sign-in; `GET/POST /public/evaluation/:token`):
 * the case number and matter, and the rating card for what is left to rate. A forged or unknown
 * link says so and nothing else.
 */
import { useParams } from 'react-router-dom';
import { Alert, Typography } from 'antd';
import { evaluations } from '../api/index';
import { t } from '../i18n';
import { EvaluationCard, type EvaluationTarget } from '../case/EvaluationCard';
import { useLoad } from '../shell/index';
import { PublicPage } from './PublicPage';

export function EvaluatePage() {
  const { token = '' } = useParams();
  const state = useLoad(() => evaluations.invite(token), [token]);
  const invite = state.data;
  const targets: EvaluationTarget[] = invite ? [
    ...(invite.rated.case ? [] : [{ key: 'case', title: t('evaluation.wholeCase') }]),
    ...invite.items.filter((i) => !invite.rated.items.includes(i.key)),
  ] : [];
  return (
    <PublicPage title={t('evaluation.sms')}>
      {state.error ? <Alert type="error" showIcon role="alert" message={t('evaluation.invalidLink')} data-testid="evaluation-error" /> : null}
      {invite ? (
        <>
          <Typography.Paragraph data-testid="evaluation-case">{invite.matterTitle} · {invite.caseNo}</Typography.Paragraph>
          <EvaluationCard channel="sms" targets={targets} given={[]} submit={(body) => evaluations.rateByInvite(token, body)} onDone={state.reload} />
        </>
      ) : null}
    </PublicPage>
  );
}
