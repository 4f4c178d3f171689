/**
 * 挂起 (suspended cases): the one check that nothing changes a suspended case's tasks or flow.
 *
 * A mongoose plugin on the case schema. Every update of a case that writes its `tasks` or its
 * `flow` (claim, complete, 转办, 委派, 加签, 催办, 退回, 撤回, batch, a department system's
 * message, a timer, an admin move or retry — whatever the route or service) is made conditional
 * on the case not being suspended. A write that ends or starts the suspension itself (it sets
 * `suspension`: 恢复, 撤回申请, 终止, 挂起) is not. When the condition makes the update match
 * nothing and the case is indeed suspended, the update throws `case-suspended` (409, inside the
 * caller's transaction, so nothing of the step is written); otherwise the caller sees its usual
 * revision conflict. Comments, 抄送, attachments and reading do not touch tasks or flow.
 */
import { trusted, type Query, type Schema } from 'mongoose';
import { DomainError } from '../services/errors';

export const SUSPENDED_MESSAGE = '办件已挂起，恢复后才能办理';

/** The fields whose change moves tasks or tokens. */
const GUARDED = ['tasks', 'flow'];

const touches = (path: string) => GUARDED.some((g) => path === g || path.startsWith(`${g}.`));

/** Whether an update document writes tasks or flow without setting `suspension`. */
export function changesWorkWithoutSuspension(update: Record<string, unknown> | null | undefined): boolean {
  if (!update) return false;
  let work = false;
  for (const [op, value] of Object.entries(update)) {
    if (!op.startsWith('$')) { if (touches(op)) work = true; continue; }
    if (!value || typeof value !== 'object') continue;
    if (op === '$set' && Object.hasOwn(value, 'suspension')) return false;
    if (Object.keys(value).some(touches)) work = true;
  }
  return work;
}

/** Queries made conditional here: their post hook explains a miss. */
const guarded = new WeakSet<object>();

type AnyQuery = Query<unknown, unknown>;

export function refuseWorkWhileSuspended(schema: Schema): void {
  schema.pre(['updateOne', 'updateMany', 'findOneAndUpdate'], function (this: AnyQuery) {
    if (!changesWorkWithoutSuspension(this.getUpdate() as Record<string, unknown> | null)) return;
    this.where({ status: trusted({ $ne: 'suspended' }) });
    guarded.add(this);
  });
  for (const op of ['updateOne', 'updateMany'] as const) {
    schema.post(op, async function (res: unknown) {
      if (!guarded.has(this) || ((res as { matchedCount?: number } | null)?.matchedCount ?? 1) > 0) return;
      await explainMiss(this as unknown as AnyQuery);
    });
  }
  schema.post('findOneAndUpdate', async function (res: unknown) {
    if (!guarded.has(this) || res) return;
    await explainMiss(this as unknown as AnyQuery);
  });
}

async function explainMiss(query: AnyQuery): Promise<void> {
  const { status: _ignored, ...filter } = query.getFilter() as Record<string, unknown>;
  const id = filter._id;
  if (id === undefined) return;
  const session = query.getOptions().session;
  const doc = await query.model.findOne({ _id: id }).select({ status: 1 }).session(session ?? null).lean<{ status?: string } | null>();
  if (doc?.status === 'suspended') throw new DomainError('case-suspended', SUSPENDED_MESSAGE);
}
