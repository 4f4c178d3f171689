/**
 * The error body every failed request answers with (docs/api.md): `code` stable English for
 * machines, `message` Chinese for people; details sit beside them.
 */

/** 422: one field's problem, by dotted data path. */
export interface FieldProblem { path: string; message: string; code?: string }

/** 422 on publish: one problem, naming the flow element or form field. */
export interface PublishProblem { element?: string; field?: string; message: string }

/** `{error:{code,message,…}}`. */
export interface ErrorBody {
  error: {
    code: string;
    message: string;
    /** 422 `invalid`: the fields at fault. */
    errors?: FieldProblem[];
    /** 422 on publish: what keeps the matter from being published. */
    problems?: PublishProblem[];
    [detail: string]: unknown;
  };
}

/** `{ok:true}`: the answer of actions that return nothing else. */
export interface Ok { ok: true }
