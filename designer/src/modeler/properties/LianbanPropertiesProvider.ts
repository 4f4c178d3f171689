/**
 * The properties-panel provider for our `lb:` namespace (docs/flow-extensions.md). It adds
 * Chinese groups after the standard BPMN ones:
 *
 * - 办理（部门与表单）: department / candidate groups (from the city's department list), form,
 *   due-in (ISO duration) with a working-days toggle, allowed outcomes
 * - 关联事项: linked item key, item status on completion, outcome → item status
 * - 系统对接 (service tasks): connector and pushed payload
 * - 办件结果 (end events): case result
 * - 多实例 (parallel multi-instance user tasks): collection and element variable
 * - 条件 (sequence flows out of gateways/activities): FEEL condition with a form-field picker
 */
import { is, isAny } from 'bpmn-js/lib/util/ModelUtil';
import type { Element } from 'bpmn-js/lib/model/Types';
import type LianbanContext from '../context/LianbanContext';
import { conditionEntries } from './entries/condition';
import { lbSelect, lbText, lbToggle, type Entry } from './entries/generic';
import { bo, CASE_RESULT_OPTIONS, departmentAttribute, getLb, isIsoDuration, ITEM_STATUS_OPTIONS, type ModdleObject } from './lb';

interface Group { id: string; label: string; entries: Entry[] }
interface PropertiesPanel { registerProvider(priority: number, provider: unknown): void }

const LOW_PRIORITY = 400;
const STATUS_NAMES = ITEM_STATUS_OPTIONS.map((o) => o.value);

function validateOutcomeItemStatus(v: string): string | undefined {
  for (const pair of v.split(',').map((x) => x.trim()).filter(Boolean)) {
    const [outcome, status] = pair.split('=').map((x) => x.trim());
    if (!outcome || !STATUS_NAMES.includes(status)) return `「${pair}」应为 结果=状态，状态可为 ${STATUS_NAMES.join('、')}`;
  }
  return undefined;
}

const loopOf = (element: Element) => bo(element).loopCharacteristics as ModdleObject;

export default class LianbanPropertiesProvider {
  static $inject = ['propertiesPanel', 'lianbanContext'];

  private context: LianbanContext;

  constructor(propertiesPanel: PropertiesPanel, lianbanContext: LianbanContext) {
    this.context = lianbanContext;
    propertiesPanel.registerProvider(LOW_PRIORITY, this);
  }

  getGroups(element: Element) {
    return (groups: Group[]) => [...groups, ...this.lianbanGroups(element)].filter((g) => g.entries.length);
  }

  private lianbanGroups(element: Element): Group[] {
    return [
      { id: 'lianban-routing', label: '办理（部门与表单）', entries: this.routing(element) },
      { id: 'lianban-item', label: '关联事项', entries: this.item(element) },
      { id: 'lianban-connector', label: '系统对接', entries: this.connector(element) },
      { id: 'lianban-end', label: '办件结果', entries: this.end(element) },
      { id: 'lianban-multi-instance', label: '多实例（会签）', entries: this.multiInstance(element) },
      { id: 'lianban-condition', label: '条件', entries: this.condition(element) },
    ];
  }

  private departmentOptions = (element: Element) => {
    const attr = departmentAttribute(element)!;
    const current = getLb(bo(element), attr);
    const options = [{ value: '', label: '（未指定）' }, ...this.context.departments.map((d) => ({ value: d.key, label: d.name }))];
    if (current && !this.context.departments.some((d) => d.key === current)) options.push({ value: current, label: `${current}（不在本市部门列表中）` });
    return options;
  };

