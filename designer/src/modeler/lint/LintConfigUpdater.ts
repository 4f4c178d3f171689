/**
 * Keeps the linter's department list in step with `lianbanContext`, and re-lints at once.
 */
import type EventBus from 'diagram-js/lib/core/EventBus';
import LianbanContext, { CONTEXT_CHANGED } from '../context/LianbanContext';
import { lintConfig } from './config';

interface Linting { setLinterConfig(config: unknown): void }

export default class LintConfigUpdater {
  static $inject = ['eventBus', 'linting', 'lianbanContext'];

  constructor(eventBus: EventBus, linting: Linting, context: LianbanContext) {
    const apply = () => linting.setLinterConfig(lintConfig({ departments: context.departments.map((d) => d.key) }));
    apply();
    eventBus.on(CONTEXT_CHANGED, apply);
  }
}
