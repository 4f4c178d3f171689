/**
 * Typed engine errors. `deploy()` never throws (it returns problems); the run-time functions
 * throw an `EngineError` when the caller asks for something the state cannot do — the server
 * maps `code` to an HTTP status (409 for `definition-mismatch`/`not-active`, 404 for
 * `unknown-wait`, 422 for `invalid-outcome`/`invalid-input`).
 */
export type EngineErrorCode =
  | 'definition-mismatch' // the state was started on another definition version (hash differs)
  | 'unknown-wait' // no open wait with that id (already completed, cancelled, or never existed)
  | 'wrong-wait-kind' // e.g. fireTimer on a user task
  | 'invalid-outcome' // the outcome is not one of the task's allowed outcomes
  | 'invalid-input' // variables not a plain object, missing start event, …
  | 'not-active' // the case already ended
  | 'moved-on' // 撤回: the case's flow changed since the completion (run/recall.ts)
  | 'no-incident' // a retry of an incident that is not open (run/retry.ts)
  | 'runaway'; // a flow loops without ever waiting (guard against endless cycles)

/** Thrown by start/complete/fireTimer/failServiceTask when the request cannot apply to the state. */
export class EngineError extends Error {
  override readonly name = 'EngineError';
  constructor(
    readonly code: EngineErrorCode,
    message: string,
    readonly elementId?: string,
  ) {
    super(message);
  }
}
