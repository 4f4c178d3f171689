/** Shapes of the HTTP API as the web apps read them: the shared contract (`@lianban/runtime/contract`). */
export type {
  Role, User, Me, MaterialOfItem, LinkedItemDef, MatterSummary, MatterForm, Matter, TaskState, CaseStatus, ItemStatus,
  CaseItem, CaseTask, TimelineEntry, CaseSummary, CaseView, CaseFlow, Task, Attachment, Notification, UploadEntry,
  CaseSubmission, CaseCreated, TaskCompletion, ErrorBody, FieldProblem, PublishProblem,
  CorrectionNotice, ReturnTarget, TaskReturn, TaskReturned, CaseResubmitted,
  TaskRecalled, TaskClaimed, CaseStatusChanged, Suspension, CaseIncident, IncidentRetried,
  Citizen, CaseAgent, CaseChannel, CaseAttachment, TaskComment, TaskCommentInput,
  PrecheckRequest, PrecheckAnswer, MatterContactInfo,
  PublicProgress, ItemResultField,
} from '@lianban/runtime/contract';
export type { CaseDocument, DocumentVerification } from '@lianban/runtime/contract';
export type { CaseStats } from '@lianban/runtime/contract';
