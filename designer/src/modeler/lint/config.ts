/**
 * The bpmnlint configuration, built in code: bpmnlint normally resolves rule packages from
 * `.bpmnlintrc` at build time (bpmnlint-loader / rollup-plugin-bpmnlint); here a static
 * resolver hands out our local `lianban/*` plugin rules and the core rules we enable, so the
 * same config runs in the browser (bpmn-js-bpmnlint) and in Node (tests, publish checks).
 *
 *   modeler.get('linting').setLinterConfig(lintConfig({ departments: ['hrss'] }));
 *   new Linter(lintConfig()).lint(definitions);            // Node, with bpmn-moddle
 */
import conditionalFlows from 'bpmnlint/rules/conditional-flows';
import endEventRequired from 'bpmnlint/rules/end-event-required';
import fakeJoin from 'bpmnlint/rules/fake-join';
import labelRequired from 'bpmnlint/rules/label-required';
import noDisconnected from 'bpmnlint/rules/no-disconnected';
import noDuplicateSequenceFlows from 'bpmnlint/rules/no-duplicate-sequence-flows';
import noGatewayJoinFork from 'bpmnlint/rules/no-gateway-join-fork';
import noImplicitSplit from 'bpmnlint/rules/no-implicit-split';
import singleBlankStartEvent from 'bpmnlint/rules/single-blank-start-event';
import startEventRequired from 'bpmnlint/rules/start-event-required';
import subProcessBlankStartEvent from 'bpmnlint/rules/sub-process-blank-start-event';
import superfluousGateway from 'bpmnlint/rules/superfluous-gateway';
import { localized } from './localize';
import departmentRequired from './rules/department-required';
import inclusivePairing from './rules/inclusive-pairing';
import supportedElements from './rules/supported-elements';
import type { RuleFactory } from './rules/types';

/** Our local plugin, as bpmnlint names it (`lianban/<rule>` → package `bpmnlint-plugin-lianban`). */
const LIANBAN_RULES: Record<string, RuleFactory> = {
  'department-required': departmentRequired,
  'inclusive-pairing': inclusivePairing,
  'supported-elements': supportedElements,
};

/** Core rules we enable, wrapped to report in Chinese. */
const CORE_RULES: Record<string, RuleFactory> = Object.fromEntries(Object.entries({
  'conditional-flows': conditionalFlows,
  'end-event-required': endEventRequired,
  'fake-join': fakeJoin,
  'label-required': labelRequired,
  'no-disconnected': noDisconnected,
  'no-duplicate-sequence-flows': noDuplicateSequenceFlows,
  'no-gateway-join-fork': noGatewayJoinFork,
  'no-implicit-split': noImplicitSplit,
  'single-blank-start-event': singleBlankStartEvent,
  'start-event-required': startEventRequired,
  'sub-process-blank-start-event': subProcessBlankStartEvent,
  'superfluous-gateway': superfluousGateway,
}).map(([name, rule]) => [name, localized(rule as unknown as RuleFactory)]));

const PACKAGES: Record<string, Record<string, RuleFactory>> = {
  bpmnlint: CORE_RULES,
  'bpmnlint-plugin-lianban': LIANBAN_RULES,
};

export interface LintOptions {
  /** The city's department keys: tasks naming another key are errors. */
  departments?: string[];
}

/** A `{ config, resolver }` pair for bpmnlint's `Linter` and bpmn-js-bpmnlint. */
export function lintConfig(options: LintOptions = {}) {
  return {
    config: {
      rules: {
        'lianban/department-required': ['error', { departments: options.departments ?? [] }],
        'lianban/inclusive-pairing': 'error',
        'lianban/supported-elements': 'error',
        'start-event-required': 'error',
        'end-event-required': 'error',
        'single-blank-start-event': 'error',
        'sub-process-blank-start-event': 'error',
        'no-duplicate-sequence-flows': 'error',
        'conditional-flows': 'error',
        'no-disconnected': 'warn',
        'no-implicit-split': 'warn',
        'no-gateway-join-fork': 'warn',
        'fake-join': 'warn',
        'superfluous-gateway': 'warn',
        'label-required': 'warn',
      },
    },
    resolver: {
      resolveRule(pkg: string, ruleName: string): RuleFactory {
        const rule = PACKAGES[pkg]?.[ruleName];
        if (!rule) throw new Error(`unknown lint rule <${pkg}/${ruleName}>`);
        return rule;
      },
      resolveConfig(pkg: string, configName: string): never {
        throw new Error(`no lint config <${pkg}:${configName}>: the config is built in code`);
      },
    },
  };
}
