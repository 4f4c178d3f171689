/**
 * Provincial templates (省级模板, docs/templates.md): the operator's drafts and versions
 * (`/platform/templates`), and a city administrator's derive, three-way diff and merge
 * (`/admin/templates`, `/admin/matters/:key/template-diff|template-merge`). services/templates.ts.
 */
import { MAX_TIME_LIMIT_WORKDAYS } from '@lianban/runtime';
import type { TemplateDeriveBody, TemplateDraftBody, TemplateMergeBody, TemplatePublishBody } from '@lianban/runtime/contract';
import { actorOf, requireUser } from '../http/session';
import { bodyValidator } from '../http/validate';
import * as templates from '../services/templates';
import { templateOverviews } from '../services/template-sources';
import type { FeatureRoute } from './deps';

const KEY = { type: 'string', pattern: '^[a-z][a-z0-9-]{1,59}$' };
const TITLE = { type: 'string', minLength: 1, maxLength: 120 };
const WORKDAYS = { type: 'integer', minimum: 1, maximum: MAX_TIME_LIMIT_WORKDAYS };

const draftBody = bodyValidator<TemplateDraftBody>({
  type: 'object', required: ['title', 'matter', 'forms', 'flow'],
  properties: {
    title: TITLE,
    matter: {
      type: 'object', required: ['forms', 'flow', 'linkedItems'],
      properties: {
        forms: { type: 'array', maxItems: 20, items: { type: 'object', required: ['key'], properties: { key: KEY, title: TITLE } } },
        flow: KEY,
        // the linked items' own fields are those of PUT /admin/matters/:key; the publish checks read them
        linkedItems: { type: 'array', maxItems: 50, items: { type: 'object', required: ['key', 'title', 'department'], additionalProperties: true, properties: { key: KEY, title: TITLE, department: KEY } } },
        timeLimit: { type: 'object', required: ['workdays'], properties: { workdays: WORKDAYS, warnWorkdays: { type: 'integer', minimum: 0, maximum: MAX_TIME_LIMIT_WORKDAYS } } },
        contact: { type: 'object', properties: { phone: { type: 'string', maxLength: 100 }, address: { type: 'string', maxLength: 300 }, hours: { type: 'string', maxLength: 200 } } },
        minAuthLevel: { type: 'integer', minimum: 1, maximum: 3 },
      },
    },
    forms: { type: 'array', minItems: 1, maxItems: 20, items: { type: 'object', required: ['key', 'title', 'schema'], properties: { key: KEY, title: TITLE, schema: { type: 'object', additionalProperties: true } } } },
    flow: { type: 'object', required: ['key', 'title', 'xml'], properties: { key: KEY, title: TITLE, xml: { type: 'string', minLength: 1, maxLength: 2_000_000 } } },
  },
}, 'TemplateDraft');
const publishBody = bodyValidator<TemplatePublishBody>({ type: 'object', required: ['key'], properties: { key: KEY } }, 'TemplatePublish');
const deriveBody = bodyValidator<TemplateDeriveBody>({ type: 'object', properties: { version: { type: 'integer', minimum: 1 } } }, 'TemplateDerive');
const mergeBody = bodyValidator<TemplateMergeBody>({
  type: 'object', required: ['accept', 'version'],
  properties: {
    accept: { type: 'array', maxItems: 2000, items: { type: 'string', minLength: 1, maxLength: 400 } },
    version: { type: 'integer', minimum: 1 },
    resolve: { type: 'string', enum: ['theirs'] },
  },
}, 'TemplateMerge');

export const TEMPLATE_ROUTES: FeatureRoute[] = [
  {
    method: 'get', path: '/platform/templates', summary: '省级模板（最新发布版本、版本历史、草稿是否有未发布的修改、派生的城市事项）', who: 'operator', answer: 'TemplateOverview[]',
    handler: async (ctx, { models }) => { ctx.body = await templateOverviews(models); },
  },
  {
    method: 'put', path: '/platform/templates/:key', summary: '保存省级模板草稿（事项、表单与流程）', who: 'operator', body: 'TemplateDraft', answer: 'TemplateSummary',
    handler: async (ctx, { models }) => { ctx.body = await templates.saveTemplateDraft(models, actorOf(ctx), ctx.params.key!, draftBody(ctx)); },
  },
  {
    method: 'post', path: '/platform/templates', summary: '检查并发布省级模板的新版本', who: 'operator', body: 'TemplatePublish', answer: 'TemplatePublished', status: 201,
    handler: async (ctx, { models }) => { ctx.body = await templates.publishTemplate(models, actorOf(ctx), publishBody(ctx).key); },
  },
  {
    method: 'get', path: '/admin/templates', summary: '可派生的省级模板', who: 'admin', answer: 'TemplateSummary[]',
    handler: async (ctx, { models }) => { requireUser(ctx); ctx.body = await templates.publishedTemplates(models); },
  },
  {
    method: 'post', path: '/admin/templates/:key/derive', summary: '从省级模板派生本市事项（草稿）', who: 'admin', body: 'TemplateDerive', answer: 'TemplateDerived', status: 201,
    handler: async (ctx, { models }) => { ctx.body = await templates.deriveFromTemplate(models, actorOf(ctx), ctx.params.key!, deriveBody(ctx).version); },
  },
  {
    method: 'get', path: '/admin/matters/:key/template-diff', summary: '省级模板更新：模板原版、模板新版与本市的差异', who: 'admin', answer: 'TemplateDiff',
    handler: async (ctx, { models }) => { ctx.body = await templates.templateDiffOf(models, requireUser(ctx).tenant, ctx.params.key!); },
  },
  {
    method: 'post', path: '/admin/matters/:key/template-merge', summary: '把所选的模板修改合并进本市事项草稿', who: 'admin', body: 'TemplateMerge', answer: 'TemplateMerged',
    handler: async (ctx, { models }) => { ctx.body = await templates.mergeTemplate(models, actorOf(ctx), ctx.params.key!, () => mergeBody(ctx)); },
  },
];
