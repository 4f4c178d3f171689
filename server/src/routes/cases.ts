/** Cases (办件): applications and drafts, a case's view and its flow (API.md). Controllers: validate, delegate. */
import type { CaseSubmission, DraftUpdate } from '@lianban/runtime/contract';
import { ApiError } from '../http/errors';
import { actorOf, requireUser } from '../http/session';
import { bodyValidator } from '../http/validate';
import { PAGE_PARAMETERS, pageQuery, sendPage } from '../http/paging';
import * as cases from '../services/cases';
import { visibleCase } from '../services/case-access';
import { MAX_QUERY, parseCaseSearch } from '../services/case-search';
import type { FeatureRoute } from './deps';

const KEY = { type: 'string', pattern: '^[a-z][a-z0-9-]{1,59}$' };
const DATA = { type: 'object', additionalProperties: true, maxProperties: 500 };
/** A client-chosen key (e.g. a UUID per submission attempt) making POST /cases safe to retry (also in the OpenAPI document). */
export const IDEMPOTENCY_KEY_PATTERN = '^[A-Za-z0-9._-]{1,100}$';
const IDEMPOTENCY_KEY = new RegExp(IDEMPOTENCY_KEY_PATTERN);

/** POST /cases: a retry with the same key gets the case the first attempt created (header `Idempotent-Replayed: true`). */
const IDEMPOTENCY_KEY_HEADER = {
  name: 'Idempotency-Key', in: 'header', required: false,
  description: '客户端为每次提交生成的唯一键（如 UUID）：网络中断或 502 后用同一键重试，返回第一次创建的办件，不会重复提交',
  schema: { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN },
};

const submitBody = bodyValidator<CaseSubmission>({
  type: 'object', required: ['matter', 'form', 'data'],
  properties: {
    matter: KEY, form: KEY, data: DATA, draft: { type: 'boolean' }, promised: { type: 'array', maxItems: 50, items: { type: 'string', maxLength: 100 } },
    // 窗口收件 (window staff only): the citizen, and the agent who came for them; checked by services/counter-intake.ts
    onBehalfOf: { type: 'object', required: ['idNumber', 'name', 'phone'], properties: { idNumber: { type: 'string', maxLength: 18 }, name: { type: 'string', maxLength: 30 }, phone: { type: 'string', maxLength: 20 } } },
    agent: { type: 'object', required: ['name', 'idNumber', 'relation'], properties: { name: { type: 'string', maxLength: 30 }, idNumber: { type: 'string', maxLength: 18 }, relation: { type: 'string', maxLength: 30 } } },
  },
}, 'CaseSubmission');
const draftBody = bodyValidator<DraftUpdate>({ type: 'object', required: ['data'], properties: { data: DATA } }, 'Draft');

