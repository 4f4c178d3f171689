/**
 * `/designer/templates` — 省级模板, the platform operator's page beside 城市管理 and 节假日安排
 * (docs/templates.md 「The operator」): every template with its newest version, when and by whom
 * it was published, its version history, whether its draft has unpublished changes and which city's
 * matter it was made from, and the cities' matters derived from it (`GET /platform/templates`).
 * 「从城市事项生成模板」 makes a new template's draft from a city's published matter; 「更新草稿」 does
 * the same for an existing template (its next version) — `POST /platform/templates/:key/from-city`.
 * 「发布新版本」 shows what the draft changes compared with the newest version (the diff's units, as
 * the cities' 「省级模板更新」 shows them) and publishes it (`POST /platform/templates`); the publish
 * checks' problems are listed one by one.
 */
import { useEffect, useState } from 'react';
import { Alert, Button, Empty, Form, Input, Layout, Modal, Select, Space, Spin, Table, Tag, Typography, message } from 'antd';
import type { CityMatterSummary, PublishProblem, TemplateDraftChanges, TemplateFromCityBody, TemplateOverview, TemplatePublished } from '@lianban/runtime/contract';
import { api, ApiError, errorText } from '../api/client';
import type { CitySummary } from '../api/types';
import { useList } from '../admin/useList';
import { changeLabel, KIND, Value } from '../matters/TemplateUpdatePanel';
import { OperatorHeader } from './OperatorHeader';
import { formatTime } from '@lianban/runtime/web';

/** A template's key: that of a matter (the server's rule). */
const KEY_PATTERN = /^[a-z][a-z0-9-]{1,59}$/;

const when = (iso: string | null) => (iso ? formatTime(iso) : '—');

interface FromCityValues { key: string; city: string; matter: string; title: string }

