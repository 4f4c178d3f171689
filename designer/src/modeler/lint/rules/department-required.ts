/**
 * lianban/department-required — every user task is routed to a department (lb:candidateGroups),
 * and every department key named on a task is one of the city's departments (when the list is
 * known). A FEEL expression (`=department`) is accepted as is: it is resolved per case.
 *
 * Config: `{ departments?: string[] }` — the city's department keys.
 */
import { label, type LintNode, type RuleFactory } from './types';

const keysOf = (value: string) => value.split(',').map((x) => x.trim()).filter(Boolean);

/** Not a department but always allowed: the applicant's own tasks (补正, follow-up sheets). */
const APPLICANT = 'applicant';

const departmentRequired: RuleFactory = (config) => {
  const known = new Set((config?.departments as string[] | undefined) ?? []);

  function checkKeys(node: LintNode, value: string, report: (m: string) => void) {
    if (!known.size || value.trim().startsWith('=')) return;
    for (const key of keysOf(value)) {
      if (key !== APPLICANT && !known.has(key)) report(`${label(node)}的办理部门「${key}」不在本市部门列表中`);
    }
  }

  return {
    check(node, reporter) {
      const report = (message: string) => reporter.report(node.id, message);
      if (node.$instanceOf('bpmn:UserTask')) {
        const groups = node.get('lb:candidateGroups');
        if (typeof groups !== 'string' || !groups.trim()) report(`用户任务${label(node)}未设置办理部门`);
        else checkKeys(node, groups, report);
        return;
      }
      const department = node.$instanceOf('bpmn:FlowNode') ? node.get('lb:department') : undefined;
      if (typeof department === 'string' && department.trim()) checkKeys(node, department, report);
    },
  };
};

export default departmentRequired;
