/**
 * The form designer's model (no React): the edited schema with undo/redo, and the rule editor's
 * clause model. Also the package export `@lianban/designer/forms/model` (unit tests).
 */
export * from './form-document';
export * from './rules';
export * from './one-of';
