/**
 * Chinese messages for the bpmnlint core rules we enable: each core rule is wrapped so its
 * reporter translates the English message before it reaches the overlay. Messages are a table
 * (exact text) plus patterns for the few that name a type.
 */
import type { LintNode, Reporter, Rule, RuleFactory } from './rules/types';

const MESSAGES: Record<string, string> = {
  'Element is missing label/name': '缺少名称',
  'Element is not connected': '元素未连接',
  'Flow splits implicitly': '活动直接分出多条无条件顺序流，请使用网关',
  'Gateway forks and joins': '网关同时汇聚和分支，请拆成两个网关',
  'Gateway is superfluous. It only has one source and target.': '网关多余：只有一个入口和一个出口',
  'SequenceFlow is a duplicate': '顺序流重复',
  'Duplicate outgoing sequence flows': '重复的出口顺序流',
  'Duplicate incoming sequence flows': '重复的入口顺序流',
  'Sequence flow is missing condition': '顺序流缺少条件（网关的非默认出口需要条件）',
  'Incoming flows do not join': '多条入口顺序流直接进入活动，请先用网关汇聚',
  'Start event must be blank': '子流程的开始事件必须是空开始事件',
  'Event has multiple event definitions': '事件有多个事件定义',
  'Element is an implicit end': '元素隐式结束，请连接到结束事件',
  'Element is an implicit start': '元素隐式开始，请从开始事件连入',
};

const PATTERNS: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [/^(Process|Sub process) is missing start event$/, (m) => `${typeName(m[1])}缺少开始事件`],
  [/^(Process|Sub process) is missing end event$/, (m) => `${typeName(m[1])}缺少结束事件`],
  [/^(Process|Sub process) has multiple blank start events$/, (m) => `${typeName(m[1])}有多个空开始事件`],
];

function typeName(type: string): string {
  return type === 'Process' ? '流程' : type === 'Sub process' ? '子流程' : type;
}

/** The Chinese text of a core rule message (the English text when we have none). */
export function localizeMessage(message: string): string {
  if (MESSAGES[message]) return MESSAGES[message];
  for (const [re, zh] of PATTERNS) {
    const m = re.exec(message);
    if (m) return zh(m);
  }
  return message;
}

function wrapReporter(reporter: Reporter): Reporter {
  return { report: (id, message, path) => reporter.report(id, localizeMessage(message), path) };
}

/** The same rule, reporting Chinese messages. */
export function localized(factory: RuleFactory): RuleFactory {
  return (config) => {
    const rule: Rule = factory(config);
    const check = rule.check;
    if (typeof check === 'function') {
      return { ...rule, check: (node: LintNode, reporter: Reporter) => check(node, wrapReporter(reporter)) };
    }
    return {
      ...rule,
      check: {
        enter: check.enter && ((node: LintNode, reporter: Reporter) => check.enter!(node, wrapReporter(reporter))),
        leave: check.leave && ((node: LintNode, reporter: Reporter) => check.leave!(node, wrapReporter(reporter))),
      },
    };
  };
}
