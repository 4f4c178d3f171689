/** The office's moves on a task (转办, 委派, 加签, 抄送, 催办), batch handling, and the staff list (docs/office-moves.md). */
import type { AddSigners, CarbonCopy, TaskBatch, TaskHandOver } from '@lianban/runtime/contract';
import { errorAnswer } from '../http/errors';
import { requireUser } from '../http/session';
import { bodyValidator } from '../http/validate';
import { DomainError } from '../services/errors';
import * as moves from '../services/task-moves';
import * as tasks from '../services/tasks';
import type { FeatureRoute } from './deps';

const username = { type: 'string', minLength: 1, maxLength: 60 };
const handOver = (name: string) => bodyValidator<TaskHandOver>({
  type: 'object', required: ['to'],
  properties: { to: username, reason: { type: 'string', maxLength: 500 } },
}, name);
const transferBody = handOver('TaskTransfer');
const delegateBody = handOver('TaskDelegation');
const signersBody = bodyValidator<AddSigners>({
  type: 'object', required: ['users', 'mode'],
  properties: { users: { type: 'array', items: username, minItems: 1, maxItems: moves.MAX_SIGNERS }, mode: { type: 'string', enum: ['before', 'after', 'parallel'] } },
}, 'AddSigners');
const ccBody = bodyValidator<CarbonCopy>({
  type: 'object',
  properties: { users: { type: 'array', items: username, maxItems: moves.MAX_CC }, departments: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 60 }, maxItems: moves.MAX_CC } },
}, 'CarbonCopy');
export const MAX_BATCH = 50;
const batchBody = bodyValidator<TaskBatch>({
  type: 'object', required: ['action', 'ids'],
  properties: {
    action: { type: 'string', enum: ['claim', 'complete'] },
    ids: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 100 }, minItems: 1, maxItems: MAX_BATCH },
    outcome: { type: 'string', maxLength: 60 },
    comment: { type: 'string', maxLength: 2000 },
  },
}, 'TaskBatch');

export const TASK_MOVE_ROUTES: FeatureRoute[] = [
  {
    method: 'post', path: '/tasks/batch', summary: '批量认领或办理待办（每件单独处理，最多 50 件）', who: 'staff', body: 'TaskBatch', answer: 'TaskBatchResult',
    handler: async (ctx, { models, conn }) => {
      const user = requireUser(ctx);
      const body = batchBody(ctx);
      const results = [];
      // One at a time, each in its own transaction: one failing does not stop the others.
      for (const id of [...new Set(body.ids)]) {
        try {
          if (body.action === 'claim') await tasks.claimTask(models, conn, user, id, true, ctx.ip);
          else await tasks.completeTask(models, conn, { user }, user.tenant, id, { outcome: body.outcome, comment: body.comment }, ctx.ip);
          results.push({ id, ok: true, status: 200 });
        } catch (err) {
          // as the error body of that task alone would say it
          const { status, body: { error }, report } = errorAnswer(err);
          if (report) ctx.app.emit('error', err, ctx);
          results.push({ id, ok: false, status, error });
        }
      }
      ctx.body = { results };
    },
  },
  {
    method: 'post', path: '/tasks/:id/transfer', summary: '转办（本部门同事）', who: 'staff', body: 'TaskTransfer', answer: 'TaskTransferred',
    handler: async (ctx, { models, conn }) => {
      const user = requireUser(ctx);
      await moves.requireOwnTask(models, user, ctx.params.id!);
      ctx.body = await moves.transferTask({ models, conn }, user, ctx.params.id!, transferBody(ctx), ctx.ip);
    },
  },
  {
    method: 'post', path: '/tasks/:id/delegate', summary: '委派（同事办理后交回）', who: 'staff', body: 'TaskDelegation', answer: 'TaskDelegated',
    handler: async (ctx, { models, conn }) => {
      const user = requireUser(ctx);
      await moves.requireOwnTask(models, user, ctx.params.id!);
      ctx.body = await moves.delegateTask({ models, conn }, user, ctx.params.id!, delegateBody(ctx), ctx.ip);
    },
  },
  {
    method: 'post', path: '/tasks/:id/add-signers', summary: '加签（前加签、后加签、并行加签）', who: 'staff', body: 'AddSigners', answer: 'SignersAdded',
    handler: async (ctx, { models, conn }) => {
      const user = requireUser(ctx);
      await moves.requireOwnTask(models, user, ctx.params.id!);
      ctx.body = await moves.addSigners({ models, conn }, user, ctx.params.id!, signersBody(ctx), ctx.ip);
    },
  },
  {
    method: 'post', path: '/tasks/:id/cc', summary: '抄送（只读查看并通知）', who: 'staff', body: 'CarbonCopy', answer: 'CarbonCopied',
    handler: async (ctx, { models, conn }) => {
      const user = requireUser(ctx);
      await moves.requireOwnTask(models, user, ctx.params.id!);
      ctx.body = await moves.ccTask({ models, conn }, user, ctx.params.id!, ccBody(ctx), ctx.ip);
    },
  },
  {
    method: 'post', path: '/tasks/:id/remind', summary: '催办（每件待办每小时一次）', who: 'owner/admin', answer: 'TaskReminded',
    handler: async (ctx, { models, conn }) => {
      try {
        ctx.body = await moves.remindTask({ models, conn }, requireUser(ctx), ctx.params.id!, ctx.ip);
      } catch (err) {
        if (err instanceof DomainError && err.code === 'too-soon') ctx.set('Retry-After', String(err.details.retryAfter ?? 3600));
        throw err;
      }
    },
  },
  {
    method: 'get', path: '/staff', summary: '本市工作人员（可按部门筛选；仅用户名与姓名）', who: 'staff', answer: 'StaffMember[]',
    parameters: [{ name: 'department', in: 'query', required: false, schema: { type: 'string' } }],
    handler: async (ctx, { models }) => {
      const department = typeof ctx.query.department === 'string' && ctx.query.department ? ctx.query.department : undefined;
      ctx.body = await moves.listStaff(models, requireUser(ctx), department);
    },
  },
];
