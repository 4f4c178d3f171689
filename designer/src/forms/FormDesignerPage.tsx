/**
 * `/designer/forms/:key` — the form designer: palette (the runtime's field types) → canvas
 * (sections and the 4-column grid, drag to place and reorder) → property panel (properties and
 * rules); live preview with the real FormRenderer; JSON view with import/export; undo/redo;
 * save draft with the schema checker's problems. The edits live in FormDocument (./model).
 * `?field=<key>` selects a field (links from the matter editor and publish problems).
 */
import { Component, useEffect, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { useParams, useSearchParams } from 'react-router-dom';
import { DndContext, DragOverlay, PointerSensor, pointerWithin, useSensor, useSensors, type CollisionDetection, type DragEndEvent } from '@dnd-kit/core';
import { Alert, Button, Empty, Input, Space, Spin, Tabs, Tag, Typography, message } from 'antd';
import { fieldType, orderedProperties, type FormSchema } from '@lianban/runtime';
import { FormRenderer } from '@lianban/runtime/web';
import { api, ApiError, errorText } from '../api/client';
import type { FormDoc } from '../api/types';
import { FormDocument, childrenOf, findByKey, nodeAt, type NodePath } from './model/form-document';
import { ruleFields } from './model/rules';
import { Palette } from './components/Palette';
import { Container, pathId } from './components/Canvas';
import { PropertyPanel } from './components/PropertyPanel';
import './form-designer.css';

/** Deepest drop target under the pointer: a field inside a section wins over the section. */
const deepestUnderPointer: CollisionDetection = (args) => {
  const hits = pointerWithin(args);
  const depth = (id: string) => (id.startsWith('container:') ? (id.length > 10 ? id.slice(10).split('/').length : 0) + 0.5 : id.split('/').length);
  return [...hits].sort((a, b) => depth(String(b.id)) - depth(String(a.id))).slice(0, 1);
};

class PreviewBoundary extends Component<{ children: ReactNode }, { error: string | null }> {
  override state = { error: null as string | null };
  static getDerivedStateFromError(e: Error) { return { error: e.message }; }
  override render() { return this.state.error ? <Alert type="error" showIcon message={`预览失败：${this.state.error}`} /> : this.props.children; }
}

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  a.click();
  URL.revokeObjectURL(url);
}

export function FormDesignerPage() {
  const { key = '' } = useParams();
  const [params] = useSearchParams();
  const [loaded, setLoaded] = useState<{ doc: FormDocument; title: string; versions: FormDoc['versions'] } | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api.get<FormDoc>(`/admin/forms/${key}`).then(
      (f) => live && setLoaded({ doc: new FormDocument(f.draft.schema), title: f.title, versions: f.versions }),
      (e) => {
        if (!live) return;
        if (e instanceof ApiError && e.status === 404) setLoaded({ doc: new FormDocument({ type: 'object', title: '新表单', 'x-form': { id: key, version: 1 }, properties: {} }), title: '新表单', versions: [] });
        else setLoadError(errorText(e));
      },
    );
    return () => { live = false; };
  }, [key]);
  if (loadError) return <Alert type="error" showIcon message={`表单加载失败：${loadError}`} />;
  if (!loaded) return <Spin style={{ margin: 48 }} />;
  return <Designer formKey={key} doc={loaded.doc} initialTitle={loaded.title} published={loaded.versions.at(-1)?.version} focusField={params.get('field')} />;
}

