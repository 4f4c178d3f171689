/**
 * `/designer/matters/:key` — the matter editor: binds application forms, the flow and the
 * linked items (department, materials, opt-in field); the "添加关联事项" wizard; save draft and
 * publish with problems that take the administrator to the flow element or form field.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { Alert, Button, Card, Input, Select, Space, Spin, Tag, Typography, message } from 'antd';
import { api, ApiError, errorText, type PublishProblem } from '../api/client';
import type { Department, DefinitionSummary, FlowDoc, FormDoc, MatterDoc, MatterDraft } from '../api/types';
import { FlowModeler, type LianbanModelerApi } from '../modeler';
import { ProblemsList } from '../common/ProblemsList';
import { LinkedItemWizard } from './LinkedItemWizard';
import { LinkedItemsTable } from './LinkedItemsTable';
import { MatterContactFields } from './MatterContactFields';
import { MatterTimeLimitFields } from './MatterTimeLimitFields';
import { MatterAuthLevelField } from './MatterAuthLevelField';
import { MatterCodesField } from './MatterCodesField';
import { taskFormKeys } from '@lianban/runtime';
import { WizardResult, type AddedItem } from './WizardResult';
import { MigrationPanel, MIGRATION_PANEL_ID } from './MigrationPanel';
import { TemplateUpdatePanel } from './TemplateUpdatePanel';
import type { RunningByVersion } from '@lianban/runtime/contract';
import { formFieldsOf } from './model/fields';
import { addLinkedItem, addOptInField, type NewLinkedItem } from './model/linked-item';
import { addLinkedItemBranch, revealElement } from './model/flow-branch';

declare global {
  interface Window { __lianbanMatterModeler?: LianbanModelerApi }
}

interface Loaded { title: string; draft: MatterDraft; versions: MatterDoc['versions']; template?: MatterDoc['template']; forms: FormDoc[]; flow: FlowDoc; departments: Department[]; allForms: DefinitionSummary[] }

async function loadMatter(key: string): Promise<Loaded> {
  const matter = await api.get<MatterDoc>(`/admin/matters/${key}`);
  const [forms, flow, departments, allForms] = await Promise.all([
    Promise.all(matter.draft.forms.map((f) => api.get<FormDoc>(`/admin/forms/${f.key}`))),
    api.get<FlowDoc>(`/admin/flows/${matter.draft.flow}`),
    api.get<Department[]>('/admin/departments'),
    api.get<DefinitionSummary[]>('/admin/forms'),
  ]);
  return { title: matter.title, draft: matter.draft, versions: matter.versions, template: matter.template, forms, flow, departments, allForms };
}

export function MatterEditorPage() {
  const { key = '' } = useParams();
  const navigate = useNavigate();
  const [data, setData] = useState<Loaded | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [modeler, setModeler] = useState<LianbanModelerApi | null>(null);
  const [wizardOpen, setWizardOpen] = useState(false);
  const [added, setAdded] = useState<AddedItem | null>(null);
  const [problems, setProblems] = useState<PublishProblem[]>([]);
  const [busy, setBusy] = useState<'save' | 'publish' | null>(null);
  const [highlight, setHighlight] = useState<string | null>(null);
  const flowCard = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let live = true;
    loadMatter(key).then((d) => live && setData(d), (e) => live && setLoadError(errorText(e)));
    return () => { live = false; };
  }, [key]);
  // Select the new step once React has committed the new forms (their fields reach the modeler
  // first, which re-renders the properties panel), so the panel shows the step, not the process.
  useEffect(() => {
    if (!added || !modeler) return;
    revealElement(modeler.modeler, added.taskId);
    flowCard.current?.scrollIntoView({ block: 'start' });
  }, [added, modeler]);
  const fields = useMemo(() => formFieldsOf(data?.forms.map((f) => f.draft.schema) ?? []), [data?.forms]);
  // the forms an applicant applies with (a task's form carries no opt-in), by the flow as loaded
  const applicationFormDocs = useMemo(() => {
    if (!data) return [];
    const taskOnly = taskFormKeys(data.flow.draft.xml);
    return data.forms.filter((f) => !taskOnly.has(f.key));
  }, [data]);

  if (loadError) return <Alert type="error" showIcon message={`事项加载失败：${loadError}`} />;
  if (!data) return <Spin style={{ margin: 48 }} />;
  const { draft } = data;
  const setDraft = (d: MatterDraft) => setData({ ...data, draft: d });
  const latest = data.versions.at(-1)?.version;

  /** Saves the matter, its flow (from the modeler) and, when given, changed forms as drafts. */
  const saveAll = async (state: Loaded, forms: FormDoc[] = []) => {
    for (const f of forms) await api.put(`/admin/forms/${f.key}`, { title: f.title, schema: f.draft.schema });
    if (modeler) await api.put(`/admin/flows/${state.draft.flow}`, { title: state.flow.title, xml: await modeler.getXML() });
    await api.put(`/admin/matters/${key}`, { title: state.title, forms: state.draft.forms, flow: state.draft.flow, linkedItems: state.draft.linkedItems, ...(state.draft.contact ? { contact: state.draft.contact } : {}), ...(state.draft.timeLimit ? { timeLimit: state.draft.timeLimit } : {}), ...(state.draft.minAuthLevel ? { minAuthLevel: state.draft.minAuthLevel } : {}), ...(state.draft.implCode ? { implCode: state.draft.implCode } : {}), ...(state.draft.shortCode ? { shortCode: state.draft.shortCode } : {}) });
  };
  const save = async () => {
    setBusy('save');
    try {
      await saveAll(data);
      message.success('草稿已保存');
    } catch (e) {
      message.error(`保存失败：${errorText(e)}`);
    } finally {
      setBusy(null);
    }
  };
  const publish = async () => {
    setBusy('publish');
    setProblems([]);
    try {
      await saveAll(data);
      const { version } = await api.post<{ version: number }>(`/admin/matters/${key}/publish`);
      setData({ ...data, versions: [...data.versions, { version, publishedAt: new Date().toISOString() }] });
      // Publish-time impact: how many cases still run on the older versions, with the way to their preview.
      const running = await api.get<RunningByVersion>(`/admin/matters/${key}/running`).catch(() => null);
      const old = running?.versions.filter((v) => v.version < version).reduce((n, v) => n + v.running, 0) ?? 0;
      message.success(old
        ? <span>已发布第 {version} 版。原版本尚有 {old} 件运行中的办件，仍按原版本办理；<a href={`#${MIGRATION_PANEL_ID}`}>预览迁移到新版本</a></span>
        : `已发布第 ${version} 版。新提交的办件按新版本办理，已在办的办件仍按原版本办理。`, old ? 10 : undefined);
    } catch (e) {
      if (e instanceof ApiError && e.problems.length) setProblems(e.problems);
      else message.error(`发布失败：${errorText(e)}`);
    } finally {
      setBusy(null);
    }
  };

  const addItem = async (item: NewLinkedItem) => {
    if (!modeler) throw new Error('流程图尚未加载完成，请稍候再试');
    // The opt-in goes on the application forms only: a task's form (a result sheet, 附件5) is filled during handling.
    const taskOnly = taskFormKeys(await modeler.getXML());
    const formResults = data.forms.filter((f) => !taskOnly.has(f.key)).map((f) => ({ form: f, result: addOptInField(f.draft.schema, item) }));
    const branch = addLinkedItemBranch(modeler.modeler, { itemKey: item.key, title: item.title, department: item.department, fieldKey: formResults[0]?.result.fieldKey ?? item.key });
    const changed = formResults.map(({ form, result }) => ({ ...form, draft: { ...form.draft, schema: result.schema } }));
    const forms = data.forms.map((f) => changed.find((c) => c.key === f.key) ?? f);
    const next: Loaded = { ...data, forms, draft: addLinkedItem(draft, item) };
    try {
      await saveAll(next, changed);
    } catch (e) {
      throw new Error(`已添加，但保存草稿失败：${errorText(e)}`, { cause: e });
    }
    setData(next);
    setWizardOpen(false);
    setAdded({ item, taskId: branch.taskId, forms: formResults.map(({ form, result }) => ({ key: form.key, title: form.title, fieldKey: result.fieldKey, path: result.path, schema: result.schema })) });
  };

  const openProblem = (p: PublishProblem) => {
    if (p.element && modeler && revealElement(modeler.modeler, p.element)) { flowCard.current?.scrollIntoView({ block: 'start' }); return; }
    const field = p.field ?? '';
    const item = /^linkedItems\.([^.]+)/.exec(field)?.[1];
    if (item) { setHighlight(item); document.querySelector(`[data-row-key="${item}"]`)?.scrollIntoView({ block: 'center' }); return; }
    // 承诺时限 (docs/deadlines.md): the fields in 基本信息
    if (field.startsWith('timeLimit')) { document.querySelector('[data-testid="matter-time-limit-fields"]')?.scrollIntoView({ block: 'center' }); return; }
    const formRef = /^forms\.(.+)$/.exec(field)?.[1];
    if (formRef) { navigate(`/forms/${formRef}`); return; }
    const form = data.forms.find((f) => fieldsIn(f).has(field)) ?? data.forms[0];
    if (form) navigate(`/forms/${form.key}?field=${encodeURIComponent(field)}`);
  };

  return (
    <div>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <Space>
          <Typography.Title level={3} style={{ margin: 0 }}>{data.title}</Typography.Title>
          {latest ? <Tag color="green">已发布第 {latest} 版</Tag> : <Tag>未发布</Tag>}
        </Space>
        <Space>
          <Button onClick={() => setWizardOpen(true)} disabled={!modeler}>添加关联事项</Button>
          <Button onClick={() => void save()} loading={busy === 'save'}>保存草稿</Button>
          <Button type="primary" onClick={() => void publish()} loading={busy === 'publish'}>发布</Button>
        </Space>
      </Space>
      <ProblemsList problems={problems} onOpen={openProblem} onClose={() => setProblems([])} />
      {added && <WizardResult added={added} onClose={() => setAdded(null)} onShowTask={() => modeler && revealElement(modeler.modeler, added.taskId)} />}
      <MigrationPanel matterKey={key} latest={latest} reload={data.versions.length} />
      {data.template && <TemplateUpdatePanel matterKey={key} onMerged={() => window.location.reload()} />}
      <Card size="small" title="基本信息" style={{ marginBottom: 12 }}>
        <Space wrap>
          <span>事项名称 <Input value={data.title} style={{ width: 360 }} onChange={(e) => setData({ ...data, title: e.target.value })} /></span>
          <span>申请表 <Select mode="multiple" aria-label="申请表" style={{ minWidth: 360 }} value={draft.forms.map((f) => f.key)}
            options={data.allForms.map((f) => ({ value: f.key, label: f.title }))}
            onChange={(keys: string[]) => setDraft({ ...draft, forms: keys.map((k) => draft.forms.find((f) => f.key === k) ?? { key: k }) })} /></span>
          <span>流程 <Link to={`/flows/${draft.flow}`}>{data.flow.title}</Link></span>
        </Space>
        <div style={{ marginTop: 8 }}>
          {data.forms.map((f) => <Link key={f.key} to={`/forms/${f.key}`} style={{ marginRight: 16 }}>设计表单：{f.title}</Link>)}
        </div>
        <MatterContactFields contact={draft.contact} onChange={(contact) => setDraft({ ...draft, contact })} />
        <MatterTimeLimitFields timeLimit={draft.timeLimit} onChange={(timeLimit) => setDraft({ ...draft, timeLimit })} />
        <MatterAuthLevelField value={draft.minAuthLevel} onChange={(minAuthLevel) => setDraft({ ...draft, minAuthLevel })} />
        <MatterCodesField implCode={draft.implCode} shortCode={draft.shortCode} onChange={(codes) => setDraft({ ...draft, ...codes })} />
      </Card>
      <Card size="small" title="关联事项" style={{ marginBottom: 12 }}>
        <LinkedItemsTable draft={draft} forms={applicationFormDocs} departments={data.departments} highlight={highlight} onChange={setDraft} />
      </Card>
      <div ref={flowCard}>
        <Card size="small" title={`流程：${data.flow.title}`} styles={{ body: { padding: 0, display: 'flex', height: 560 } }}>
          <FlowModeler xml={data.flow.draft.xml} departments={data.departments} fields={fields}
            onReady={(a) => { window.__lianbanMatterModeler = a; setModeler(a); }} onError={(e) => setLoadError(e.message)} />
        </Card>
      </div>
      <LinkedItemWizard open={wizardOpen} draft={draft} departments={data.departments}
        onDepartmentCreated={(d) => setData({ ...data, departments: [...data.departments, d] })}
        onCancel={() => setWizardOpen(false)} onFinish={addItem} />
    </div>
  );
}

function fieldsIn(form: FormDoc): Set<string> {
  return new Set(formFieldsOf([form.draft.schema]).map((f) => f.key));
}
