/**
 * Reads and checks the `lb:` attributes of one moddle element into `LbAttrs`. Problems name the
 * element; a typo'd `lb:` attribute is a problem too, because a silently ignored routing or
 * status attribute would misroute real cases.
 */
import { compileFeel } from '../feel';
import { LB_ATTRIBUTES } from '../moddle';
import { parseDuration } from '../time';
import type { ItemStatus, LbAttrs, Problem } from '../types';
import type { ModdleElement } from './moddle-types';

export const ITEM_STATUSES: readonly ItemStatus[] = ['requested', 'in-progress', 'done', 'standalone', 'not-applicable'];

const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);

/** Compiles the element's `lb:` attributes, pushing problems that name it. */
export function readLbAttrs(fe: ModdleElement, problems: Problem[]): LbAttrs {
  const lb: LbAttrs = {};
  const get = (name: string): string | undefined => {
    const v = fe.get?.(`lb:${name}`) as unknown;
    return typeof v === 'string' && v.trim() ? v.trim() : undefined;
  };
  const problem = (code: string, message: string) => problems.push({ element: fe.id, type: fe.$type, code, message });

  for (const key of Object.keys(fe.$attrs ?? {})) {
    if (key.startsWith('lb:') && !LB_ATTRIBUTES.has(key.slice(3))) {
      problem('unknown-attribute', `元素 ${fe.id} 的扩展属性 ${key} 未定义（请检查拼写）`);
    }
  }

  const groups = get('candidateGroups');
  if (groups?.startsWith('=')) {
    const c = compileFeel(groups.slice(1));
    if ('error' in c) problem('feel-syntax', `元素 ${fe.id} 的 lb:candidateGroups 表达式有误：${c.error}`);
    else lb.candidateGroupsExpr = c.expr;
  } else if (groups) lb.candidateGroups = list(groups);

  const formKey = get('formKey');
  if (formKey) lb.formKey = formKey;

  const dueIn = get('dueIn');
  if (dueIn) {
    if (!parseDuration(dueIn)) problem('invalid-duration', `元素 ${fe.id} 的 lb:dueIn「${dueIn}」不是 ISO 8601 时长（如 P5D、PT4H）`);
    else lb.dueIn = dueIn;
  }
  const calendar = get('dueCalendar');
  if (calendar) {
    if (calendar !== 'workdays') problem('invalid-calendar', `元素 ${fe.id} 的 lb:dueCalendar 只能是 workdays（工作日）`);
    else lb.dueCalendar = 'workdays';
  }

  const outcomes = get('outcomes');
  if (outcomes) lb.outcomes = list(outcomes);

  const ois = get('outcomeItemStatus');
  if (ois) {
    lb.outcomeItemStatus = {};
    for (const pair of list(ois)) {
      const [outcome, status] = pair.split('=').map((x) => x.trim());
      if (!outcome || !ITEM_STATUSES.includes(status as ItemStatus)) {
        problem('invalid-item-status', `元素 ${fe.id} 的 lb:outcomeItemStatus「${pair}」应为 结果=状态（状态：${ITEM_STATUSES.join('/')}）`);
      } else lb.outcomeItemStatus[outcome] = status as ItemStatus;
    }
  }

  const itemStatus = get('itemStatus');
  if (itemStatus) {
    if (!ITEM_STATUSES.includes(itemStatus as ItemStatus)) {
      problem('invalid-item-status', `元素 ${fe.id} 的 lb:itemStatus「${itemStatus}」无效（可用：${ITEM_STATUSES.join('/')}）`);
    } else lb.itemStatus = itemStatus as ItemStatus;
  }

  const caseResult = get('caseResult');
  if (caseResult) {
    if (caseResult !== 'completed' && caseResult !== 'rejected') {
      problem('invalid-case-result', `元素 ${fe.id} 的 lb:caseResult 只能是 completed 或 rejected`);
    } else lb.caseResult = caseResult;
  }

  const payload = get('payload');
  if (payload) {
    const c = compileFeel(payload);
    if ('error' in c) problem('feel-syntax', `元素 ${fe.id} 的 lb:payload 表达式有误：${c.error}`);
    else lb.payload = c.expr;
  }

  const noReturn = get('noReturn');
  if (noReturn) {
    if (noReturn !== 'true' && noReturn !== 'false') problem('invalid-no-return', `元素 ${fe.id} 的 lb:noReturn 只能是 true 或 false`);
    else if (noReturn === 'true') lb.noReturn = true;
  }

  // 出具文书: completing this task issues the city's document of that kind (server documents.ts)
  const issueDocument = get('issueDocument');
  if (issueDocument) {
    if (!/^[a-z][a-z0-9-]{1,39}$/.test(issueDocument)) problem('invalid-issue-document', `元素 ${fe.id} 的 lb:issueDocument「${issueDocument.slice(0, 40)}」不是文书类型（小写字母开头，2–40 个小写字母、数字或短横线）`);
    else if (fe.$type !== 'bpmn:UserTask') problem('invalid-issue-document', `元素 ${fe.id}：lb:issueDocument 只能用于用户任务（办理完成时出具文书）`);
    else lb.issueDocument = issueDocument;
  }

  for (const name of ['linkedItem', 'connector', 'department', 'outcomeVariable'] as const) {
    const v = get(name);
    if (v) lb[name] = v;
  }
  return lb;
}