/** 「从城市事项生成模板」 (no `fixed`) or 「更新草稿」 of the template `fixed`; mounted afresh for each opening. */
function FromCityModal({ fixed, templates, cities, onClose, onDone }: {
  fixed: TemplateOverview | null;
  templates: TemplateOverview[];
  cities: CitySummary[];
  onClose(): void;
  onDone(t: TemplateOverview): void;
}) {
  const [form] = Form.useForm<FromCityValues>();
  const [matters, setMatters] = useState<CityMatterSummary[]>([]);
  const [loadingMatters, setLoadingMatters] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const pickCity = async (city: string) => {
    form.setFieldsValue({ matter: undefined as unknown as string });
    setMatters([]);
    setLoadingMatters(true);
    try {
      setMatters(await api.get<CityMatterSummary[]>(`/platform/cities/${city}/matters`));
      setError(null);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setLoadingMatters(false);
    }
  };

  const submit = async () => {
    // a refused field shows its message under it; nothing to send
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const key = fixed?.key ?? v.key.trim();
    setBusy(true);
    setError(null);
    try {
      const body: TemplateFromCityBody = { city: v.city, matter: v.matter, title: v.title.trim() };
      onDone(await api.post<TemplateOverview>(`/platform/templates/${key}/from-city`, body));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open title={fixed ? `更新草稿：${fixed.title}` : '从城市事项生成模板'} okText={fixed ? '更新草稿' : '生成模板草稿'} cancelText="取消"
      confirmLoading={busy} onOk={() => void submit()} onCancel={onClose} width={560}>
      <Typography.Paragraph type="secondary">
        复制该市事项最新发布版本的事项设置、表单和流程，作为模板{fixed ? '的下一版' : ''}草稿；城市自己的实施编码不复制。草稿检查通过后点「发布新版本」，各市才能看到。
      </Typography.Paragraph>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="from-city-error" />}
      <Form form={form} layout="vertical" requiredMark={false} initialValues={fixed ? { title: fixed.title } : {}}>
        {!fixed && (
          <Form.Item label="模板标识" name="key" extra="小写字母开头的 2–60 位小写字母、数字或连字符，如 retirement；各市派生的事项沿用此标识，发布后不能修改" rules={[
            { required: true, message: '请输入模板标识' },
            { pattern: KEY_PATTERN, message: '模板标识须为小写字母开头的 2–60 位小写字母、数字或连字符' },
            { validator: async (_, k: string | undefined) => { if (k && templates.some((t) => t.key === k.trim())) throw new Error(`模板「${k}」已存在：请在列表中点该模板的「更新草稿」`); } },
          ]}>
            <Input placeholder="retirement" maxLength={60} />
          </Form.Item>
        )}
        <Form.Item label="城市" name="city" rules={[{ required: true, message: '请选择城市' }]}>
          <Select aria-label="城市" placeholder="选择城市" onChange={(c: string) => void pickCity(c)}
            options={cities.map((c) => ({ value: c.key, label: `${c.name}（${c.key}）` }))} />
        </Form.Item>
        <Form.Item label="已发布的事项" name="matter" rules={[{ required: true, message: '请选择该市已发布的事项' }]}
          extra={!loadingMatters && form.getFieldValue('city') && !matters.length ? '该市还没有已发布的事项' : undefined}>
          <Select aria-label="已发布的事项" placeholder="选择事项" loading={loadingMatters} notFoundContent={loadingMatters ? <Spin size="small" /> : '该市还没有已发布的事项'}
            onChange={(k: string) => { const m = matters.find((x) => x.key === k); if (m && !fixed) form.setFieldsValue({ title: m.title }); }}
            options={matters.map((m) => ({ value: m.key, label: `${m.title}（${m.key}，第 ${m.version} 版${m.template ? `，派生自模板 ${m.template.key}` : ''}）` }))} />
        </Form.Item>
        <Form.Item label="模板名称" name="title" rules={[{ required: true, whitespace: true, message: '请输入模板名称' }, { max: 120, message: '模板名称最多 120 个字' }]}>
          <Input placeholder="默认为事项名称" maxLength={120} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 「发布新版本」: the draft's changes against the newest version, then publish; the checks' problems one by one. Mounted afresh for each opening. */
function PublishModal({ template, onClose, onPublished }: { template: TemplateOverview; onClose(): void; onPublished(p: TemplatePublished): void }) {
  const [changes, setChanges] = useState<TemplateDraftChanges | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [problems, setProblems] = useState<PublishProblem[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    api.get<TemplateDraftChanges>(`/platform/templates/${template.key}/draft-changes`)
      .then((c) => { if (live) setChanges(c); })
      .catch((e: unknown) => { if (live) setLoadError(errorText(e)); });
    return () => { live = false; };
  }, [template.key]);

  const publish = async () => {
    setBusy(true);
    setError(null);
    setProblems([]);
    try {
      onPublished(await api.post<TemplatePublished>('/platform/templates', { key: template.key }));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : errorText(e));
      if (e instanceof ApiError) setProblems(e.problems);
    } finally {
      setBusy(false);
    }
  };

  const next = (template.version ?? 0) + 1;
  // the server refuses a version the same as the newest (409 nothing-to-publish)
  const same = !template.draftChanged && changes?.version !== null && changes?.changes.length === 0;
  return (
    <Modal open title={`发布「${template.title}」第 ${next} 版`} width={900} onCancel={onClose}
      footer={[
        <Button key="cancel" onClick={onClose}>取消</Button>,
        <Button key="publish" type="primary" loading={busy} disabled={(!changes && !loadError) || same} onClick={() => void publish()}>发布第 {next} 版</Button>,
      ]}>
      {error && (
        <Alert type="error" showIcon style={{ marginBottom: 12 }} data-testid="template-publish-problems" message={error}
          description={problems.length > 0 && (
            <ol style={{ margin: 0, paddingLeft: 20 }}>
              {problems.map((p, i) => (
                <li key={i}>
                  {p.message}
                  {p.element && <Typography.Text type="secondary">（流程环节 {p.element}）</Typography.Text>}
                  {p.field && <Typography.Text type="secondary">（{p.field}）</Typography.Text>}
                </li>
              ))}
            </ol>
          )} />
      )}
      {problems.length > 0 && (
        <Typography.Paragraph type="secondary">模板草稿来自城市的已发布事项：请该市修改事项并发布后，点「更新草稿」重新生成，再发布。</Typography.Paragraph>
      )}
      {loadError && <Alert type="warning" showIcon message={`无法比较修改：${loadError}`} style={{ marginBottom: 12 }} />}
      {!changes && !loadError && <Spin tip="正在比较…"><div style={{ height: 80 }} /></Spin>}
      {changes && changes.version === null && <Alert type="info" showIcon message="这是模板的第一个版本：发布后各市即可从模板派生事项。" />}
      {changes && changes.version !== null && (
        <>
          <Typography.Paragraph>
            与第 {changes.version} 版相比，草稿有 <Typography.Text strong data-testid="draft-change-count">{changes.changes.length}</Typography.Text> 处修改。发布后，从模板派生的城市会在「省级模板更新」中逐项选择是否采用。
          </Typography.Paragraph>
          {changes.changes.length === 0
            ? <Alert type="warning" showIcon message={same ? '草稿与最新版本相同，无需发布：先「更新草稿」或修改草稿，再发布。' : '草稿与最新版本没有可逐项采用的修改：发布后各市会看到新版本，但没有需要采用的内容。'} />
            : (
              <Table size="small" rowKey="id" pagination={changes.changes.length > 50 ? { pageSize: 50 } : false} dataSource={changes.changes} data-testid="draft-changes"
                scroll={{ y: 420 }} columns={[
                  { title: '修改', key: 'what', render: (_, c) => <Space size={4}><Tag color={KIND[c.kind].color}>{KIND[c.kind].text}</Tag><span>{changeLabel(c)}</span></Space> },
                  { title: `第 ${changes.version} 版`, key: 'base', width: 240, render: (_, c) => <Value value={c.base} absent="（无）" /> },
                  { title: '草稿', key: 'theirs', width: 240, render: (_, c) => <Value value={c.theirs} absent="（删除）" /> },
                ]} />
            )}
        </>
      )}
    </Modal>
  );
}

