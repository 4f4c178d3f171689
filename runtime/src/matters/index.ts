/**
 * Matters (事项, "一件事"): what a matter is — its forms, flow and linked items with their
 * departments, materials and opt-in fields — and the checks it passes before it is published.
 * Pure: the server stores matters and refuses a publish with these checks, the designer edits
 * them, the portal decides the applicant's checklist with the same opt-in rule.
 *
 *   await checkMatter({ matter, forms, flow, departments })   // { problems, flowHash }
 *   requestedItems(matter.linkedItems, schema, data)          // keys of the items the submission asks for
 *   parseLinkedItem(node['x-linked-item'])                    // the one reader of the opt-in mark
 */
export type { MatterMaterial, MatterLinkedItem, MatterFormRef, MatterShape, PublishProblem, MaterialWhen, MatterContact, PrecheckRoute, MatterTimeLimit } from './types';
export {
  timeLimitProblems, deadlineDue, workdaysBefore, pausedWorkdays, deadlineStatus, deadlineLabel, chinaDate,
  deadlineCounts, MAX_TIME_LIMIT_WORKDAYS, DEFAULT_WARN_WORKDAYS, type DeadlineStatus, type DeadlineCase, type MatterDeadlineCounts,
} from './deadlines';
export {
  precheck, precheckErrors, materialsFor, materialApplies,
  type PrecheckAnswers, type PrecheckIdentity, type PrecheckResult, type PrecheckRouteResult, type PrecheckMaterial, type PrecheckError, type MaterialFacts,
} from './precheck';
export { prefillMarks, prefillValues, prefillDiffs, type PrefillMark, type PrefillCheck, type PrefillDiff } from './prefill';
export { parseLinkedItem, linkedItemKey, type LinkedItemMark } from '../forms/linked-item';
export { optInFields, isOptedIn, itemRequested, requestedItems } from './opt-ins';
export { formFields } from './form-fields';
export { missingRequiredFields } from './migration-fields';
export { taskFormKeys, applicationForms } from './task-forms';
export { resultFields, resultOutcomes, formAppliesTo, resultOf, resultText, type ResultField } from './item-results';
export { checkMatter, flowChecks, ENGINE_VARIABLES, type MatterCheckInput } from './publish-checks';
export { flowShapeChecks, RESERVED_DEPARTMENT_KEYS } from './flow-shape-checks';
export { templateDiff, applyTemplateChanges, type TemplateBundle, type TemplateChange, type TemplateUnit, type TemplateMergeResult } from './template-merge';
export { implCodeProblem, shortCodeProblem } from './impl-code';
