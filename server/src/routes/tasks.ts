/** Tasks (待办): the staff's and applicants' queues, claiming, and completing (also by department systems). */
import type { Context } from 'koa';
import type { TaskCompletion } from '@lianban/runtime/contract';
import { ApiError } from '../http/errors';
import { requireUser, type CallerState } from '../http/session';
import { bodyValidator } from '../http/validate';
import { PAGE_PARAMETERS, pageQuery, sendPage } from '../http/paging';
import * as tasks from '../services/tasks';
import type { FeatureRoute } from './deps';

const completeBody = bodyValidator<TaskCompletion>({
  type: 'object',
  properties: { outcome: { type: 'string', maxLength: 60 }, data: { type: 'object', additionalProperties: true, maxProperties: 100 }, comment: { type: 'string', maxLength: 2000 } },
}, 'TaskCompletion');

/** Who completes: a department system by its API key, or a signed-in user. */
function completer(ctx: Context): tasks.Completer {
  const state = ctx.state as CallerState;
  if (state.system) return { system: state.system };
  if (state.user) return { user: state.user };
  throw new ApiError(401, 'unauthenticated', '请先登录（或登录已超时）');
}

export const TASK_ROUTES: FeatureRoute[] = [
  {
    method: 'get', path: '/tasks', summary: '待办（工作人员：本部门；申请人：本人）', who: 'signed-in', answer: 'Task[]',
    parameters: [...['state', 'department', 'q', 'id'].map((name) => ({ name, in: 'query', required: false, schema: { type: 'string' } })), ...PAGE_PARAMETERS],
    handler: async (ctx, { models }) => {
      const q = (k: string) => (typeof ctx.query[k] === 'string' ? (ctx.query[k] as string) : undefined);
      const page = pageQuery(ctx, tasks.isTaskCursor);
      const { items, next } = await tasks.listTasks(models, requireUser(ctx), { state: q('state'), department: q('department'), q: q('q'), id: q('id') }, page);
      ctx.body = sendPage(ctx, items, next);
    },
  },
  {
    method: 'post', path: '/tasks/:id/claim', summary: '认领待办', who: 'staff', answer: 'TaskClaimed',
    handler: async (ctx, { models, conn }) => { ctx.body = await tasks.claimTask(models, conn, requireUser(ctx), ctx.params.id!, true, ctx.ip); },
  },
  {
    method: 'post', path: '/tasks/:id/unclaim', summary: '释放待办', who: 'staff', answer: 'TaskClaimed',
    handler: async (ctx, { models, conn }) => { ctx.body = await tasks.claimTask(models, conn, requireUser(ctx), ctx.params.id!, false, ctx.ip); },
  },
  {
    method: 'post', path: '/tasks/:id/complete', summary: '办理待办', who: 'staff/applicant/department-system', body: 'TaskCompletion', answer: 'TaskCompleted',
    handler: async (ctx, { models, conn }) => {
      const who = completer(ctx);
      const tenant = who.user?.tenant ?? who.system!.tenant;
      ctx.body = await tasks.completeTask(models, conn, who, tenant, ctx.params.id!, completeBody(ctx), ctx.ip);
    },
  },
];