export function TemplatesPage() {
  const templates = useList<TemplateOverview>('/platform/templates');
  const cities = useList<CitySummary>('/platform/cities');
  const [fromCity, setFromCity] = useState<{ fixed: TemplateOverview | null } | null>(null);
  const [publishing, setPublishing] = useState<TemplateOverview | null>(null);
  const cityName = (key: string) => cities.data.find((c) => c.key === key)?.name ?? key;

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <OperatorHeader current="/templates" />
      <Layout.Content style={{ padding: 24 }}>
        <Typography.Title level={3}>省级模板</Typography.Title>
        <Space style={{ marginBottom: 12 }} wrap>
          <Button type="primary" onClick={() => setFromCity({ fixed: null })}>从城市事项生成模板</Button>
          <Typography.Text type="secondary">模板发布后，各市在「事项」中从模板派生本市事项；模板发布新版本时，各市逐项选择是否采用修改。</Typography.Text>
        </Space>
        {(templates.error || cities.error) && <Alert type="error" showIcon message={templates.error ?? cities.error} style={{ marginBottom: 12 }} />}
        <Table<TemplateOverview> rowKey="key" loading={templates.loading} dataSource={templates.data} pagination={false} size="middle" data-testid="templates"
          locale={{ emptyText: <Empty description="还没有省级模板：点「从城市事项生成模板」" /> }}
          expandable={{
            rowExpandable: (t) => t.versions.length > 0,
            expandedRowRender: (t) => (
              <Table size="small" rowKey="version" pagination={false} dataSource={t.versions} style={{ maxWidth: 560 }} columns={[
                { title: '版本', dataIndex: 'version', render: (v: number) => `第 ${v} 版` },
                { title: '发布时间', dataIndex: 'publishedAt', render: when },
                { title: '发布人', dataIndex: 'publishedBy' },
              ]} />
            ),
          }}
          columns={[
            { title: '模板', key: 'title', render: (_, t) => <Space direction="vertical" size={0}><span>{t.title}</span><Typography.Text code>{t.key}</Typography.Text></Space> },
            { title: '最新版本', key: 'version', render: (_, t) => (t.version === null ? <Tag>未发布</Tag> : <span data-testid={`template-version-${t.key}`}>第 {t.version} 版</span>) },
            { title: '发布时间', key: 'publishedAt', render: (_, t) => (t.version === null ? '—' : <Space direction="vertical" size={0}><span>{when(t.publishedAt)}</span><Typography.Text type="secondary">{t.publishedBy}</Typography.Text></Space>) },
            { title: '草稿', key: 'draft', render: (_, t) => (
              <Space direction="vertical" size={0}>
                {t.draftChanged ? <Tag color="orange">有未发布的修改</Tag> : <Tag color="green">与最新版本一致</Tag>}
                {t.source && <Typography.Text type="secondary">来自{cityName(t.source.city)} {t.source.matter} 第 {t.source.version} 版（{when(t.source.at)}）</Typography.Text>}
              </Space>
            ) },
            { title: '派生的城市事项', key: 'derived', render: (_, t) => (t.derived.length === 0
              ? <Typography.Text type="secondary">暂无</Typography.Text>
              : <Space direction="vertical" size={0}>{t.derived.map((d) => (
                <span key={`${d.city}/${d.matter}`}>
                  {cityName(d.city)} · {d.matter} <Typography.Text type={t.version !== null && d.version < t.version ? 'warning' : 'secondary'}>已合并第 {d.version} 版</Typography.Text>
                </span>
              ))}</Space>) },
            { title: '操作', key: 'actions', render: (_, t) => (
              <Space wrap>
                <Button size="small" onClick={() => setFromCity({ fixed: t })} aria-label={`更新草稿：${t.title}`}>更新草稿</Button>
                <Button size="small" type={t.draftChanged ? 'primary' : 'default'} onClick={() => setPublishing(t)} aria-label={`发布新版本：${t.title}`}>发布新版本</Button>
              </Space>
            ) },
          ]} />
      </Layout.Content>

      {fromCity && <FromCityModal fixed={fromCity.fixed} templates={templates.data} cities={cities.data}
        onClose={() => setFromCity(null)}
        onDone={(t) => {
          setFromCity(null);
          void message.success(`已生成「${t.title}」的草稿${t.version === null ? '' : `（第 ${t.version + 1} 版）`}，检查修改后点「发布新版本」`);
          void templates.reload();
        }} />}
      {publishing && <PublishModal template={publishing} onClose={() => setPublishing(null)}
        onPublished={(p) => {
          setPublishing(null);
          void message.success(`已发布「${p.key}」第 ${p.version} 版，各市可以派生或更新`);
          void templates.reload();
        }} />}
    </Layout>
  );
}
