/**
 * 添加办理意见: a remark (and scanned files, attached to the case first) on one's task without
 * completing it. The server keeps it on the case, in the timeline and the audit.
 */
import { useState } from 'react';
import { App as AntApp, Button, Card, Input, Space, Upload } from 'antd';
import { api, ApiError, type Task } from '../api/index';

export function TaskCommentBox({ task, onAdded }: { task: Task; onAdded(): void }) {
  const { message } = AntApp.useApp();
  const [text, setText] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [busy, setBusy] = useState(false);
  const add = async () => {
    if (!text.trim()) { void message.error('请填写意见内容'); return; }
    setBusy(true);
    try {
      const ids: string[] = [];
      for (const f of files.slice(0, 20)) ids.push((await api.upload(task.caseId, f, 'staff-scan')).fileId);
      await api.commentTask(task.id, { text, attachments: ids });
      setText('');
      setFiles([]);
      void message.success('意见已添加');
      onAdded();
    } catch (e) {
      void message.error(e instanceof ApiError ? e.message : String(e));
    } finally { setBusy(false); }
  };
  return (
    <Card title="添加办理意见（不办结）" className="lb-section-card" data-testid="comment-box">
      <label htmlFor="lb-task-comment" className="lb-label-block">意见</label>
      <Input.TextArea id="lb-task-comment" value={text} onChange={(e) => setText(e.target.value)} maxLength={2000} showCount autoSize={{ minRows: 2, maxRows: 6 }} />
      {/* below the count that antd places under the box (on a phone the buttons sat over it) */}
      <Space wrap style={{ marginTop: 28 }}>
        <Upload showUploadList={false} multiple accept=".pdf,.png,.jpg,.jpeg" beforeUpload={(f) => { setFiles((x) => [...x, f]); return false; }}>
          <Button aria-label="选择附件（扫描件）">选择附件（扫描件）</Button>
        </Upload>
        {files.map((f, i) => <span key={i} className="lb-file">{f.name}</span>)}
        <Button type="primary" loading={busy} onClick={() => void add()}>添加意见</Button>
      </Space>
    </Card>
  );
}
