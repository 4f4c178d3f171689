/**
 * Definitions: the administrators' drafts and publishing (`/admin/forms|flows|matters`), and the
 * published matters every signed-in user of the city may read (`/matters`).
 */
import { MAX_TIME_LIMIT_WORKDAYS } from '@lianban/runtime';
import type { FlowDraftBody, MatterDraftBody } from '@lianban/runtime/contract';
import { actorOf, requireUser } from '../http/session';
import { bodyValidator } from '../http/validate';
import * as defs from '../services/definitions';
import type { FeatureRoute } from './deps';

const KEY = { type: 'string', pattern: '^[a-z][a-z0-9-]{1,59}$' };
const TITLE = { type: 'string', minLength: 1, maxLength: 120 };

const formBody = bodyValidator<{ title: string; schema: Record<string, unknown> }>({
  type: 'object', required: ['title', 'schema'],
  properties: { title: TITLE, schema: { type: 'object', additionalProperties: true } },
}, 'FormDraft');
const flowBody = bodyValidator<FlowDraftBody>({
  type: 'object', required: ['title', 'xml'],
  properties: { title: TITLE, xml: { type: 'string', minLength: 1, maxLength: 2_000_000 } },
}, 'FlowDraft');
/** When a material applies (runtime MaterialWhen; the pre-check's 一次告知书). */
const MATERIAL_WHEN = {
  type: 'object', additionalProperties: false,
  properties: {
    route: { type: 'array', maxItems: 3, items: { type: 'string', enum: ['normal', 'special-work', 'illness'] } },
    applicant: { type: 'array', maxItems: 2, items: { type: 'string', enum: ['unit', 'flexible'] } },
    archive: { type: 'boolean' }, onlyChildCertificate: { type: 'boolean' },
  },
};
/** 承诺时限 / 办理时限 in working days (the publish checks compare them: matters/deadlines.ts). */
const WORKDAYS = { type: 'integer', minimum: 1, maximum: MAX_TIME_LIMIT_WORKDAYS };
const matterBody = bodyValidator<MatterDraftBody>({
  type: 'object', required: ['title', 'forms', 'flow', 'linkedItems'],
  properties: {
    title: TITLE,
    forms: { type: 'array', maxItems: 20, items: { type: 'object', required: ['key'], properties: { key: KEY, title: TITLE } } },
    flow: KEY,
    linkedItems: {
      type: 'array', maxItems: 50,
      items: {
        type: 'object', required: ['key', 'title', 'department'],
        properties: {
          key: KEY, title: TITLE, department: KEY, mandatory: { type: 'boolean' }, description: { type: 'string', maxLength: 2000 },
          standalone: { type: 'string', maxLength: 2000 }, implCode: { type: 'string', maxLength: 40 },
          timeLimit: { type: 'object', required: ['workdays'], additionalProperties: false, properties: { workdays: WORKDAYS } },
          materials: {
            type: 'array', maxItems: 50,
            items: { type: 'object', required: ['name', 'kind'], properties: { name: { type: 'string', minLength: 1, maxLength: 200 }, kind: { type: 'string', enum: ['required', 'on-request'] }, waivable: { type: 'boolean' }, when: MATERIAL_WHEN } },
          },
        },
      },
    },
    timeLimit: {
      type: 'object', required: ['workdays'], additionalProperties: false,
      properties: { workdays: WORKDAYS, warnWorkdays: { type: 'integer', minimum: 0, maximum: MAX_TIME_LIMIT_WORKDAYS } },
    },
    contact: {
      type: 'object', additionalProperties: false,
      properties: { phone: { type: 'string', maxLength: 100 }, address: { type: 'string', maxLength: 300 }, hours: { type: 'string', maxLength: 200 } },
    },
    // 实名 level required to file (services/auth-level.ts)
    minAuthLevel: { type: 'integer', minimum: 1, maximum: 3 },
    // 实施编码 and the case number's short code: their format is checked by the service (services/definitions.ts checkMatterCodes)
    implCode: { type: 'string', maxLength: 40 },
    shortCode: { type: 'string', maxLength: 8 },
  },
}, 'MatterDraft');

const tenantOf = (ctx: Parameters<FeatureRoute['handler']>[0]) => requireUser(ctx).tenant;

