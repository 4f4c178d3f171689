/**
 * The office's moves on a task (API.md "Office moves", docs/office-moves.md): 转办, 委派, 加签,
 * 抄送, 催办, batch handling, and the staff list a move picks colleagues from.
 */

/** `POST /tasks/:id/transfer` and `/delegate` body. */
export interface TaskHandOver { to: string; reason?: string }

/** `POST /tasks/:id/transfer` answer: the task, now claimed by the colleague. */
export interface TaskTransferred { id: string; state: 'claimed'; claimedBy: string }

/** `POST /tasks/:id/delegate` answer. */
export interface TaskDelegated { id: string; state: 'claimed'; claimedBy: string; owner: string; delegation: 'pending' }

/** 加签 modes: the signers approve before the claimant, after them, or alongside. */
export type CountersignMode = 'before' | 'after' | 'parallel';

/** `POST /tasks/:id/add-signers` body. */
export interface AddSigners { users: string[]; mode: CountersignMode }

/** `POST /tasks/:id/add-signers` answer: the signers' sub-tasks opened now (none for `after`: they open when the claimant completes). */
export interface SignersAdded { id: string; mode: CountersignMode; signers: string[]; tasks: { id: string; assignee: string }[] }

/** `POST /tasks/:id/cc` body (at least one of them). */
export interface CarbonCopy { users?: string[]; departments?: string[] }

/** `POST /tasks/:id/cc` answer. */
export interface CarbonCopied { id: string; cc: { users: string[]; departments: string[] } }

/** `POST /tasks/:id/remind` answer (429 `too-soon` within the hour after the last one). */
export interface TaskReminded { id: string; remindedAt: string; notified: number }

/** `POST /tasks/batch` body: at most 50 ids; `outcome` (and `comment`) for `complete`. */
export interface TaskBatch { action: 'claim' | 'complete'; ids: string[]; outcome?: string; comment?: string }

/** `POST /tasks/batch` answer: one result per id, in order; each task was handled on its own. */
export interface TaskBatchResult { results: { id: string; ok: boolean; status: number; error?: { code: string; message: string } }[] }

/** `GET /staff?department=`: one colleague (nothing more than whom to name). */
export interface StaffMember { username: string; name: string; departments: string[] }

/**
 * What a task carries of the moves in `GET /cases/:id` and `GET /tasks` (all optional): the
 * delegate or signer it belongs to, the delegator, a 加签 sub-task's parent, a pending 加签.
 */
export interface TaskMoveState {
  assignee?: string;
  owner?: string;
  delegation?: 'pending' | 'resolved';
  delegateResult?: { by: string; outcome?: string; comment?: string; at: string };
  countersign?: { mode: CountersignMode; signers: string[]; by: string };
  held?: { by: string; outcome?: string; comment?: string; at: string };
  parentId?: string;
}