export const CASE_ROUTES: FeatureRoute[] = [
  {
    method: 'post', path: '/cases', summary: '提交申请（或保存草稿）；窗口人员以 onBehalfOf 代申请人收件', who: 'applicant/staff', body: 'CaseSubmission', answer: 'CaseCreated', status: 201,
    parameters: [IDEMPOTENCY_KEY_HEADER],
    handler: async (ctx, { models, conn, quotas }) => {
      const user = requireUser(ctx);
      const body = submitBody(ctx);
      // staff file only for a citizen, at the counter (the service checks they are window staff)
      if (!body.onBehalfOf && !body.agent && !user.roles.includes('applicant')) throw new ApiError(403, 'forbidden', '没有权限执行此操作');
      const key = ctx.get('idempotency-key') || undefined;
      if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
        throw new ApiError(400, 'bad-idempotency-key', 'Idempotency-Key 须为 1–100 个字母、数字、点、下划线或连字符', { errors: [{ path: 'Idempotency-Key', message: '格式不正确' }] });
      }
      const { replayed, ...created } = await cases.createCase(models, conn, user, body, ctx.ip, key, quotas) as Awaited<ReturnType<typeof cases.createCase>> & { replayed?: true };
      // A retry of a request that already created its case: the same answer, marked as a replay.
      if (replayed) ctx.set('Idempotent-Replayed', 'true');
      ctx.body = created;
    },
  },
  {
    method: 'get', path: '/cases', summary: '办件列表', who: 'signed-in', answer: 'CaseSummary[]',
    parameters: [
      { name: 'status', in: 'query', required: false, schema: { type: 'string' } },
      { name: 'mine', in: 'query', required: false, description: 'filed: 我受理的（本人在窗口收件的办件）; cc: 抄送我的（抄送给本人或本部门的办件）', schema: { type: 'string', enum: ['filed', 'cc'] } },
      { name: 'q', in: 'query', required: false, description: '办件查询：办件编号、申请人身份证号（记入审计）或申请人姓名', schema: { type: 'string', maxLength: MAX_QUERY } },
      ...PAGE_PARAMETERS,
    ],
    handler: async (ctx, { models }) => {
      const status = typeof ctx.query.status === 'string' ? ctx.query.status : undefined;
      const mine = ctx.query.mine;
      if (mine !== undefined && mine !== 'filed' && mine !== 'cc') throw new ApiError(422, 'invalid', '参数 mine 只能是 filed 或 cc', { errors: [{ path: 'mine', message: '只能是 filed（我受理的）或 cc（抄送我的）' }] });
      const q = ctx.query.q;
      if (q !== undefined && typeof q !== 'string') throw new ApiError(422, 'invalid', '参数 q 只能出现一次', { errors: [{ path: 'q', message: '只能出现一次' }] });
      const search = q === undefined ? undefined : parseCaseSearch(q);
      const { items, next } = await cases.listCases(models, requireUser(ctx), { status, ...(mine ? { mine } : {}), ...(search ? { search, actor: actorOf(ctx) } : {}), ...pageQuery(ctx, cases.isCaseCursor) });
      ctx.body = sendPage(ctx, items, next);
    },
  },
  {
    method: 'get', path: '/cases/:id', summary: '办件详情（身份证号对工作人员脱敏）', who: 'owner/staff/admin', answer: 'CaseView',
    handler: async (ctx, { models }) => { ctx.body = await cases.getCase(models, requireUser(ctx), ctx.params.id!); },
  },
  {
    method: 'put', path: '/cases/:id', summary: '修改草稿（申请人；窗口收件的草稿：收件人）', who: 'applicant/staff', body: 'Draft', answer: 'DraftSaved',
    handler: async (ctx, { models, conn }) => {
      const user = requireUser(ctx);
      await visibleCase(models, user, ctx.params.id!); // another's id answers 404 whatever the body
      ctx.body = await cases.updateDraft(models, conn, user, ctx.params.id!, draftBody(ctx).data, ctx.ip);
    },
  },
  {
    method: 'post', path: '/cases/:id/submit', summary: '提交草稿（申请人；窗口收件的草稿：收件人）', who: 'applicant/staff', answer: 'CaseSubmitted',
    handler: async (ctx, { models, conn }) => { ctx.body = await cases.submitDraft(models, conn, requireUser(ctx), ctx.params.id!, ctx.ip); },
  },
  {
    method: 'post', path: '/cases/:id/discard', summary: '删除草稿（连同已上传的材料）', who: 'applicant', answer: 'Ok',
    handler: async (ctx, { models, conn }) => {
      const user = requireUser(ctx);
      await visibleCase(models, user, ctx.params.id!);
      ctx.body = await cases.discardDraft(models, conn, user, ctx.params.id!, ctx.ip);
    },
  },
  {
    method: 'post', path: '/cases/:id/reveal', summary: '查看完整信息（记入审计）', who: 'staff', answer: 'CaseView',
    handler: async (ctx, { models }) => { ctx.body = await cases.revealCase(models, requireUser(ctx), ctx.params.id!, actorOf(ctx)); },
  },
  {
    method: 'get', path: '/cases/:id/flow', summary: '办件流程图与进度', who: 'owner/staff/admin', answer: 'CaseFlow',
    handler: async (ctx, { models }) => { ctx.body = await cases.caseFlow(models, requireUser(ctx), ctx.params.id!); },
  },
];
