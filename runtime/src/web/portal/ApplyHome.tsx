/** /apply — the applicant's start page: my tasks, matters with their form variants, drafts, cases. */
import { Link } from 'react-router-dom';
import { Alert, Card, Col, List, Row, Space, Typography } from 'antd';
import { api, type CaseSummary, type Matter, type Task } from '../api/index';
import { applicationForms, CaseStatusTag, formatTime } from '../case/index';
import { t } from '../i18n';
import { LoadState, Shell, useLoad } from '../shell/index';
import { MatterContact } from './MatterContact';
import './portal.css';
import './precheck.css';

interface Overview { matters: Matter[]; cases: CaseSummary[]; tasks: Task[] }

async function loadOverview(): Promise<Overview> {
  const [list, cases, tasks] = await Promise.all([api.matters(), api.cases(), api.tasks()]);
  const matters = await Promise.all(list.map((m) => api.matter(m.key)));
  return { matters, cases, tasks };
}

export function ApplyHome() {
  const state = useLoad(loadOverview, []);
  const { matters = [], cases = [], tasks = [] } = state.data ?? {};
  const drafts = cases.filter((c) => c.status === 'draft');
  const submitted = cases.filter((c) => c.status !== 'draft');
  return (
    <Shell title={t('apply.title')}>
      <LoadState state={state} />
      {tasks.length ? (
        <Card title={t('apply.tasks')} className="lb-section-card" data-testid="my-tasks">
          <List dataSource={tasks} renderItem={(task) => (
            <List.Item actions={[<Link key="go" to={`/my/tasks/${task.id}`}>{t('case.todo')}</Link>]}>
              <List.Item.Meta title={task.name} description={`${task.caseNo} · ${task.matterTitle ?? ''}`} />
            </List.Item>
          )} />
        </Card>
      ) : null}
      <Card title={t('apply.matters')} className="lb-section-card">
        <p className="lb-muted">{t('apply.formNote')}</p>
        <Row gutter={[16, 16]}>
          {matters.map((m) => (
            <Col xs={24} md={12} key={m.key}>
              <Card type="inner" title={m.title} data-matter={m.key}
                extra={m.linkedItems.some((i) => i.materials?.length) ? <Link to={`/apply/${m.key}/precheck`} data-testid="precheck-link">先测一测</Link> : null}>
                <Typography.Paragraph>{t('apply.chooseForm')}</Typography.Paragraph>
                <Space direction="vertical" style={{ width: '100%' }}>
                  {applicationForms(m).map((f) => (
                    <Link key={f.key} to={`/apply/${m.key}/${f.key}`} className="lb-form-choice" data-form={f.key}>
                      {f.title}
                    </Link>
                  ))}
                </Space>
                <MatterContact contact={m.contact} />
              </Card>
            </Col>
          ))}
        </Row>
        {!state.loading && !matters.length ? <Alert type="info" message={t('common.none')} /> : null}
      </Card>
      <Card title={t('apply.drafts')} className="lb-section-card" data-testid="my-drafts">
        <List locale={{ emptyText: t('common.none') }} dataSource={drafts} renderItem={(c) => (
          <List.Item actions={[<Link key="go" to={`/apply/${c.matter}/${c.form}/${c.id}`}>{t('apply.continue')}</Link>]}>
            <List.Item.Meta title={c.matterTitle ?? c.matter} description={`${t('apply.savedAt')} ${formatTime(c.createdAt)}`} />
          </List.Item>
        )} />
      </Card>
      <Card title={t('apply.cases')} className="lb-section-card" data-testid="my-cases">
        <List locale={{ emptyText: t('common.none') }} dataSource={submitted} renderItem={(c) => (
          <List.Item data-case={c.no ?? ''} actions={[<Link key="go" to={`/my/cases/${c.id}`} aria-label={`${t('common.open')} ${c.no ?? ''}`}>{t('common.open')}</Link>]}>
            <List.Item.Meta title={<Space wrap>{c.no}<CaseStatusTag status={c.status} /></Space>} description={`${c.matterTitle ?? c.matter} · ${formatTime(c.submittedAt ?? c.createdAt)}`} />
          </List.Item>
        )} />
      </Card>
    </Shell>
  );
}
