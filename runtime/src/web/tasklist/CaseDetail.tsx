/**
 * A case as staff see it: head, linked items, the submitted form read-only (ID numbers masked
 * until 显示完整信息, which the server audits), materials with download links, history, diagram.
 */
import { useState } from 'react';
import { Alert, App as AntApp, Button, Card, Col, List, Row, Tag } from 'antd';
import { FormRenderer } from '../forms/index';
import { api, ApiError } from '../api/index';
import { CaseStatusTag, CaseTimeline, FlowDiagram, ItemsTable, PromisedMaterials, formatTime, promisedMaterials, uploadEntries, loadCaseWithForm, type CaseWithForm } from '../case/index';
import { t } from '../i18n';

export function CaseDetail({ data, canReveal, onChange }: { data: CaseWithForm; canReveal: boolean; onChange(next: CaseWithForm): void }) {
  const { message } = AntApp.useApp();
  const [busy, setBusy] = useState(false);
  const c = data.view;
  const reveal = async () => {
    setBusy(true);
    try { onChange(await loadCaseWithForm(c.id, true)); } catch (e) {
      void message.error(e instanceof ApiError ? e.message : String(e));
    } finally { setBusy(false); }
  };
  const files = uploadEntries(data.schema, c.data).filter((f) => !f.promised);
  return (
    <>
      <Card className="lb-section-card" data-testid="case-head">
        <dl className="lb-kv">
          <dt>{t('case.no')}</dt><dd data-testid="case-no">{c.no}</dd>
          <dt>{t('case.matter')}</dt><dd>{c.matterTitle ?? c.matter}</dd>
          <dt>{t('case.applicant')}</dt><dd>{c.applicantName}</dd>
          <dt>{t('case.status')}</dt><dd><CaseStatusTag status={c.status} /></dd>
          <dt>{t('case.submittedAt')}</dt><dd>{formatTime(c.submittedAt)}</dd>
        </dl>
      </Card>
      <PromisedMaterials entries={promisedMaterials(data.schema, c.data)} />
      <Card title={t('case.form')} className="lb-section-card"
            extra={c.masked && canReveal ? <Button size="small" loading={busy} onClick={() => void reveal()}>{t('staff.reveal')}</Button> : null}>
            <Alert type={c.masked ? 'info' : 'warning'} showIcon style={{ marginBottom: 12 }} data-testid="mask-note"
              message={c.masked ? t('staff.revealNote') : t('staff.revealed')} />
            {data.schema ? <FormRenderer key={String(c.masked)} schema={data.schema} value={c.data} readOnly /> : null}
      </Card>
      <Row gutter={16}>
        <Col xs={24} lg={12}>
          <Card title={t('case.items')} className="lb-section-card"><ItemsTable items={c.items} /></Card>
          <Card title={t('case.materials')} className="lb-section-card">
            <List className="lb-materials-list" size="small" locale={{ emptyText: t('common.none') }} dataSource={files} renderItem={(f) => (
              <List.Item>
                <span>{f.field}：{f.fileId ? <a href={api.attachmentUrl(f.fileId)} download>{f.name}</a> : f.name}</span>
                {f.promised ? <Tag color="orange">{t('staff.promisedTag')}</Tag> : null}
              </List.Item>
            )} />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('case.timeline')} className="lb-section-card lb-timeline-card"><CaseTimeline entries={c.timeline} /></Card>
        </Col>
      </Row>
      <Card title={t('case.diagram')} className="lb-section-card"><FlowDiagram caseId={c.id} revision={c.timeline.length} /></Card>
    </>
  );
}
