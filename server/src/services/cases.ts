/**
 * Cases, by concern: submitting (submission.ts), drafts (drafts.ts), reading and listing
 * (case-reading.ts), what the application's data must satisfy (application-form.ts) and case
 * numbers (case-numbers.ts). Every engine step goes through `advanceCase` (advance-case.ts);
 * tasks, messages and the outbox are in tasks.ts. This module gathers the case operations the
 * routes call.
 */
export { createCase, submit, type SubmitInput } from './submission';
export { discardDraft, submitDraft, updateDraft } from './drafts';
export { caseFlow, getCase, isCaseCursor, listCases, revealCase } from './case-reading';
export { checkStorableKeys, requestedItems, validateSubmission } from './application-form';
