/**
 * /my/cases/:id — the applicant's case: status of the case and of each linked item, promised
 * materials, open tasks, history and the flow diagram with the path taken.
 */
import { Link, useParams } from 'react-router-dom';
import { Alert, Card, Col, Row, Space } from 'antd';
import { CaseStatusTag, CaseTimeline, FlowDiagram, ItemsTable, PromisedMaterials, formatTime, promisedMaterials, loadCaseWithForm } from '../case/index';
import { t } from '../i18n';
import { LoadState, useLoad, Shell } from '../shell/index';

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
          <Card className="lb-section-card" data-testid="case-head">
            <dl className="lb-kv">
              <dt>{t('case.no')}</dt><dd data-testid="case-no">{c.no}</dd>
              <dt>{t('case.status')}</dt><dd data-testid="case-status"><CaseStatusTag status={c.status} /></dd>
              <dt>{t('case.form')}</dt><dd>{state.data?.formTitle}</dd>
              <dt>{t('case.submittedAt')}</dt><dd>{formatTime(c.submittedAt)}</dd>
            </dl>
            <Space style={{ marginTop: 12 }} wrap>
              <Link to={`/my/cases/${c.id}/print`}>{t('case.printTitle')}</Link>
              <Link to="/apply">{t('common.back')}</Link>
            </Space>
          </Card>
          {open.map((task) => (
            <Alert key={task.id} type="warning" showIcon className="lb-section-card"
              message={<Space wrap>{t('case.todo')}：{task.name}<Link to={`/my/tasks/${task.id}`}>{t('common.open')}</Link></Space>} />
          ))}
          <PromisedMaterials entries={promisedMaterials(state.data?.schema, c.data)} />
          <Row gutter={16}>
            <Col xs={24} lg={12}>
              <Card title={t('case.items')} className="lb-section-card"><ItemsTable items={c.items} /></Card>
            </Col>
            <Col xs={24} lg={12}>
              <Card title={t('case.timeline')} className="lb-section-card lb-timeline-card"><CaseTimeline entries={c.timeline} /></Card>
            </Col>
          </Row>
          <Card title={t('case.diagram')} className="lb-section-card"><FlowDiagram caseId={c.id} revision={c.timeline.length} /></Card>
        </>
      ) : null}
    </Shell>
  );
}
