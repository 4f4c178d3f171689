/**
 * Domain errors: what a service refuses, named by a stable code and explained in Chinese. The
 * services know nothing of HTTP; the error middleware (`http/errors.ts`) maps each code to its
 * status in one table. (The engine's `EngineError` and the form model's `FormSchemaError` come
 * from the runtime and are mapped in the same table.)
 */

/** The codes services throw; each has its HTTP status in `http/errors.ts` `ERROR_STATUS`. */
export type DomainErrorCode =
  | 'bad-credentials' // wrong username or password (the same answer for unknown names)
  | 'auth-level-too-low' // the sign-in's 实名 level is below the matter's `minAuthLevel` (`details.required`, `details.current`)
  | 'too-many-attempts' // this address must wait before signing in to this name (`details.retryAfter` seconds)
  | 'last-admin' // the change would leave a city without an enabled administrator
  | 'not-found' // no such case/task/record the caller may see
  | 'forbidden' // it exists, but the caller may not do this
  | 'invalid' // the input is refused; `details.errors` lists `{path, message}`
  | 'exists' // a department key or username already taken
  | 'publish-problems' // the publish checks found problems (`details.problems`)
  | 'publish-conflict' // someone published the same matter at the same moment
  | 'nothing-to-publish' // the draft is the same as the newest published version (`details.version`)
  | 'case-ended' // no more uploads to a finished case
  | 'too-large' // an upload over the size limit
  | 'unsupported-media-type' // an upload that is not PDF, PNG or JPG
  | 'infected' // an upload the scanner refused
  | 'not-draft' // a draft operation on a submitted case
  | 'already-done' // the task was completed or withdrawn
  | 'claimed' // another staff member holds the task
  | 'no-waiting-step' // a message for which the case does not wait
  | 'try-again' // a write raced others too often; nothing was written
  | 'revision-conflict' // the case changed between read and write (retried by `mutateCase`)
  | 'flow-broken' // a published flow cannot be deployed
  | 'form-broken' // a published form cannot be compiled
  | 'idempotency-key-reused' // an Idempotency-Key sent again with another request body
  | 'quota-exceeded' // a storage quota (drafts, attachment bytes) is used up
  | 'not-an-application-form' // POST /cases with a form the flow fills in a task (常州 附件5), not when applying
  | 'moved-on' // the case is no longer where the request expects it (an office move its current state no longer allows)
  | 'case-suspended' // the case is suspended (挂起): nothing is claimed or completed until 恢复
  | 'retry-failed' // an incident's retry failed again; nothing was saved
  | 'waiting-for-signers' // the task waits for its delegate or added signers (task-moves.ts)
  | 'too-soon' // a 催办 within the hour after the last one (`details.retryAfter` seconds)
  | 'licence-unavailable' // the 电子证照 platform did not answer (timeout, error); upload stays possible (`details.reason`)
  | 'template-moved-on' // the provincial template has a newer version than the one the merge was asked for
  | 'unresolved-conflict'; // a template merge accepts a conflicting change without `resolve: 'theirs'`

/** An expected refusal of a service; `details` sit beside `code` and `message` in the answer. */
export class DomainError extends Error {
  override readonly name: string = 'DomainError';
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/**
 * Raised when the case changed between read and write. `mutateCase` retries on fresh data; one
 * that escapes (no retry around it) answers 503 try-again: nothing was written.
 */
export class RevisionConflict extends DomainError {
  override readonly name = 'RevisionConflict';
  constructor() {
    super('revision-conflict', '办件正被同时处理，本次操作未生效，请稍后重试');
  }
}
