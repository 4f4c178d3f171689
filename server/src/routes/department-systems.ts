/** What department systems call with their API key: reporting back (`/messages`) and pulling their outbox. */
import type { MessageRequest } from '@lianban/runtime/contract';
import { actorOf, requireSystem } from '../http/session';
import { bodyValidator } from '../http/validate';
import * as tasks from '../services/tasks';
import type { FeatureRoute } from './deps';

const messageBody = bodyValidator<MessageRequest>({
  type: 'object', required: ['name', 'caseNo'],
  properties: { name: { type: 'string', minLength: 1, maxLength: 100 }, caseNo: { type: 'string', pattern: '^[A-Z]{2}\\d{12}$' }, variables: { type: 'object', additionalProperties: true, maxProperties: 100 } },
}, 'Message');

export const DEPARTMENT_SYSTEM_ROUTES: FeatureRoute[] = [
  {
    method: 'post', path: '/messages', summary: '部门系统反馈办理结果', who: 'department-system', body: 'Message', answer: 'MessageCorrelated',
    handler: async (ctx, { models, conn }) => { ctx.body = await tasks.correlateMessage(models, conn, requireSystem(ctx), messageBody(ctx), ctx.ip); },
  },
  {
    method: 'get', path: '/outbox', summary: '推送给本部门的事项', who: 'department-system', answer: 'OutboxEntry[]',
    handler: async (ctx, { models }) => { ctx.body = await tasks.listOutbox(models, requireSystem(ctx), actorOf(ctx)); },
  },
  {
    method: 'post', path: '/outbox/:id/ack', summary: '确认已取走推送', who: 'department-system', answer: 'Ok',
    handler: async (ctx, { models }) => {
      await tasks.ackOutbox(models, requireSystem(ctx), ctx.params.id!, actorOf(ctx));
      ctx.body = { ok: true };
    },
  },
];
