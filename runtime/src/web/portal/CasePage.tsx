/**
 * /my/cases/:id — the applicant's case: status of the case and of each linked item, promised
 * materials, open tasks, history and the flow diagram with the path taken.
 */
import { Link, useParams } from 'react-router-dom';
import { Alert, Space } from 'antd';
import { CaseDocuments, CaseHead, CaseProgress, CaseStatusTag, PromisedMaterials, formatTime, loadCaseWithForm, promisedMaterials } from '../case/index';
import { t } from '../i18n';
import { LoadState, Shell, useLoad } from '../shell/index';

export function CasePage() {
  const { id = '' } = useParams();
  const state = useLoad(() => loadCaseWithForm(id), [id]);
  const c = state.data?.view;
  const open = c?.tasks.filter((task) => task.department === 'applicant' && task.state !== 'done' && task.state !== 'cancelled') ?? [];
  return (
    <Shell title={c ? `${c.matterTitle ?? c.matter}` : undefined}>
      <LoadState state={state} />
      {c ? (
        <>
          <CaseHead rows={[
            { label: t('case.no'), value: c.no, testId: 'case-no' },
            { label: t('case.status'), value: <CaseStatusTag status={c.status} />, testId: 'case-status' },
            { label: t('case.form'), value: state.data?.formTitle },
            { label: t('case.submittedAt'), value: formatTime(c.submittedAt) },
          ]}>
            <Space style={{ marginTop: 12 }} wrap>
              <Link to={`/my/cases/${c.id}/print`}>{t('case.printTitle')}</Link>
              <Link to="/apply">{t('common.back')}</Link>
            </Space>
          </CaseHead>
          {open.map((task) => (
            <Alert key={task.id} type="warning" showIcon className="lb-section-card"
              message={<Space wrap>{t('case.todo')}：{task.name}<Link to={`/my/tasks/${task.id}`}>{t('common.open')}</Link></Space>} />
          ))}
          <PromisedMaterials entries={promisedMaterials(state.data?.schema, c.data)} />
          {c.status !== 'draft' ? <CaseDocuments caseId={c.id} status={c.status} /> : null}
          <CaseProgress view={c} />
        </>
      ) : null}
    </Shell>
  );
}
