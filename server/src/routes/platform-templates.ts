/**
 * The operator's 「省级模板」 page (docs/templates.md 「The operator」): a city's published
 * matters to make a template from, the template's draft made from one of them, and what
 * publishing the draft would change. services/template-sources.ts; the list, the draft and
 * the publish themselves are routes/templates.ts.
 */
import type { TemplateFromCityBody } from '@lianban/runtime/contract';
import { actorOf } from '../http/session';
import { bodyValidator } from '../http/validate';
import { cityMatters, templateDraftChanges, templateFromCity } from '../services/template-sources';
import type { FeatureRoute } from './deps';

const fromCityBody = bodyValidator<TemplateFromCityBody>({
  type: 'object', required: ['city', 'matter'],
  properties: {
    city: { type: 'string', minLength: 1, maxLength: 40 },
    matter: { type: 'string', minLength: 1, maxLength: 60 },
    title: { type: 'string', minLength: 1, maxLength: 120 },
  },
}, 'TemplateFromCity');

export const PLATFORM_TEMPLATE_ROUTES: FeatureRoute[] = [
  {
    method: 'get', path: '/platform/cities/:key/matters', summary: '城市已发布的事项（最新版本；用于生成省级模板）', who: 'operator', answer: 'CityMatterSummary[]',
    handler: async (ctx, { models }) => { ctx.body = await cityMatters(models, ctx.params.key!); },
  },
  {
    method: 'post', path: '/platform/templates/:key/from-city', summary: '从城市已发布事项生成省级模板草稿（事项设置、表单与流程；新标识即新模板；title 缺省为事项名称）', who: 'operator', body: 'TemplateFromCity', answer: 'TemplateOverview',
    handler: async (ctx, { models }) => { ctx.body = await templateFromCity(models, actorOf(ctx), ctx.params.key!, fromCityBody(ctx)); },
  },
  {
    method: 'get', path: '/platform/templates/:key/draft-changes', summary: '省级模板草稿相对最新版本的修改（发布前查看）', who: 'operator', answer: 'TemplateDraftChanges',
    handler: async (ctx, { models }) => { ctx.body = await templateDraftChanges(models, ctx.params.key!); },
  },
];
