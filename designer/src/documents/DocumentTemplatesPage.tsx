/**
 * `/designer/documents/:kind?` — 文书模板: the city's official documents (受理回执, 补正告知书,
 * 不予批准决定, 办结通知书 and notices of its own). The admin edits the title and the text (one
 * paragraph a line), inserts placeholders from the list, sees the PDF filled with an example case
 * (debounced live preview, `POST /admin/document-templates/:kind/preview`), and saves a new
 * version; documents already issued keep their text (docs/documents.md).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Button, Card, Col, Empty, Form, Input, List, message, Modal, Row, Space, Tag, Tooltip, Typography } from 'antd';
import type { TextAreaRef } from 'antd/es/input/TextArea';
import { useNavigate, useParams } from 'react-router-dom';
import type { DocumentTemplateInfo, DocumentTemplateList, DocumentTemplatePlaceholder } from '@lianban/runtime/contract';
import { api, errorText } from '../api/client';
import { formatTime } from '@lianban/runtime/web';

const PREVIEW_DELAY_MS = 600;
const ANY_PLACEHOLDER = /\{\{([^{}]{0,80})\}\}/g;

/** The text area's lines as paragraphs (empty lines dropped). */
const paragraphsOf = (body: string) => body.split('\n').map((l) => l.replace(/\s+$/, '')).filter((l) => l.trim());

/** Placeholders in the text that the server does not know. */
function unknownPlaceholders(text: string, known: DocumentTemplatePlaceholder[]): string[] {
  const names = new Set(known.map((p) => p.name));
  return [...new Set([...text.matchAll(ANY_PLACEHOLDER)].map((m) => m[1]!.trim()).filter((n) => !names.has(n)))];
}

/** The preview PDF of a template, as an object URL (revoked when replaced). */
function usePreview(kind: string | undefined, title: string, body: string) {
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  useEffect(() => {
    if (!kind || !title.trim()) return;
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      setLoading(true);
      void fetch(`/api/v1/admin/document-templates/${encodeURIComponent(kind)}/preview`, {
        method: 'POST', credentials: 'same-origin', signal: controller.signal,
        headers: { 'content-type': 'application/json', accept: 'application/pdf' },
        body: JSON.stringify({ template: { title: title.trim(), paragraphs: paragraphsOf(body) } }),
      }).then(async (res) => {
        if (!res.ok) {
          const answer = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
          throw new Error(answer?.error?.message ?? `预览失败（${res.status}）`);
        }
        const next = URL.createObjectURL(await res.blob());
        setUrl((old) => { if (old) URL.revokeObjectURL(old); return next; });
        setError(null);
      }).catch((e: unknown) => {
        if ((e as Error).name !== 'AbortError') setError(errorText(e));
      }).finally(() => setLoading(false));
    }, PREVIEW_DELAY_MS);
    return () => { window.clearTimeout(timer); controller.abort(); };
  }, [kind, title, body]);
  useEffect(() => () => { setUrl((old) => { if (old) URL.revokeObjectURL(old); return null; }); }, []);
  return { url, error, loading };
}

function NewKindModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (kind: string) => void }) {
  const [form] = Form.useForm<{ kind: string; title: string }>();
  const [saving, setSaving] = useState(false);
  const submit = async () => {
    // a refused field shows its own message; nothing to send
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    const { kind, title } = values;
    setSaving(true);
    try {
      await api.post('/admin/document-templates', {
        kind, title, paragraphs: ['{{applicantName}}：', `您于{{submittedDate}}提交的「{{matterTitle}}」申请（办件编号 {{caseNo}}）……`],
      });
      message.success(`已新增文书「${title}」`);
      form.resetFields();
      onCreated(kind);
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal open={open} title="新增文书" okText="新增" cancelText="取消" confirmLoading={saving} onOk={() => void submit()} onCancel={onClose} destroyOnHidden>
      <Form form={form} layout="vertical">
        <Form.Item name="title" label="文书标题" rules={[{ required: true, message: '请填写标题' }, { max: 60, message: '最多 60 个字' }]}>
          <Input placeholder="如：退休待遇核定通知" />
        </Form.Item>
        <Form.Item name="kind" label="类型标识" extra="小写字母、数字和连字符，以字母开头，如 pension-notice；保存后不能修改"
          rules={[{ required: true, message: '请填写类型标识' }, { pattern: /^[a-z][a-z0-9-]{1,39}$/, message: '格式不正确' }]}>
          <Input placeholder="pension-notice" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function DocumentTemplatesPage() {
  const { kind } = useParams();
  const navigate = useNavigate();
  const [list, setList] = useState<DocumentTemplateList | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [current, setCurrent] = useState<DocumentTemplateInfo | null>(null);
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [saving, setSaving] = useState(false);
  const [creating, setCreating] = useState(false);
  const textArea = useRef<TextAreaRef>(null);

  const reloadList = useCallback(async () => {
    try {
      setList(await api.get<DocumentTemplateList>('/admin/document-templates'));
      setLoadError(null);
    } catch (e) {
      setLoadError(errorText(e));
    }
  }, []);
  useEffect(() => { void reloadList(); }, [reloadList]);

  const selected = kind ?? list?.templates[0]?.kind;
  useEffect(() => {
    if (!selected) return;
    let live = true;
    api.get<DocumentTemplateInfo>(`/admin/document-templates/${encodeURIComponent(selected)}`).then((t) => {
      if (!live) return;
      setCurrent(t);
      setTitle(t.title);
      setBody(t.paragraphs.join('\n'));
    }).catch((e: unknown) => { if (live) setLoadError(errorText(e)); });
    return () => { live = false; };
  }, [selected]);

  const placeholders = useMemo(() => list?.placeholders ?? [], [list]);
  const unknown = useMemo(() => unknownPlaceholders(`${title}\n${body}`, placeholders), [title, body, placeholders]);
  const dirty = !!current && (title !== current.title || paragraphsOf(body).join('\n') !== current.paragraphs.join('\n'));
  const preview = usePreview(current?.kind, title, body);

  /** Inserts `{{name}}` at the cursor of the text. */
  const insert = (name: string) => {
    const el = textArea.current?.resizableTextArea?.textArea;
    const token = `{{${name}}}`;
    const start = el?.selectionStart ?? body.length;
    const end = el?.selectionEnd ?? body.length;
    setBody(body.slice(0, start) + token + body.slice(end));
    window.setTimeout(() => { el?.focus(); el?.setSelectionRange(start + token.length, start + token.length); }, 0);
  };

  const save = async () => {
    if (!current) return;
    setSaving(true);
    try {
      const saved = await api.put<DocumentTemplateInfo>(`/admin/document-templates/${encodeURIComponent(current.kind)}`, {
        title: title.trim(), paragraphs: paragraphsOf(body), baseVersion: current.version,
      });
      setCurrent(saved);
      message.success(saved.version === current.version ? '内容未变化' : `已保存为第 ${saved.version} 版；此后出具的文书使用新版本`);
      void reloadList();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <div>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={3}>文书模板</Typography.Title>
        <Button onClick={() => setCreating(true)}>新增文书</Button>
      </Space>
      {loadError && <Alert type="error" showIcon message={loadError} style={{ marginBottom: 12 }} />}
      <Row gutter={16}>
        <Col flex="220px">
          <Card size="small" title="文书">
            <List size="small" dataSource={list?.templates ?? []} renderItem={(t) => (
              <List.Item style={{ cursor: 'pointer', background: t.kind === selected ? '#e6f0ff' : undefined, paddingInline: 8 }}
                onClick={() => navigate(`/documents/${t.kind}`)} aria-current={t.kind === selected ? 'page' : undefined}>
                <Space direction="vertical" size={0}>
                  <Typography.Text strong={t.kind === selected}>{t.name}</Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t.kind} · 第 {t.version} 版{t.builtIn ? '' : ' · 本市新增'}</Typography.Text>
                </Space>
              </List.Item>
            )} />
          </Card>
        </Col>
        <Col flex="1" style={{ minWidth: 0 }}>
          {!current ? <Empty description="请选择文书" /> : (
            <Row gutter={16}>
              <Col span={12}>
                <Card size="small" title={<Space>编辑<Tag>第 {current.version} 版</Tag>{dirty && <Tag color="orange">未保存</Tag>}</Space>}
                  extra={<Button type="primary" loading={saving} disabled={!dirty || unknown.length > 0} onClick={() => void save()}>保存</Button>}>
                  <Form layout="vertical">
                    <Form.Item label="文书标题" htmlFor="doc-title">
                      <Input id="doc-title" value={title} maxLength={60} onChange={(e) => setTitle(e.target.value)} />
                    </Form.Item>
                    <Form.Item label="正文（每行一段；一行只有 {{items}} 或 {{corrections}} 时逐项编号列出）" htmlFor="doc-body">
                      <Input.TextArea id="doc-body" ref={textArea} value={body} onChange={(e) => setBody(e.target.value)} autoSize={{ minRows: 10, maxRows: 24 }} />
                    </Form.Item>
                  </Form>
                  {unknown.length > 0 && (
                    <Alert type="error" showIcon style={{ marginBottom: 12 }}
                      message={`未知的占位符：${unknown.map((n) => `{{${n}}}`).join('、')}`} description="请从下方列表插入可用的占位符；未知的占位符会原样印在文书上。" />
                  )}
                  <Typography.Text type="secondary">可用的占位符（点击插入到光标处）：</Typography.Text>
                  <div style={{ marginTop: 6 }} aria-label="占位符">
                    {placeholders.map((p) => (
                      <Tooltip key={p.name} title={`{{${p.name}}}`}>
                        <Tag color={p.list ? 'purple' : 'blue'} style={{ cursor: 'pointer', marginBottom: 6 }} onClick={() => insert(p.name)}>{p.label}</Tag>
                      </Tooltip>
                    ))}
                  </div>
                  <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0, fontSize: 12 }}>
                    历史版本：{current.versions.map((v) => `第 ${v.version} 版（${v.createdBy === 'templates/' ? '系统默认' : `${formatTime(v.createdAt)} ${v.createdBy}`}）`).join('；')}。已出具的文书不受修改影响。
                  </Typography.Paragraph>
                </Card>
              </Col>
              <Col span={12}>
                <Card size="small" title={<Space>预览（示例办件）{preview.loading && <Tag>生成中…</Tag>}</Space>}>
                  {preview.error && <Alert type="error" showIcon message={preview.error} style={{ marginBottom: 8 }} />}
                  {preview.url
                    ? <iframe title="文书预览" src={preview.url} style={{ width: '100%', height: 640, border: '1px solid #d9d9d9' }} />
                    : <Empty description="正在生成预览" />}
                </Card>
              </Col>
            </Row>
          )}
        </Col>
      </Row>
      <NewKindModal open={creating} onClose={() => setCreating(false)} onCreated={(k) => { setCreating(false); void reloadList(); navigate(`/documents/${k}`); }} />
    </div>
  );
}