export const DEFINITION_ROUTES: FeatureRoute[] = [
  {
    method: 'get', path: '/admin/forms', summary: '表单列表', who: 'admin', answer: 'DefinitionSummary[]',
    handler: async (ctx, { models }) => { ctx.body = (await defs.listDefinitions(models, tenantOf(ctx))).forms; },
  },
  {
    method: 'get', path: '/admin/flows', summary: '流程列表', who: 'admin', answer: 'DefinitionSummary[]',
    handler: async (ctx, { models }) => { ctx.body = (await defs.listDefinitions(models, tenantOf(ctx))).flows; },
  },
  {
    method: 'get', path: '/admin/matters', summary: '事项列表', who: 'admin', answer: 'MatterDraftSummary[]',
    handler: async (ctx, { models }) => { ctx.body = (await defs.listDefinitions(models, tenantOf(ctx))).matters; },
  },
  {
    method: 'get', path: '/admin/forms/:key', summary: '表单草稿与已发布版本', who: 'admin', answer: 'FormDoc',
    handler: async (ctx, { models }) => { ctx.body = await defs.getForm(models, tenantOf(ctx), ctx.params.key!); },
  },
  {
    method: 'put', path: '/admin/forms/:key', summary: '保存表单草稿', who: 'admin', body: 'FormDraft', answer: 'FormDoc',
    handler: async (ctx, { models }) => {
      const { title, schema } = formBody(ctx);
      ctx.body = await defs.saveForm(models, actorOf(ctx), ctx.params.key!, title, schema);
    },
  },
  {
    method: 'get', path: '/admin/flows/:key', summary: '流程草稿与已发布版本', who: 'admin', answer: 'FlowDoc',
    handler: async (ctx, { models }) => { ctx.body = await defs.getFlow(models, tenantOf(ctx), ctx.params.key!); },
  },
  {
    method: 'put', path: '/admin/flows/:key', summary: '保存流程草稿', who: 'admin', body: 'FlowDraft', answer: 'FlowDoc',
    handler: async (ctx, { models }) => {
      const { title, xml } = flowBody(ctx);
      ctx.body = await defs.saveFlow(models, actorOf(ctx), ctx.params.key!, title, xml);
    },
  },
  {
    method: 'get', path: '/admin/matters/:key', summary: '事项草稿与已发布版本', who: 'admin', answer: 'MatterDoc',
    handler: async (ctx, { models }) => { ctx.body = await defs.getMatter(models, tenantOf(ctx), ctx.params.key!); },
  },
  {
    method: 'put', path: '/admin/matters/:key', summary: '保存事项草稿', who: 'admin', body: 'MatterDraft', answer: 'MatterDoc',
    handler: async (ctx, { models }) => { ctx.body = await defs.saveMatter(models, actorOf(ctx), ctx.params.key!, matterBody(ctx)); },
  },
  {
    method: 'post', path: '/admin/matters/:key/publish', summary: '检查并发布事项', who: 'admin', answer: 'MatterDoc',
    handler: async (ctx, { models }) => { ctx.body = await defs.publishMatter(models, actorOf(ctx), ctx.params.key!); },
  },

  {
    method: 'get', path: '/matters', summary: '本市已发布事项', who: 'signed-in', answer: 'MatterSummary[]',
    handler: async (ctx, { models }) => { ctx.body = await defs.publishedMatters(models, tenantOf(ctx)); },
  },
  {
    method: 'get', path: '/matters/:key', summary: '已发布事项（含表单与流程）', who: 'signed-in', answer: 'Matter',
    parameters: [{ name: 'version', in: 'query', required: false, description: '办件开始时的版本（其表单可能与最新版本不同）', schema: { type: 'integer', minimum: 1 } }],
    handler: async (ctx, { models }) => {
      // ?version=N: the version a running case started on (its forms may differ from the latest).
      const version = typeof ctx.query.version === 'string' && /^\d{1,6}$/.test(ctx.query.version) ? Number(ctx.query.version) : undefined;
      const v = await defs.publishedMatter(models, tenantOf(ctx), ctx.params.key!, version);
      ctx.body = { key: v.key, title: v.title, version: v.version, forms: v.forms, linkedItems: v.linkedItems, flow: { key: v.flow.key, version: v.flow.version, xml: v.flow.xml }, ...(v.contact ? { contact: v.contact } : {}), ...(v.minAuthLevel ? { minAuthLevel: v.minAuthLevel } : {}), ...(v.implCode ? { implCode: v.implCode } : {}) };
    },
  },
];
