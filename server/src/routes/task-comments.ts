/** Comments per task: staff add a remark (and files of the case) to their task without completing it. */
import type { TaskCommentInput } from '@lianban/runtime/contract';
import { trusted } from 'mongoose';
import { ApiError } from '../http/errors';
import { requireUser } from '../http/session';
import { bodyValidator } from '../http/validate';
import { addTaskComment, MAX_COMMENT_CHARS, MAX_COMMENT_FILES } from '../services/task-comments';
import type { FeatureRoute } from './deps';

const commentBody = bodyValidator<TaskCommentInput>({
  type: 'object', required: ['text'],
  properties: {
    text: { type: 'string', minLength: 1, maxLength: MAX_COMMENT_CHARS * 2 },
    attachments: { type: 'array', maxItems: MAX_COMMENT_FILES, items: { type: 'string', pattern: '^[0-9a-f]{24}$' } },
  },
}, 'TaskCommentInput');

export const TASK_COMMENT_ROUTES: FeatureRoute[] = [
  {
    method: 'post', path: '/tasks/:id/comments', summary: '添加办理意见与附件（不办结待办）', who: 'staff', body: 'TaskCommentInput', answer: 'TaskComment', status: 201,
    handler: async (ctx, { models, conn }) => {
      const user = requireUser(ctx);
      // another city's or department's task answers 404 whatever the body
      const mine = await models.Case.exists({ tenant: user.tenant, tasks: trusted({ $elemMatch: { id: ctx.params.id!, department: trusted({ $in: user.departments }) } }) });
      if (!mine) throw new ApiError(404, 'not-found', '待办不存在');
      ctx.body = await addTaskComment(models, conn, user, ctx.params.id!, commentBody(ctx), ctx.ip);
    },
  },
];
