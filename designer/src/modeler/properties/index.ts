/**
 * Properties-panel module for the `lb:` attributes. Needs `BpmnPropertiesPanelModule` and
 * the `lianbanContext` service (../context).
 */
import LianbanPropertiesProvider from './LianbanPropertiesProvider';

/** Ids of the groups the provider adds (the modeler opens them by default). */
export const LIANBAN_GROUPS = ['lianban-routing', 'lianban-item', 'lianban-connector', 'lianban-end', 'lianban-multi-instance', 'lianban-condition'];

export default {
  __init__: ['lianbanPropertiesProvider'],
  lianbanPropertiesProvider: ['type', LianbanPropertiesProvider],
};
