/** 好差评 (services/evaluation.ts, docs/evaluation.md): rating a case or item, the SMS link, 差评 follow-ups. */
import { POOR_REASONS, type EvaluationBody, type FollowUpBody } from '@lianban/runtime/contract';
import { requireUser } from '../http/session';
import { bodyValidator } from '../http/validate';
import { visibleCase } from '../services/case-access';
import * as evaluation from '../services/evaluation';
import type { FeatureRoute } from './deps';

const ratingBody = bodyValidator<EvaluationBody>({
  type: 'object', required: ['score'],
  properties: {
    score: { type: 'integer', minimum: 1, maximum: 5 },
    item: { type: 'string', minLength: 1, maxLength: 64 },
    indicators: { type: 'object', maxProperties: 8, additionalProperties: { type: 'integer', minimum: 1, maximum: 5 } },
    reasons: { type: 'array', maxItems: POOR_REASONS.length, uniqueItems: true, items: { type: 'string', maxLength: 40 } },
    comment: { type: 'string', maxLength: 1000 },
    channel: { type: 'string', enum: ['portal', 'sms', 'window'] },
  },
}, 'EvaluationBody');

const followUpBody = bodyValidator<FollowUpBody>({
  type: 'object', required: ['kind', 'note'],
  properties: { kind: { type: 'string', enum: ['rectify', 'revisit'] }, note: { type: 'string', minLength: 1, maxLength: 1000, pattern: '\\S' } },
}, 'FollowUpBody');

const flag = (v: unknown) => v === '1' || v === 'true';

export const EVALUATION_ROUTES: FeatureRoute[] = [
  {
    method: 'post', path: '/cases/:id/evaluation', summary: '好差评（办结后，每件一次；可对各联办事项分别评价）', who: 'owner/window', body: 'EvaluationBody', answer: 'Evaluation', status: 201,
    handler: async (ctx, { models, conn }) => {
      ctx.body = await evaluation.rateCase(models, conn, requireUser(ctx), ctx.params.id!, () => ratingBody(ctx), ctx.ip);
    },
  },
  {
    method: 'get', path: '/cases/:id/evaluations', summary: '办件的评价', who: 'owner/staff/admin', answer: 'Evaluation[]',
    handler: async (ctx, { models }) => {
      const doc = await visibleCase(models, requireUser(ctx), ctx.params.id!);
      ctx.body = await evaluation.caseEvaluations(models, String(doc._id));
    },
  },
  {
    method: 'get', path: '/evaluations', summary: '好差评列表（管理员：本市；工作人员：本部门被评价的）', who: 'staff/admin', answer: 'Evaluation[]',
    parameters: [
      { name: 'open', in: 'query', required: false, schema: { type: 'string', enum: ['1', '0'] }, description: '1：只列有未完成整改或回访的' },
      { name: 'poor', in: 'query', required: false, schema: { type: 'string', enum: ['1', '0'] }, description: '1：只列差评' },
    ],
    handler: async (ctx, { models }) => {
      ctx.body = await evaluation.listEvaluations(models, requireUser(ctx), { open: flag(ctx.query.open), poor: flag(ctx.query.poor) });
    },
  },
  {
    method: 'post', path: '/evaluations/:id/follow-up', summary: '记录差评的整改（管理员）或回访（被评价部门）', who: 'staff/admin', body: 'FollowUpBody', answer: 'Evaluation',
    handler: async (ctx, { models, conn }) => {
      ctx.body = await evaluation.recordFollowUp(models, conn, requireUser(ctx), ctx.params.id!, () => followUpBody(ctx), ctx.ip);
    },
  },
  {
    method: 'get', path: '/public/evaluation/:token', summary: '短信评价链接：评价对象（无需登录，不含个人信息）', who: 'anyone', answer: 'EvaluationInvite',
    handler: async (ctx, { models }) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await evaluation.evaluationInvite(models, ctx.params.token!);
    },
  },
  {
    method: 'post', path: '/public/evaluation/:token', summary: '短信评价链接：提交评价（无需登录）', who: 'anyone', body: 'EvaluationBody', answer: 'Evaluation', status: 201,
    handler: async (ctx, { models, conn }) => {
      ctx.body = await evaluation.rateByInvite(models, conn, ctx.params.token!, ratingBody(ctx), ctx.ip);
    },
  },
];
