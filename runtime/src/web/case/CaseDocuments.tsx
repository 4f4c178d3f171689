/**
 * The official documents of a case (受理回执, 不予批准决定, 办结通知书, 补正告知书…) with download
 * links, and the application as PDF; shared by the applicant's case page and the staff case view.
 * Each download is audited by the server.
 */
import { Button, Card, List, Space } from 'antd';
import { api } from '../api/index';
import { t } from '../i18n';
import { useLoad } from '../shell/index';
import { formatTime } from './labels';

export function CaseDocuments({ caseId, status }: { caseId: string; status?: string }) {
  // Read again when the case's status changes: a new status may have issued a document.
  const state = useLoad(() => api.documents(caseId), [caseId, status]);
  const docs = state.data ?? [];
  return (
    <Card title={t('case.documents')} className="lb-section-card" data-testid="case-documents"
          extra={<Button size="small" href={api.applicationPdfUrl(caseId)} target="_blank" rel="noopener">{t('case.applicationPdf')}</Button>}>
      <List size="small" loading={state.loading} locale={{ emptyText: state.error ? state.error : t('case.noDocuments') }} dataSource={docs}
        renderItem={(d) => (
          <List.Item data-testid="case-document" actions={[<a key="dl" href={api.documentUrl(d.id)} download>{t('case.download')}</a>]}>
            <Space wrap><span>{d.title}</span><span style={{ color: 'var(--lb-muted, #666)' }}>{formatTime(d.issuedAt)}</span></Space>
          </List.Item>
        )} />
    </Card>
  );
}
