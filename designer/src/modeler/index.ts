/**
 * The flow modeler of the designer (bpmn-js with our `lb:` extensions). Public surface:
 *
 *   import { FlowModelerPage, FlowModeler, createLianbanModeler } from './modeler';
 *   <Route path="flows/:key" element={<FlowModelerPage />} />        // the page
 *   <FlowModeler xml departments fields onReady={(api) => …} />       // embed (matter editor)
 *   const api = await createLianbanModeler({ canvas, panel, xml });   // no React
 *   api.getXML() / api.setXML(xml) / api.lint()                       // see create-modeler.ts
 *
 * Lint config for Node (publish checks): `lintConfig({ departments })` with bpmnlint's Linter.
 */
export { FlowModelerPage } from './FlowModelerPage';
export { FlowModeler, type FlowModelerProps } from './FlowModeler';
export { createLianbanModeler, type LianbanModelerApi, type LintIssue, type CreateModelerOptions } from './create-modeler';
export type { Department, FormField } from './context/LianbanContext';
export { lintConfig } from './lint/config';
export { FALLBACK_DEPARTMENTS, FALLBACK_FIELDS } from './data';
