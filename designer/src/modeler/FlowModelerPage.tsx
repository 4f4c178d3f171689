/**
 * The page `/designer/flows/:key`: toolbar (open/export .bpmn, lint, simulation) above the
 * modeler. Loads departments, form fields and the flow through ./data (fallback lists until
 * the server API exists). Exposes the API as `window.__lianbanModeler` for end-to-end tests
 * and for debugging in the browser console.
 */
import { useEffect, useRef, useState } from 'react';
import { useParams } from 'react-router-dom';
import { Alert, Button, Space, Tag, Typography, message } from 'antd';
import type { Department, FormField } from './context/LianbanContext';
import type { LianbanModelerApi } from './create-modeler';
import { loadDepartments, loadFlowXml, loadFormFields } from './data';
import { downloadXml, readTextFile } from './file-io';
import { FlowModeler } from './FlowModeler';

declare global {
  interface Window { __lianbanModeler?: LianbanModelerApi }
}

interface Loaded { xml: string; departments: Department[]; fields: FormField[] }

/** Counts of lint errors and warnings for the toolbar. */
function useLintCounts(api: LianbanModelerApi | null) {
  const [counts, setCounts] = useState({ errors: 0, warnings: 0 });
  useEffect(() => {
    if (!api) return;
    const refresh = () => api.lint().then((issues) => setCounts({
      errors: issues.filter((i) => i.category === 'error').length,
      warnings: issues.filter((i) => i.category === 'warn').length,
    }));
    void refresh();
    // a file opened (or a draft loaded) is no modelling command: count again after each import too
    const onImport = () => void refresh();
    api.modeler.on('import.done', onImport);
    const off = api.onChange(() => void refresh());
    return () => { off(); api.modeler.off('import.done', onImport); };
  }, [api]);
  return counts;
}

/** The flow modeler page. */
export function FlowModelerPage() {
  const { key = 'flow' } = useParams();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [api, setApi] = useState<LianbanModelerApi | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [simulating, setSimulating] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const counts = useLintCounts(api);

  useEffect(() => {
    let live = true;
    Promise.all([loadFlowXml(key), loadDepartments(), loadFormFields(key)])
      .then(([xml, departments, fields]) => live && setLoaded({ xml, departments, fields }))
      .catch((e: Error) => live && setError(e.message));
    return () => { live = false; };
  }, [key]);

  const ready = (modelerApi: LianbanModelerApi) => {
    window.__lianbanModeler = modelerApi;
    setApi(modelerApi);
  };

  const openFile = async (file: File | undefined) => {
    if (!file || !api) return;
    try {
      const { warnings } = await api.setXML(await readTextFile(file));
      if (warnings.length) message.warning(`已打开 ${file.name}，有 ${warnings.length} 条导入警告`);
      else message.success(`已打开 ${file.name}`);
    } catch (e) {
      message.error(`无法打开 ${file.name}：${(e as Error).message}`);
    }
  };

  const exportFile = async () => {
    if (api) downloadXml(await api.getXML(), `${key}.bpmn`);
  };

  return (
    <div style={{ display: 'flex', flexDirection: 'column', height: 'calc(100vh - 64px - 48px)' }}>
      <Space style={{ marginBottom: 12, justifyContent: 'space-between', width: '100%' }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>流程设计：{key}</Typography.Title>
        <Space wrap>
          <Tag color={counts.errors ? 'error' : counts.warnings ? 'warning' : 'success'} data-testid="lint-summary">
            {counts.errors || counts.warnings ? `${counts.errors} 个错误，${counts.warnings} 个警告` : '校验通过'}
          </Tag>
          <Button onClick={() => fileInput.current?.click()} disabled={!api}>打开 .bpmn 文件</Button>
          <Button onClick={() => void exportFile()} disabled={!api}>导出 .bpmn 文件</Button>
          <Button type={simulating ? 'primary' : 'default'} disabled={!api} onClick={() => setSimulating(api!.toggleSimulation(!simulating))}>
            {simulating ? '退出流程模拟' : '流程模拟'}
          </Button>
          <input ref={fileInput} type="file" accept=".bpmn,.xml" hidden data-testid="bpmn-file-input"
            onChange={(e) => { void openFile(e.target.files?.[0]); e.target.value = ''; }} />
        </Space>
      </Space>
      {error && <Alert type="error" showIcon message={`流程加载失败：${error}`} style={{ marginBottom: 12 }} />}
      {loaded && (
        <FlowModeler xml={loaded.xml} departments={loaded.departments} fields={loaded.fields}
          onReady={ready} onError={(e) => setError(e.message)} />
      )}
    </div>
  );
}
