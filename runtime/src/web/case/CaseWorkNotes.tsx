/**
 * What people added to a case besides the form: the counter intake (who filed it for whom, the
 * agent), every file with who attached it, and the staff's comments per task. Shown in the
 * applicant's case page and the staff's case detail alike.
 */
import { Card, List, Tag } from 'antd';
import { materialNames, type FieldSchema } from '@lianban/runtime';
import { api, type CaseAttachment, type CaseView } from '../api/index';
import { useLoad } from '../shell/index';
import { departmentLabel, formatTime } from './labels';
import { originLabel } from './provenance';

/** The counter intake facts of a case filed at the window (nothing for online cases). */
export function CounterFacts({ view }: { view: CaseView }) {
  if (view.channel !== 'window') return null;
  return (
    <Card title="窗口收件" className="lb-section-card" data-testid="counter-facts">
      <dl className="lb-kv">
        <dt>申请人</dt><dd>{view.onBehalfOf?.name}（{view.onBehalfOf?.idNumber}）{view.onBehalfOf?.phone}</dd>
        {view.agent ? <><dt>代办人</dt><dd>{view.agent.name}（{view.agent.relation}，{view.agent.idNumber}）</dd></> : null}
        <dt>受理人</dt><dd>{view.filedBy?.name ?? view.filedBy?.username}</dd>
      </dl>
    </Card>
  );
}

/** Every file of the case with who attached it and when, under the name of the material it is (the case's form names them). */
export function CaseFiles({ caseId, revision, schema }: { caseId: string; revision: number; schema?: FieldSchema }) {
  const files = useLoad(() => api.caseAttachments(caseId), [caseId, revision]);
  const names = materialNames(schema);
  return (
    <Card title="材料文件" className="lb-section-card" data-testid="case-files">
      <List<CaseAttachment> size="small" locale={{ emptyText: '暂无材料' }} dataSource={files.data ?? []} loading={files.loading} renderItem={(f) => (
        <List.Item>
          <span>
            {f.material && names[f.material] ? `${names[f.material]}：` : ''}
            <a href={api.attachmentUrl(f.fileId)} download>{f.name}</a>
            {originLabel(f) ? <div><Tag color={f.provenance ? 'green' : 'default'} style={{ whiteSpace: 'normal' }} data-testid="file-origin">{originLabel(f)}</Tag></div> : null}
          </span>
          <span className="lb-muted">{f.uploadedByName ?? f.uploadedBy ?? ''} · {formatTime(f.uploadedAt)}</span>
        </List.Item>
      )} />
    </Card>
  );
}

/** The staff's comments per task, oldest first. */
export function TaskComments({ view }: { view: CaseView }) {
  const comments = view.comments ?? [];
  if (!comments.length) return null;
  return (
    <Card title="办理意见" className="lb-section-card" data-testid="task-comments">
      <List size="small" dataSource={comments} renderItem={(c) => (
        <List.Item>
          <div>
            <div><Tag>{c.taskName}</Tag><strong>{c.authorName ?? c.author}</strong>（{departmentLabel(c.department)}） <span className="lb-muted">{formatTime(c.at)}</span></div>
            <p className="lb-comment-text">{c.text}</p>
            {c.attachments.length ? (
              <div>附件：{c.attachments.map((a) => <a key={a.fileId} href={api.attachmentUrl(a.fileId)} download style={{ marginRight: 8 }}>{a.name}</a>)}</div>
            ) : null}
          </div>
        </List.Item>
      )} />
    </Card>
  );
}