function Designer({ formKey, doc, initialTitle, published, focusField }: { formKey: string; doc: FormDocument; initialTitle: string; published?: number; focusField: string | null }) {
  const schema = useSyncExternalStore((l) => doc.subscribe(l), () => doc.schema);
  const [title, setTitle] = useState(initialTitle);
  const [selected, setSelected] = useState<NodePath | null>(() => (focusField ? findByKey(doc.schema, focusField) : null));
  const [tab, setTab] = useState('design');
  const [json, setJson] = useState('');
  const [busy, setBusy] = useState(false);
  const [dragging, setDragging] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 5 } }));
  const problems = useMemo(() => doc.problems(), [doc, schema]);
  const problemPaths = useMemo(() => new Set(problems.map((p) => pathId(p.path))), [problems]);
  const fields = useMemo(() => ruleFields(schema), [schema]);
  const node = selected ? nodeAt(schema, selected) : undefined;

  useEffect(() => {
    if (focusField && selected) document.querySelector(`[data-path="${pathId(selected)}"]`)?.scrollIntoView({ block: 'center' });
    // Only for the field named in the address, once.
  }, []);
  useEffect(() => { if (tab === 'json') setJson(JSON.stringify(schema, null, 2)); }, [tab, schema]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || (e.target as HTMLElement).closest('input, textarea')) return;
      if (e.key === 'z' && !e.shiftKey) { e.preventDefault(); doc.undo(); }
      if (e.key === 'y' || (e.key === 'z' && e.shiftKey)) { e.preventDefault(); doc.redo(); }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [doc]);

  const fail = (e: unknown) => message.error(errorText(e));
  /** Where a new or moved field goes: the selected container, or next to the selected field. */
  const addTarget = (): NodePath => {
    if (!selected || !node) return [];
    return fieldType(node['x-field-type'])?.container ? selected : selected.slice(0, -1);
  };
  const add = (type: string, parent = addTarget(), index?: number) => {
    try { setSelected(doc.add(type, parent, index)); } catch (e) { fail(e); }
  };
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    setDragging(null);
    if (!over) return;
    const overId = String(over.id);
    let parent: NodePath;
    let index: number;
    if (overId.startsWith('container:')) {
      parent = overId.length > 10 ? overId.slice(10).split('/') : [];
      index = Object.keys(childrenOf(nodeAt(schema, parent)!) ?? {}).length;
    } else {
      const overPath = overId.split('/');
      parent = overPath.slice(0, -1);
      index = orderedProperties(childrenOf(nodeAt(schema, parent)!)).findIndex(([k]) => k === overPath.at(-1));
    }
    const activeId = String(active.id);
    if (activeId.startsWith('palette:')) { add(activeId.slice(8), parent, index); return; }
    if (activeId === overId) return;
    try { setSelected(doc.move(activeId.split('/'), parent, index)); } catch (e) { fail(e); }
  };
  const save = async () => {
    setBusy(true);
    try {
      await api.put(`/admin/forms/${formKey}`, { title, schema });
      if (problems.length) message.warning(`草稿已保存；还有 ${problems.length} 个问题，发布前需修改`);
      else message.success('草稿已保存（随事项一起发布）');
    } catch (e) { fail(e); } finally { setBusy(false); }
  };
  const applyJson = (text: string) => {
    try { doc.replace(JSON.parse(text) as FormSchema); setSelected(null); message.success('已应用 JSON'); } catch (e) { message.error(`JSON 无法应用：${(e as Error).message}`); }
  };

  return (
    <div className="lb-fd">
      <Space className="lb-fd-toolbar" wrap>
        <Input aria-label="表单名称" value={title} onChange={(e) => setTitle(e.target.value)} style={{ width: 380 }} />
        <Typography.Text code>{formKey}</Typography.Text>
        {published ? <Tag color="green">已发布第 {published} 版</Tag> : <Tag>未发布</Tag>}
        <Button onClick={() => doc.undo()} disabled={!doc.canUndo}>撤销</Button>
        <Button onClick={() => doc.redo()} disabled={!doc.canRedo}>重做</Button>
        <Button onClick={() => fileInput.current?.click()}>导入 JSON</Button>
        <Button onClick={() => download(`${formKey}.json`, JSON.stringify(schema, null, 2))}>导出 JSON</Button>
        <Button type="primary" loading={busy} onClick={() => void save()}>保存草稿</Button>
        <Tag color={problems.length ? 'error' : 'success'} data-testid="form-problems-summary">{problems.length ? `${problems.length} 个问题` : '检查通过'}</Tag>
        <input ref={fileInput} type="file" accept=".json,application/json" hidden
          onChange={(e) => { const f = e.target.files?.[0]; if (f) void f.text().then(applyJson); e.target.value = ''; }} />
      </Space>
      {problems.length > 0 && (
        <Alert type="warning" showIcon style={{ marginBottom: 8 }} message="表单检查发现问题（点击定位到字段）" description={(
          <ul style={{ margin: 0, paddingLeft: 18 }}>
            {problems.slice(0, 8).map((p, i) => <li key={i}><Typography.Link onClick={() => { setTab('design'); setSelected(p.path.length ? p.path : null); }}>{p.path.join(' › ') || '表单'}：{p.message}</Typography.Link></li>)}
          </ul>
        )} />
      )}
      <Tabs activeKey={tab} onChange={setTab} items={[
        { key: 'design', label: '设计', children: (
          <DndContext sensors={sensors} collisionDetection={deepestUnderPointer} onDragStart={({ active }) => setDragging(String(active.id))} onDragEnd={onDragEnd} onDragCancel={() => setDragging(null)}>
            <div className="lb-fd-body">
              <Palette onAdd={(t) => add(t)} />
              <div className="lb-fd-canvas" onClick={() => setSelected(null)} data-testid="form-canvas">
                <Typography.Title level={4} className="lb-fd-form-title">{schema.title}</Typography.Title>
                <Container path={[]} node={schema} selected={selected} problemPaths={problemPaths} onSelect={setSelected} />
              </div>
              <div className="lb-fd-side">
                {node && selected
                  ? <PropertyPanel key={pathId(selected)} doc={doc} path={selected} node={node} fields={fields} onPath={setSelected} onError={(m) => message.error(m)} />
                  : <Empty description="选择一个字段以编辑属性；点击左侧字段类型添加到表单" />}
              </div>
            </div>
            <DragOverlay>{dragging ? <div className="lb-fd-drag">{dragging.startsWith('palette:') ? fieldType(dragging.slice(8))?.label : dragging.split('/').at(-1)}</div> : null}</DragOverlay>
          </DndContext>
        ) },
        { key: 'preview', label: '预览', children: (
          <div className="lb-fd-preview" data-testid="form-preview">
            <PreviewBoundary key={JSON.stringify(schema).length}><FormRenderer schema={schema} /></PreviewBoundary>
          </div>
        ) },
        { key: 'json', label: 'JSON', children: (
          <div>
            <Input.TextArea aria-label="表单 JSON" value={json} onChange={(e) => setJson(e.target.value)} autoSize={{ minRows: 16, maxRows: 40 }} style={{ fontFamily: 'monospace', fontSize: 12 }} />
            <Button type="primary" style={{ marginTop: 8 }} onClick={() => applyJson(json)}>应用 JSON</Button>
          </div>
        ) },
      ]} />
    </div>
  );
}
