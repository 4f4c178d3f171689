/**
 * The matter editor's model: linked-item keys, the opt-in field for the forms, the matter draft,
 * the fields the modeler's condition picker offers, and (bpmn-js) the flow branch.
 * Also the package export `@lianban/designer/matters/model` (unit tests; the flow branch needs a DOM).
 */
export * from './keys';
export * from './linked-item';
export * from './fields';
export * from './migration-marks';
