/**
 * lianban/supported-elements — only what the flow engine runs. The element types and the event
 * definitions each event may carry come from the engine (`SUPPORTED_BPMN_ELEMENTS`, derived from
 * its handler and deploy tables), so this rule cannot drift from what publishing accepts. On top
 * of the table it checks what deploy refuses per element: event sub-processes, compensation,
 * and loops other than parallel multi-instance on user tasks. The engine refuses the rest at
 * publish; the linter says so while modelling.
 */
import { SUPPORTED_BPMN_ELEMENTS } from '@lianban/runtime';
import { label, type LintNode, type RuleFactory } from './types';

/** Element type → allowed event definitions ('none' = no definition); null: not an event. */
const SUPPORTED = SUPPORTED_BPMN_ELEMENTS;

/** Chinese names of element types for messages. */
const NAMES: Record<string, string> = {
  'bpmn:Task': '普通任务', 'bpmn:ManualTask': '人工任务', 'bpmn:ScriptTask': '脚本任务', 'bpmn:BusinessRuleTask': '业务规则任务',
  'bpmn:SendTask': '发送任务', 'bpmn:CallActivity': '调用活动', 'bpmn:Transaction': '事务', 'bpmn:AdHocSubProcess': '特别子流程',
  'bpmn:ComplexGateway': '复杂网关', 'bpmn:EventBasedGateway': '事件网关',
  'bpmn:SignalEventDefinition': '信号', 'bpmn:ConditionalEventDefinition': '条件', 'bpmn:EscalationEventDefinition': '升级',
  'bpmn:CompensateEventDefinition': '补偿', 'bpmn:LinkEventDefinition': '链接', 'bpmn:CancelEventDefinition': '取消',
  'bpmn:TimerEventDefinition': '定时', 'bpmn:MessageEventDefinition': '消息', 'bpmn:ErrorEventDefinition': '错误',
  'bpmn:TerminateEventDefinition': '终止', none: '空',
};
const nameOf = (type: string) => NAMES[type] ?? type.replace(/^bpmn:/, '');

const isFlowElementOfProcess = (node: LintNode) =>
  node.$instanceOf('bpmn:FlowElement') && !!node.$parent && (node.$parent.$instanceOf('bpmn:Process') || node.$parent.$instanceOf('bpmn:SubProcess'));

function loopProblem(node: LintNode): string | undefined {
  const loop = node.loopCharacteristics as LintNode | undefined;
  if (!loop) return undefined;
  if (!loop.$instanceOf('bpmn:MultiInstanceLoopCharacteristics')) return `${label(node)}使用了循环，流程引擎不支持，请改用并行多实例用户任务`;
  if (!node.$instanceOf('bpmn:UserTask')) return `${label(node)}：只有用户任务可以设置多实例`;
  if (loop.isSequential) return `${label(node)}：只支持并行多实例，不支持串行多实例`;
  return undefined;
}

const supportedElements: RuleFactory = () => ({
  check(node, reporter) {
    if (!isFlowElementOfProcess(node)) return;
    const report = (message: string) => reporter.report(node.id, message);
    if (!(node.$type in SUPPORTED)) return report(`流程引擎不支持${nameOf(node.$type)}${label(node)}`);
    if (node.$type === 'bpmn:SubProcess' && node.triggeredByEvent) return report(`流程引擎不支持事件子流程${label(node)}`);
    const events = SUPPORTED[node.$type];
    if (events) {
      const defs = (node.eventDefinitions as LintNode[] | undefined) ?? [];
      if (defs.length > 1) return report(`事件${label(node)}有多个事件定义，流程引擎不支持`);
      const kind = defs[0]?.$type ?? 'none';
      if (!events.includes(kind)) report(`流程引擎不支持事件${label(node)}的${nameOf(kind)}类型（此处可用：${events.map(nameOf).join('、')}）`);
    }
    if (node.isForCompensation) report(`${label(node)}：流程引擎不支持补偿活动`);
    const loop = loopProblem(node);
    if (loop) report(loop);
  },
});

export default supportedElements;
