/** Office moves on a whole case (API.md "Office moves"): 撤回, 撤回申请, 挂起/恢复, 终止, incidents. */
import type { MoveReason, Suspension } from '@lianban/runtime/contract';
import { requireUser } from '../http/session';
import { bodyValidator } from '../http/validate';
import * as moves from '../services/case-moves';
import type { FeatureRoute } from './deps';

const reason = { type: 'string', minLength: 1, maxLength: 500, pattern: '\\S' };
const reasonBody = bodyValidator<MoveReason>({ type: 'object', required: ['reason'], properties: { reason } }, 'MoveReason');
const suspendBody = bodyValidator<Suspension>({
  type: 'object', required: ['reason'], properties: { reason, until: { type: 'string', format: 'date-time', maxLength: 40 } },
}, 'Suspension');

export const CASE_MOVE_ROUTES: FeatureRoute[] = [
  {
    method: 'post', path: '/tasks/:id/recall', summary: '撤回（办理人本人，后续环节尚未认领或办理）', who: 'staff', answer: 'TaskRecalled',
    handler: async (ctx, { models, conn }) => { ctx.body = await moves.recallTask(models, conn, requireUser(ctx), ctx.params.id!, ctx.ip); },
  },
  {
    method: 'post', path: '/cases/:id/withdraw', summary: '撤回申请（申请人本人，受理前）', who: 'applicant', body: 'MoveReason', answer: 'CaseStatusChanged',
    handler: async (ctx, { models, conn }) => {
      await moves.reachableCase(models, requireUser(ctx), ctx.params.id!, 'withdraw');
      const body = reasonBody(ctx);
      ctx.body = await moves.withdrawCase(models, conn, requireUser(ctx), ctx.params.id!, body.reason.trim(), ctx.ip);
    },
  },
  {
    method: 'post', path: '/cases/:id/suspend', summary: '挂起办件（暂停办理时限）', who: 'staff/admin', body: 'Suspension', answer: 'CaseStatusChanged',
    handler: async (ctx, { models, conn }) => {
      await moves.reachableCase(models, requireUser(ctx), ctx.params.id!, 'hold');
      const body = suspendBody(ctx);
      ctx.body = await moves.suspendCase(models, conn, requireUser(ctx), ctx.params.id!, { reason: body.reason.trim(), until: body.until }, ctx.ip);
    },
  },
  {
    method: 'post', path: '/cases/:id/resume', summary: '恢复办件（办理时限顺延）', who: 'staff/admin', answer: 'CaseStatusChanged',
    handler: async (ctx, { models, conn }) => { ctx.body = await moves.resumeCase(models, conn, requireUser(ctx), ctx.params.id!, { ip: ctx.ip }); },
  },
  {
    method: 'post', path: '/admin/cases/:id/cancel', summary: '终止办件', who: 'admin', body: 'MoveReason', answer: 'CaseStatusChanged',
    handler: async (ctx, { models, conn }) => {
      await moves.reachableCase(models, requireUser(ctx), ctx.params.id!, 'cancel');
      const body = reasonBody(ctx);
      ctx.body = await moves.cancelCaseByAdmin(models, conn, requireUser(ctx), ctx.params.id!, body.reason.trim(), ctx.ip);
    },
  },
  {
    method: 'get', path: '/admin/incidents', summary: '故障（流程中失败的环节）', who: 'admin', answer: 'CaseIncident[]',
    handler: async (ctx, { models }) => { ctx.body = await moves.listIncidents(models, requireUser(ctx)); },
  },
  {
    method: 'post', path: '/admin/incidents/:id/retry', summary: '重试失败的环节', who: 'admin', answer: 'IncidentRetried',
    handler: async (ctx, { models, conn }) => { ctx.body = await moves.retryCaseIncident(models, conn, requireUser(ctx), ctx.params.id!, ctx.ip); },
  },
];
