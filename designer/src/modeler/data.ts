/**
 * Where the modeler page gets its data. The server API for departments, form fields and flow
 * versions comes later (API.md); until then each loader returns a FALLBACK: the demo
 * departments of the retirement matter and the 常州 form's routing fields. Replace the bodies
 * with `fetch('/api/...')` calls; the page only depends on these signatures.
 */
import type { Department, FormField } from './context/LianbanContext';
import { starterDiagram } from './starter';

/** FALLBACK department list (hrss, medical, housing-fund, health, window) until the city API exists. */
export const FALLBACK_DEPARTMENTS: Department[] = [
  { key: 'hrss', name: '人力资源和社会保障局' },
  { key: 'medical', name: '医疗保障局' },
  { key: 'housing-fund', name: '住房公积金管理中心' },
  { key: 'health', name: '卫生健康委员会' },
  { key: 'window', name: '综合受理窗口' },
];

/** FALLBACK routing fields of the retirement application form until the form API exists. */
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

/** The city's departments (FALLBACK list for now). */
export async function loadDepartments(): Promise<Department[]> {
  return FALLBACK_DEPARTMENTS;
}

/** Fields of the form bound to the flow `key` (FALLBACK list for now). */
export async function loadFormFields(_flowKey: string): Promise<FormField[]> {
  return FALLBACK_FIELDS;
}

/** The latest saved XML of flow `key` (a new starter diagram for now). */
export async function loadFlowXml(flowKey: string): Promise<string> {
  return starterDiagram(flowKey);
}