  private routing(element: Element): Entry[] {
    const entries: Entry[] = [];
    const attr = departmentAttribute(element);
    if (attr) {
      entries.push(lbSelect(element, { attr, label: '办理部门', options: this.departmentOptions }));
    }
    if (is(element, 'bpmn:UserTask')) {
      entries.push(
        { ...lbText(element, { attr: 'candidateGroups', label: '候选组（高级）', description: '多个部门用英文逗号分隔，或以 = 开头的 FEEL 表达式' }), id: 'lb-candidateGroups-text' },
        lbText(element, { attr: 'formKey', label: '办理表单', description: '办理时填写的表单标识' }),
      );
    }
    if (is(element, 'bpmn:Activity') && !is(element, 'bpmn:SubProcess')) {
      entries.push(lbText(element, { attr: 'dueIn', label: '办理时限', description: 'ISO 8601 时长，如 P5D（5 天）、PT4H（4 小时）', validate: (v) => (isIsoDuration(v) ? undefined : '请输入 ISO 8601 时长，如 P5D') }));
    }
    if ((is(element, 'bpmn:Activity') && !is(element, 'bpmn:SubProcess')) || this.isTimerCatch(element)) {
      entries.push(lbToggle(element, { attr: 'dueCalendar', label: '计时方式', switcherLabel: '按工作日计算', onValue: 'workdays', description: '开启后按法定节假日和调休安排计算天数' }));
    }
    if (isAny(element, ['bpmn:UserTask', 'bpmn:ReceiveTask'])) {
      entries.push(
        lbText(element, { attr: 'outcomes', label: '可选办理结果', description: '英文逗号分隔，如 approved,rejected' }),
        lbText(element, { attr: 'outcomeVariable', label: '结果变量', description: '同时把办理结果存入此变量' }),
      );
    }
    if (is(element, 'bpmn:UserTask')) {
      entries.push(lbText(element, {
        attr: 'issueDocument', label: '出具文书', description: '办理完成时出具的文书类型（「文书模板」中的类型标识，如 pension-notice）',
        validate: (v) => (/^[a-z][a-z0-9-]{1,39}$/.test(v) ? undefined : '小写字母开头，2–40 个小写字母、数字或短横线'),
      }));
    }
    if (is(element, 'bpmn:Activity')) {
      entries.push(lbToggle(element, { attr: 'noReturn', label: '退回限制', switcherLabel: '不得退回到此步骤之前', onValue: 'true', description: '开启后，后续步骤「退回」时最多退回到本步骤' }));
    }
    return entries;
  }

  private isTimerCatch(element: Element): boolean {
    if (!is(element, 'bpmn:CatchEvent')) return false;
    const defs = (bo(element).eventDefinitions as ModdleObject[] | undefined) ?? [];
    return defs.some((d) => d.$type === 'bpmn:TimerEventDefinition');
  }

  private item(element: Element): Entry[] {
    if (!isAny(element, ['bpmn:Activity', 'bpmn:CatchEvent', 'bpmn:EndEvent', 'bpmn:SequenceFlow'])) return [];
    const entries = [
      lbText(element, { attr: 'linkedItem', label: '关联事项标识', description: '如 housing-fund-withdrawal' }),
    ];
    if (isAny(element, ['bpmn:Activity', 'bpmn:EndEvent', 'bpmn:SequenceFlow'])) {
      entries.push(lbSelect(element, { attr: 'itemStatus', label: '完成后事项状态', options: () => [{ value: '', label: '（默认：已办结）' }, ...ITEM_STATUS_OPTIONS] }));
    }
    if (is(element, 'bpmn:Activity')) {
      entries.push(lbText(element, { attr: 'outcomeItemStatus', label: '办理结果 → 事项状态', description: '如 not-eligible=standalone（不符合条件转单独事项）', validate: validateOutcomeItemStatus }));
    }
    return entries;
  }

  private connector(element: Element): Entry[] {
    if (!is(element, 'bpmn:ServiceTask')) return [];
    return [
      lbText(element, { attr: 'connector', label: '对接通道', description: '推送到的部门系统或数据共享平台，如 data-sharing' }),
      lbText(element, { attr: 'payload', label: '推送内容（FEEL）', description: '如 {name: name, items: requestedItems}' }),
    ];
  }

  private end(element: Element): Entry[] {
    if (!is(element, 'bpmn:EndEvent')) return [];
    return [lbSelect(element, { attr: 'caseResult', label: '办件结果', options: () => [{ value: '', label: '（默认：办结）' }, ...CASE_RESULT_OPTIONS] })];
  }

  private multiInstance(element: Element): Entry[] {
    const loop = is(element, 'bpmn:UserTask') ? loopOf(element) : undefined;
    if (!loop || loop.$type !== 'bpmn:MultiInstanceLoopCharacteristics') return [];
    return [
      lbText(element, { attr: 'collection', label: '集合变量', description: '每个元素生成一个任务，如 departments', target: loopOf }),
      lbText(element, { attr: 'elementVariable', label: '元素变量', description: '任务中当前元素的变量名', target: loopOf }),
    ];
  }

  private condition(element: Element): Entry[] {
    if (!is(element, 'bpmn:SequenceFlow')) return [];
    const source = (element as unknown as { source?: Element }).source;
    if (!source || !isAny(source, ['bpmn:ExclusiveGateway', 'bpmn:InclusiveGateway', 'bpmn:Activity'])) return [];
    if (bo(source).default === bo(element)) return [];
    return conditionEntries(element);
  }
}
