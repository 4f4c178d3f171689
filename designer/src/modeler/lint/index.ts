/**
 * Linting: bpmn-js-bpmnlint with our config (./config) and the CSS variables it needs. The
 * config follows the city's departments: it is rebuilt whenever `lianbanContext` changes.
 */
import lintModule from 'bpmn-js-bpmnlint';
import 'bpmn-js-bpmnlint/dist/assets/css/bpmn-js-bpmnlint.css';
import './lint.css';
import LintConfigUpdater from './LintConfigUpdater';

export { lintConfig } from './config';

export default {
  __depends__: [lintModule],
  __init__: ['lintConfigUpdater'],
  lintConfigUpdater: ['type', LintConfigUpdater],
};
