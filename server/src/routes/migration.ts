/** Running cases onto another matter version (issue #21, docs/migration.md): preview, migrate, running per version. */
import type { MigrationRequest } from '@lianban/runtime/contract';
import { ApiError } from '../http/errors';
import { requireUser } from '../http/session';
import type { Models } from '../models';
import { bodyValidator } from '../http/validate';
import * as migration from '../services/migration';
import type { FeatureRoute } from './deps';

const VERSION = { type: 'integer', minimum: 1, maximum: 1_000_000 };
const ELEMENT = { type: 'string', minLength: 1, maxLength: 200, pattern: '^[A-Za-z_][A-Za-z0-9_.\\-]*$' };
const properties = {
  from: VERSION, to: VERSION,
  mapping: { type: 'object', maxProperties: 500, propertyNames: ELEMENT, additionalProperties: ELEMENT },
};
const previewBody = bodyValidator<MigrationRequest>({ type: 'object', required: ['from', 'to'], additionalProperties: false, properties }, 'MigrationRequest');
const migrateBody = bodyValidator<MigrationRequest>({
  type: 'object', required: ['from', 'to'], additionalProperties: false,
  properties: { ...properties, cases: { type: 'array', minItems: 1, maxItems: migration.MAX_MIGRATION_CASES, items: { type: 'string', pattern: '^[0-9a-f]{24}$' } } },
}, 'MigrationRequest');

/** Another city's matter (or none) answers 404 before the body is read. */
async function ownMatter(models: Models, tenant: string, key: string): Promise<void> {
  if (!(await models.MatterDef.exists({ tenant, key }))) throw new ApiError(404, 'not-found', '事项不存在');
}

export const MIGRATION_ROUTES: FeatureRoute[] = [
  {
    method: 'get', path: '/admin/matters/:key/running', summary: '各版本运行中的办件数（发布新版本时的影响）', who: 'admin', answer: 'RunningByVersion',
    handler: async (ctx, { models }) => { ctx.body = await migration.runningByVersion(models, requireUser(ctx).tenant, ctx.params.key!); },
  },
  {
    method: 'post', path: '/admin/matters/:key/migration-preview', summary: '预览运行中办件迁移到新版本的效果', who: 'admin', body: 'MigrationRequest', answer: 'MigrationPreview',
    handler: async (ctx, { models }) => {
      await ownMatter(models, requireUser(ctx).tenant, ctx.params.key!);
      ctx.body = await migration.previewMigration(models, requireUser(ctx), ctx.params.key!, previewBody(ctx));
    },
  },
  {
    method: 'post', path: '/admin/matters/:key/migrate', summary: '把运行中的办件迁移到新版本（逐件事务，有问题的跳过）', who: 'admin', body: 'MigrationRequest', answer: 'MigrationResult',
    handler: async (ctx, { models, conn }) => {
      await ownMatter(models, requireUser(ctx).tenant, ctx.params.key!);
      ctx.body = await migration.migrateCases(models, conn, requireUser(ctx), ctx.params.key!, migrateBody(ctx), ctx.ip);
    },
  },
];
