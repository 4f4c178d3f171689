/**
 * Form schema conventions (docs/forms.md): field types, the declarative rule model, the
 * schema checker, JSON Schema export and submission validation. Pure; runs in Node and the browser.
 *
 *   fieldTypes()                          // palette: one defineField per type
 *   checkFormSchema(schema)               // convention problems with schema paths
 *   toJsonSchema(schema)                  // plain JSON Schema with if/then for the rules
 *   compileChecker(schema).check(data)    // pure checker (browser and server)
 *   compileValidator(schema).validate(d)  // server: checker + ajv — from `@lianban/runtime/validate` (Node only)
 *   toFormilySchema(schema).rules         // the browser's rules with their read sets (see web/forms/rule-reactions)
 */
export * from './types';
export * from './field-types/index';
export { evaluateCondition, conditionFields, conditionToJsonSchema, isEmpty, jsonEqual } from './conditions';
export { ELIGIBILITY_RULES, runEligibility, chineseYearMonth, type EligibilityFunction, type EligibilityProblem } from './eligibility';
export { compileCrossChecks, crossCheckProblems, eligibilityRules, oneOfMessage } from './cross-checks';
export { COMPUTE_FUNCTIONS, runCompute, type ComputeFunction, type ComputeParam } from './compute';
export { messageFor, REGION_LEVEL_NAMES } from './messages';
export { walkSchema, orderedProperties, isSection, type SchemaNode, type WalkControl } from './walk';
export { maskSensitiveData, sensitiveFields, type SensitiveField } from './mask';
export { sanitizeStrings, sanitizeText } from './validate/sanitize';
export { checkFormSchema, patternProblem, KEY_PATTERN, MAX_PATTERN_LENGTH, type SchemaProblem } from './check-schema';
export { compilePattern, isFixedShapePattern, patternSyntaxProblem, type CompiledPattern } from './pattern';
export { toJsonSchema } from './to-json-schema';
export { withWaivable, materialNames, promisedMaterials, applicableMaterials, type MatterMaterials, type PromisedMaterial, type ApplicableMaterial } from './materials';
// Only the pure checker: the ajv layer (`./validate/index`) is the Node-only entry
// `@lianban/runtime/validate`, so that browser bundles of this barrel never contain ajv.
export { compileChecker, type CheckOptions, type CheckResult, type SubmissionChecker } from './validate/plan';
export { showcaseSchema, showcaseValidPayload, showcaseInvalidCases, LIUAN_SERVICES } from './samples/showcase';
export { toFormilySchema, helpText, RULES_SCOPE_NAME, ruleKeyOf, ruleReads, evaluateFieldRules, applyRuleOutcome, type FormilyCompiled, type FieldRules, type RuleOutcome, type RuleTarget } from './to-formily';
