/** The city's document templates (docs/documents.md "Templates are data"): list, read, save a version, add a kind, preview. Admin only, own city. */
import type { DocumentTemplateCreate, DocumentTemplatePreview, DocumentTemplateSave } from '@lianban/runtime/contract';
import { actorOf, requireUser } from '../http/session';
import { bodyValidator } from '../http/validate';
import * as templates from '../services/document-templates';
import type { FeatureRoute } from './deps';

const TITLE = { type: 'string', minLength: 1, maxLength: templates.MAX_TITLE_CHARS };
const PARAGRAPHS = { type: 'array', minItems: 1, maxItems: 60, items: { type: 'string', maxLength: 4000 } };
const KIND = { type: 'string', pattern: templates.KIND_PATTERN.source };

const saveBody = bodyValidator<DocumentTemplateSave>({
  type: 'object', required: ['title', 'paragraphs'],
  properties: { title: TITLE, paragraphs: PARAGRAPHS, baseVersion: { type: 'integer', minimum: 1 } },
}, 'DocumentTemplateSave');
const createBody = bodyValidator<DocumentTemplateCreate>({
  type: 'object', required: ['kind', 'title', 'paragraphs'],
  properties: { kind: KIND, title: TITLE, paragraphs: PARAGRAPHS },
}, 'DocumentTemplateCreate');
const previewBody = bodyValidator<DocumentTemplatePreview>({
  type: 'object', required: ['template'],
  properties: { template: { type: 'object', required: ['title', 'paragraphs'], properties: { title: TITLE, paragraphs: { ...PARAGRAPHS, minItems: 0 } } } },
}, 'DocumentTemplatePreview');

export const DOCUMENT_TEMPLATE_ROUTES: FeatureRoute[] = [
  {
    method: 'get', path: '/admin/document-templates', summary: '本市文书模板及可用占位符', who: 'admin', answer: 'DocumentTemplateList',
    handler: async (ctx, { models }) => { ctx.body = await templates.listTemplates(models, requireUser(ctx).tenant); },
  },
  {
    method: 'post', path: '/admin/document-templates', summary: '新增一种文书（如本市的结果通知）', who: 'admin', body: 'DocumentTemplateCreate', answer: 'DocumentTemplateInfo', status: 201,
    handler: async (ctx, { models }) => { ctx.body = await templates.createTemplate(models, actorOf(ctx), createBody(ctx)); },
  },
  {
    method: 'get', path: '/admin/document-templates/:kind', summary: '文书模板（当前版本及历史版本）', who: 'admin', answer: 'DocumentTemplateInfo',
    handler: async (ctx, { models }) => { ctx.body = await templates.getTemplate(models, requireUser(ctx).tenant, ctx.params.kind!); },
  },
  {
    method: 'put', path: '/admin/document-templates/:kind', summary: '修改文书模板（保存为新版本；已出具的文书不变；记入审计）', who: 'admin', body: 'DocumentTemplateSave', answer: 'DocumentTemplateInfo',
    handler: async (ctx, { models }) => { ctx.body = await templates.saveTemplate(models, actorOf(ctx), ctx.params.kind!, saveBody(ctx)); },
  },
  {
    method: 'post', path: '/admin/document-templates/:kind/preview', summary: '文书模板预览（以示例办件生成 PDF，不保存）', who: 'admin', body: 'DocumentTemplatePreview',
    handler: async (ctx, { models }) => {
      // a kind this city does not have answers 404 whatever the body
      await templates.getTemplate(models, requireUser(ctx).tenant, ctx.params.kind!);
      const { template } = previewBody(ctx);
      const pdf = await templates.previewTemplate(models, requireUser(ctx).tenant, ctx.params.kind!, template);
      ctx.type = 'application/pdf';
      ctx.set('Content-Disposition', 'inline; filename="preview.pdf"');
      ctx.set('Cache-Control', 'no-store');
      ctx.body = pdf;
    },
  },
];
