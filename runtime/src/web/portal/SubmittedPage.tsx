/** /my/cases/:id/submitted — the confirmation with the case number. */
import { Link, useParams } from 'react-router-dom';
import { Card, Result, Space } from 'antd';
import { api } from '../api/index';
import { t } from '../i18n';
import { LoadState, Shell, useLoad } from '../shell/index';
import './portal.css';

export function SubmittedPage() {
  const { id = '' } = useParams();
  const state = useLoad(() => api.case(id), [id]);
  const c = state.data;
  return (
    <Shell>
      <LoadState state={state} />
      {c ? (
        <Card>
          <Result
            status="success"
            title={t('done.title')}
            subTitle={(
              <span data-testid="submitted-no">
                <span className="lb-case-no-line">{t('case.no')}：<strong>{c.no}</strong></span>
                <br />{t('done.next')}
              </span>
            )}
            extra={(
              <Space wrap>
                <Link to={`/my/cases/${c.id}`} className="lb-form-choice">{t('done.view')}</Link>
                <Link to={`/my/cases/${c.id}/print`} className="lb-form-choice">{t('case.printTitle')}</Link>
              </Space>
            )}
          />
        </Card>
      ) : null}
    </Shell>
  );
}
