/**
 * The form renderer and its pieces.
 *
 *   <FormRenderer schema={schema} value={v} onChange={setV} readOnly={false} onForm={setForm} />
 *   checkForm(form, compileChecker(schema))   // same checks as the server, errors on the fields
 *   showErrors(form, serverErrors)            // show `{path, message}` from the server
 */
export { FormRenderer, formComponents, type FormRendererProps } from './FormRenderer';
export { showErrors, checkForm } from './errors';
export { FieldBoundary, withFieldBoundary, fieldFailureText, type FieldBoundaryProps } from './components/FieldBoundary';
export { createRegionLoader, regionNames, type RegionLoader, type RegionNode } from './region-loader';
export { RegionLoaderContext } from './components/RegionPicker';
export { FileUploaderContext, type FileUploader } from './components/MaterialsUpload';
export { MaterialReuseContext, offerSource, type MaterialReuser } from './components/MaterialReuse';
export { installSafeFormily } from './safe-compiler';
export { installRuleReactions } from './rule-reactions';
export { formSteps, stepOfPath, errorsOfStep, type FormStep } from './steps';
export { lenientFormats } from './components/DateInput';
