/** Case pieces shared by the applicant portal and the staff tasklist. */
export * from './labels';
export * from './case-model';
export { CaseStatusTag, ItemStatusTag, ItemsTable, CaseTimeline, PromisedMaterials } from './CasePieces';
export { FlowDiagram } from './FlowDiagram';
export { CaseHead, CaseProgress, type CaseHeadRow } from './CaseProgress';
export { loadCaseWithForm, type CaseWithForm } from './case-load';
export { ReasonDialog, type ReasonResult } from './ReasonDialog';
export { TaskChain } from './TaskChain';
export { CounterFacts, CaseFiles, TaskComments } from './CaseWorkNotes';
export { CaseDocuments } from './CaseDocuments';
export { CaseEvaluation, EvaluationCard, evaluationTargets } from './EvaluationCard';
export { DeadlineTag, deadlineTagOf, deadlineRows, type DeadlineTagProps } from './DeadlineTag';
