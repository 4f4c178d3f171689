/**
 * Definitions: the administrators' drafts and publishing (`/admin/forms|flows|matters`), and the
 * published matters every signed-in user of the city may read (`/matters`).
 */
import Router from '@koa/router';
import type { Models } from '../models';
import { actorOf, requireRole, requireUser } from '../http/session';
import { bodyValidator } from '../http/validate';
import * as defs from '../services/definitions';

const KEY = { type: 'string', pattern: '^[a-z][a-z0-9-]{1,59}$' };
const TITLE = { type: 'string', minLength: 1, maxLength: 120 };

const formBody = bodyValidator<{ title: string; schema: Record<string, unknown> }>({
  type: 'object', required: ['title', 'schema'],
  properties: { title: TITLE, schema: { type: 'object', additionalProperties: true } },
}, 'FormDraft');
const flowBody = bodyValidator<{ title: string; xml: string }>({
  type: 'object', required: ['title', 'xml'],
  properties: { title: TITLE, xml: { type: 'string', minLength: 1, maxLength: 2_000_000 } },
}, 'FlowDraft');
const matterBody = bodyValidator<defs.MatterInput>({
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
          materials: {
            type: 'array', maxItems: 50,
            items: { type: 'object', required: ['name', 'kind'], properties: { name: { type: 'string', minLength: 1, maxLength: 200 }, kind: { type: 'string', enum: ['required', 'on-request'] }, waivable: { type: 'boolean' } } },
          },
        },
      },
    },
  },
}, 'MatterDraft');

export function definitionRoutes(models: Models): Router {
  const router = new Router();
  router.get('/admin/forms', async (ctx) => {
    ctx.body = (await defs.listDefinitions(models, requireRole(ctx, 'admin').tenant)).forms;
  });
  router.get('/admin/flows', async (ctx) => {
    ctx.body = (await defs.listDefinitions(models, requireRole(ctx, 'admin').tenant)).flows;
  });
  router.get('/admin/matters', async (ctx) => {
    ctx.body = (await defs.listDefinitions(models, requireRole(ctx, 'admin').tenant)).matters;
  });
  router.get('/admin/forms/:key', async (ctx) => {
    ctx.body = await defs.getForm(models, requireRole(ctx, 'admin').tenant, ctx.params.key!);
  });
  router.put('/admin/forms/:key', async (ctx) => {
    requireRole(ctx, 'admin');
    const { title, schema } = formBody(ctx);
    ctx.body = await defs.saveForm(models, actorOf(ctx), ctx.params.key!, title, schema);
  });
  router.get('/admin/flows/:key', async (ctx) => {
    ctx.body = await defs.getFlow(models, requireRole(ctx, 'admin').tenant, ctx.params.key!);
  });
  router.put('/admin/flows/:key', async (ctx) => {
    requireRole(ctx, 'admin');
    const { title, xml } = flowBody(ctx);
    ctx.body = await defs.saveFlow(models, actorOf(ctx), ctx.params.key!, title, xml);
  });
  router.get('/admin/matters/:key', async (ctx) => {
    ctx.body = await defs.getMatter(models, requireRole(ctx, 'admin').tenant, ctx.params.key!);
  });
  router.put('/admin/matters/:key', async (ctx) => {
    requireRole(ctx, 'admin');
    ctx.body = await defs.saveMatter(models, actorOf(ctx), ctx.params.key!, matterBody(ctx));
  });
  router.post('/admin/matters/:key/publish', async (ctx) => {
    requireRole(ctx, 'admin');
    ctx.body = await defs.publishMatter(models, actorOf(ctx), ctx.params.key!);
  });

  router.get('/matters', async (ctx) => {
    ctx.body = await defs.publishedMatters(models, requireUser(ctx).tenant);
  });
  router.get('/matters/:key', async (ctx) => {
    // ?version=N: the version a running case started on (its forms may differ from the latest).
    const version = typeof ctx.query.version === 'string' && /^\d{1,6}$/.test(ctx.query.version) ? Number(ctx.query.version) : undefined;
    const v = await defs.publishedMatter(models, requireUser(ctx).tenant, ctx.params.key!, version);
    ctx.body = { key: v.key, title: v.title, version: v.version, forms: v.forms, linkedItems: v.linkedItems, flow: { key: v.flow.key, version: v.flow.version, xml: v.flow.xml } };
  });
  return router;
}
