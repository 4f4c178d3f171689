/** Office moves (API.md "Office moves"): 退回 and 补正, and the administrator's move of a token. Controllers: validate, delegate. */
import type { CaseMove, CaseResubmission, TaskReturn } from '@lianban/runtime/contract';
import { requireUser } from '../http/session';
import { bodyValidator } from '../http/validate';
import * as moves from '../services/office-moves';
import { visibleCase } from '../services/case-access';
import type { FeatureRoute } from './deps';

const PATH = { type: 'string', minLength: 1, maxLength: 200 };
const ELEMENT = { type: 'string', minLength: 1, maxLength: 200 };

const returnBody = bodyValidator<TaskReturn>({
  type: 'object', required: ['to', 'reason'], additionalProperties: false,
  properties: {
    to: ELEMENT,
    reason: { type: 'string', minLength: 1, maxLength: 2000 },
    fields: { type: 'array', maxItems: 100, items: PATH },
    notes: { type: 'object', maxProperties: 100, additionalProperties: { type: 'string', maxLength: 500 } },
    deadline: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
  },
}, 'TaskReturn');
const resubmitBody = bodyValidator<CaseResubmission>({
  type: 'object', required: ['data'], additionalProperties: false,
  properties: { data: { type: 'object', additionalProperties: true, maxProperties: 500 } },
}, 'CaseResubmission');
const moveBody = bodyValidator<CaseMove>({
  type: 'object', required: ['from', 'to'], additionalProperties: false,
  properties: { from: { oneOf: [ELEMENT, { type: 'array', minItems: 1, maxItems: 100, items: ELEMENT }] }, to: ELEMENT },
}, 'CaseMove');

export const OFFICE_MOVE_ROUTES: FeatureRoute[] = [
  {
    method: 'get', path: '/tasks/:id/return-targets', summary: '可退回的此前环节', who: 'staff', answer: 'ReturnTarget[]',
    handler: async (ctx, { models }) => { ctx.body = await moves.returnTargetsOf(models, requireUser(ctx), ctx.params.id!); },
  },
  {
    method: 'post', path: '/tasks/:id/return', summary: '退回（申请人补正，或此前环节）', who: 'staff', body: 'TaskReturn', answer: 'TaskReturned',
    handler: async (ctx, { models, conn }) => {
      const user = requireUser(ctx);
      await moves.returnTargetsOf(models, user, ctx.params.id!); // another's task answers 403/404 whatever the body
      ctx.body = await moves.returnTask(models, conn, user, ctx.params.id!, returnBody(ctx), ctx.ip);
    },
  },
  {
    method: 'post', path: '/cases/:id/resubmit', summary: '提交补正', who: 'applicant', body: 'CaseResubmission', answer: 'CaseResubmitted',
    handler: async (ctx, { models, conn }) => {
      const user = requireUser(ctx);
      await visibleCase(models, user, ctx.params.id!); // another's id answers 404 whatever the body
      ctx.body = await moves.resubmitCase(models, conn, user, ctx.params.id!, resubmitBody(ctx).data, ctx.ip);
    },
  },
  {
    method: 'post', path: '/admin/cases/:id/move', summary: '移动办件的流程令牌（管理员）', who: 'admin', body: 'CaseMove', answer: 'CaseMoved',
    handler: async (ctx, { models, conn }) => {
      const user = requireUser(ctx);
      await visibleCase(models, user, ctx.params.id!); // another city's id answers 404 whatever the body
      ctx.body = await moves.moveCase(models, conn, user, ctx.params.id!, moveBody(ctx), ctx.ip);
    },
  },
];
