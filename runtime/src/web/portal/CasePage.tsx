/**
 * /my/cases/:id — the applicant's case: status of the case and of each linked item, promised
 * materials, open tasks, history and the flow diagram with the path taken.
 */
import { Link, useParams } from 'react-router-dom';
import { Alert, Space } from 'antd';
import { CaseDocuments, CaseEvaluation, CaseHead, CaseProgress, CaseStatusTag, PromisedMaterials, formatTime, loadCaseWithForm, promisedMaterials, CaseFiles, CounterFacts, TaskComments, deadlineRows } from '../case/index';
import { t } from '../i18n';
import { LoadState, Shell, useLoad } from '../shell/index';
import { CorrectionPanel } from './CorrectionPanel';
import { WithdrawButton } from './WithdrawButton';
import { RemindTasks } from './RemindTasks';
import { CaseContact, StandaloneItems } from './StandaloneItems';
import './precheck.css';

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
            ...deadlineRows(c),
          ]}>
            <Space style={{ marginTop: 12 }} wrap>
              <Link to={`/my/cases/${c.id}/print`}>{t('case.printTitle')}</Link>
              <Link to="/apply">{t('common.back')}</Link>
              <WithdrawButton view={c} onDone={state.reload} />
            </Space>
          </CaseHead>
          {open.map((task) => (
            <Alert key={task.id} type="warning" showIcon className="lb-section-card"
              message={<Space wrap>{t('case.todo')}：{task.name}<Link to={`/my/tasks/${task.id}`}>{t('common.open')}</Link></Space>} />
          ))}
          <CounterFacts view={c} />
          {c.status === 'needs-correction' && c.correction && state.data?.schema
            ? <CorrectionPanel view={c} notice={c.correction} schema={state.data.schema} onDone={state.reload} />
            : null}
          {c.status === 'suspended' ? (
            <Alert type="warning" showIcon className="lb-section-card" data-testid="suspended" message={`办件已暂停办理：${c.suspension?.reason ?? ''}`}
              description="暂停期间办理时限不计算，恢复后继续办理。" />
          ) : null}
          <PromisedMaterials entries={promisedMaterials(state.data?.schema, c.data)} />
          <RemindTasks tasks={c.tasks} />
          <TaskComments view={c} />
          <StandaloneItems view={c} matter={state.data?.matter} />
          {c.status !== 'draft' ? <CaseDocuments caseId={c.id} status={c.status} /> : null}
          <CaseEvaluation view={c} channel="portal" />
          <CaseProgress view={c}><CaseFiles caseId={c.id} revision={c.timeline.length} schema={state.data?.schema} /></CaseProgress>
          <CaseContact matter={state.data?.matter} />
        </>
      ) : null}
    </Shell>
  );
}
