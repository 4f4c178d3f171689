/**
 * A case as staff see it: head, linked items, the submitted form read-only (ID numbers masked
 * until 显示完整信息, which the server audits), materials with download links, history, diagram.
 */
import { useState } from 'react';
import { Alert, App as AntApp, Button, Card, List, Tag } from 'antd';
import { FormRenderer } from '../forms/index';
import { api, ApiError } from '../api/index';
import {
  CaseDocuments, CaseHead, CaseProgress, CaseStatusTag, PromisedMaterials, TaskChain, formatTime, loadCaseWithForm, promisedMaterials, uploadEntries, deadlineRows, type CaseWithForm,
  CaseFiles, CounterFacts, TaskComments,
} from '../case/index';
import { t } from '../i18n';
import { SuspendControls } from './SuspendControls';

/** `showHold`: the 挂起/恢复 controls here (false: the page shows them itself, e.g. a suspended case's task page at its top). */
export function CaseDetail({ data, canReveal, onChange, canHold = false, showHold = true }: { data: CaseWithForm; canReveal: boolean; onChange(next: CaseWithForm): void; canHold?: boolean; showHold?: boolean }) {
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
      <CaseHead rows={[
        { label: t('case.no'), value: c.no, testId: 'case-no' },
        { label: t('case.matter'), value: c.matterTitle ?? c.matter },
        { label: t('case.applicant'), value: c.applicantName },
        { label: t('case.status'), value: <CaseStatusTag status={c.status} /> },
        { label: t('case.submittedAt'), value: formatTime(c.submittedAt) },
        ...deadlineRows(c),
      ]} />
      <CounterFacts view={c} />
      {showHold ? <SuspendControls view={c} canAct={canHold} onChange={() => void loadCaseWithForm(c.id).then(onChange, () => undefined)} /> : null}
      <PromisedMaterials entries={promisedMaterials(data.schema, c.data)} />
      <TaskChain tasks={c.tasks} people={c.people} />
      <TaskComments view={c} />
      <Card title={t('case.form')} className="lb-section-card"
            extra={c.masked && canReveal ? <Button size="small" loading={busy} onClick={() => void reveal()}>{t('staff.reveal')}</Button> : null}>
            <Alert type={c.masked ? 'info' : 'warning'} showIcon style={{ marginBottom: 12 }} data-testid="mask-note"
              message={c.masked ? t('staff.revealNote') : t('staff.revealed')} />
            {data.schema ? <FormRenderer key={String(c.masked)} schema={data.schema} value={c.data} readOnly /> : null}
      </Card>
      <CaseDocuments caseId={c.id} status={c.status} />
      <CaseProgress view={c}>
        <Card title={t('case.materials')} className="lb-section-card">
          <List className="lb-materials-list" size="small" locale={{ emptyText: t('common.none') }} dataSource={files} renderItem={(f) => (
            <List.Item>
              <span>{f.field}：{f.fileId ? <a href={api.attachmentUrl(f.fileId)} download>{f.name}</a> : f.name}</span>
              {f.promised ? <Tag color="orange">{t('staff.promisedTag')}</Tag> : null}
            </List.Item>
          )} />
        </Card>
        <CaseFiles caseId={c.id} revision={c.timeline.length} schema={data.schema} />
      </CaseProgress>
    </>
  );
}
