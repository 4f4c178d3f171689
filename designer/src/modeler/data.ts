/**
 * Where the modeler page gets its data: the server API (docs/api.md) — the city's departments,
 * the fields of the forms of the matter that uses the flow, and the flow's saved draft.
 * Signed out (no sign-in hint: no request is made) or for a flow that does not exist yet, each loader falls back: the FALLBACK demo
 * departments and fields, and a new starter diagram — so the page also works as a sandbox.
 */
import type { Department, FormField } from './context/LianbanContext';
import { starterDiagram } from './starter';
import { api, signedInHint } from '../api/client';
import type { FlowDoc, FormDoc, MatterSummary } from '../api/types';
import { formFieldsOf } from '../matters/model/fields';

/** FALLBACK department list (hrss, medical, housing-fund, health, window) when signed out. */
export const FALLBACK_DEPARTMENTS: Department[] = [
  { key: 'hrss', name: '人力资源和社会保障局' },
  { key: 'medical', name: '医疗保障局' },
  { key: 'housing-fund', name: '住房公积金管理中心' },
  { key: 'health', name: '卫生健康委员会' },
  { key: 'window', name: '综合受理窗口' },
];

/** FALLBACK routing fields of the retirement application form when signed out. */
export const FALLBACK_FIELDS: FormField[] = [
  { key: 'retirementType', label: '退休类型', options: [
    { value: '正常退休', label: '正常退休' }, { value: '因病退休', label: '因病退休' },
    { value: '因病退职', label: '因病退职' }, { value: '特殊工种提前退休', label: '特殊工种提前退休' },
  ] },
  { key: 'onlyChildCertificate', label: '持有独生子女父母光荣证', options: [{ value: '是', label: '是' }, { value: '否', label: '否' }] },
  { key: 'printCertificate', label: '打印纸质退休证', options: [{ value: '是', label: '是' }, { value: '否', label: '否' }] },
  { key: 'outcome', label: '上一步办理结果', options: [
    { value: 'approved', label: '批准' }, { value: 'rejected', label: '不予批准' }, { value: 'not-eligible', label: '不符合条件' },
  ] },
  { key: 'name', label: '姓名' },
];

const quiet = { quiet401: true };

/** The city's departments (FALLBACK when signed out). */
export async function loadDepartments(): Promise<Department[]> {
  if (!signedInHint.get()) return FALLBACK_DEPARTMENTS;
  try {
    return (await api.get<Department[]>('/admin/departments', quiet)).map(({ key, name }) => ({ key, name }));
  } catch {
    return FALLBACK_DEPARTMENTS;
  }
}

/** Fields of the forms of the matters that use flow `flowKey` (FALLBACK when signed out). */
export async function loadFormFields(flowKey: string): Promise<FormField[]> {
  if (!signedInHint.get()) return FALLBACK_FIELDS;
  try {
    const matters = (await api.get<MatterSummary[]>('/admin/matters', quiet)).filter((m) => m.flow === flowKey);
    const formKeys = [...new Set(matters.flatMap((m) => m.forms))];
    const forms = await Promise.all(formKeys.map((k) => api.get<FormDoc>(`/admin/forms/${k}`, quiet)));
    const fields = formFieldsOf(forms.map((f) => f.draft.schema));
    return [...fields, { key: 'outcome', label: '上一步办理结果', options: FALLBACK_FIELDS.find((f) => f.key === 'outcome')!.options! }];
  } catch {
    return FALLBACK_FIELDS;
  }
}

/** The saved draft XML of flow `key`, or a new starter diagram when there is none (or signed out). */
export async function loadFlowXml(flowKey: string): Promise<string> {
  if (!signedInHint.get()) return starterDiagram(flowKey);
  try {
    return (await api.get<FlowDoc>(`/admin/flows/${flowKey}`, quiet)).draft.xml;
  } catch {
    return starterDiagram(flowKey);
  }
}
