/** `/admin/departments`, `/admin/users`, `/admin/api-keys` — the city's administration (admin only). */
import Router from '@koa/router';
import type { Models } from '../models';
import { actorOf, requireRole } from '../http/session';
import { bodyValidator } from '../http/validate';
import * as accounts from '../services/accounts';

const KEY = { type: 'string', pattern: '^[a-z][a-z0-9-]{1,39}$' };
const NAME = { type: 'string', minLength: 1, maxLength: 60 };
const ROLES = { type: 'array', items: { type: 'string', enum: ['admin', 'applicant', 'staff'] }, minItems: 1, uniqueItems: true };
const DEPTS = { type: 'array', items: KEY, uniqueItems: true, maxItems: 50 };
const PASSWORD = { type: 'string', minLength: 8, maxLength: 200 };

const departmentBody = bodyValidator<accounts.DepartmentInput>({
  type: 'object', required: ['key', 'name'],
  properties: { key: KEY, name: NAME, mode: { type: 'string', enum: ['tasklist', 'system'] } },
}, 'Department');
const departmentUpdate = bodyValidator<Omit<accounts.DepartmentInput, 'key'>>({
  type: 'object', required: ['name'],
  properties: { name: NAME, mode: { type: 'string', enum: ['tasklist', 'system'] } },
}, 'DepartmentUpdate');
const userBody = bodyValidator<accounts.UserInput>({
  type: 'object', required: ['username', 'roles', 'password'],
  properties: {
    username: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{2,59}$' }, displayName: { type: 'string', maxLength: 60 },
    password: PASSWORD, roles: ROLES, departments: DEPTS, disabled: { type: 'boolean' },
  },
}, 'User');
const userUpdate = bodyValidator<Partial<accounts.UserInput>>({
  type: 'object',
  properties: { displayName: { type: 'string', maxLength: 60 }, password: PASSWORD, roles: ROLES, departments: DEPTS, disabled: { type: 'boolean' } },
}, 'UserUpdate');
const apiKeyBody = bodyValidator<{ department: string; name?: string }>({
  type: 'object', required: ['department'], properties: { department: KEY, name: { type: 'string', maxLength: 60 } },
}, 'ApiKeyRequest');

export function adminAccountRoutes(models: Models): Router {
  const router = new Router({ prefix: '/admin' });
  router.get('/departments', async (ctx) => {
    ctx.body = await accounts.listDepartments(models, requireRole(ctx, 'admin').tenant);
  });
  router.post('/departments', async (ctx) => {
    requireRole(ctx, 'admin');
    ctx.status = 201;
    ctx.body = await accounts.saveDepartment(models, actorOf(ctx), departmentBody(ctx), true);
  });
  router.put('/departments/:key', async (ctx) => {
    requireRole(ctx, 'admin');
    ctx.body = await accounts.saveDepartment(models, actorOf(ctx), { ...departmentUpdate(ctx), key: ctx.params.key! }, false);
  });

  router.get('/users', async (ctx) => {
    ctx.body = await accounts.listUsers(models, requireRole(ctx, 'admin').tenant);
  });
  router.post('/users', async (ctx) => {
    requireRole(ctx, 'admin');
    ctx.status = 201;
    ctx.body = await accounts.createUser(models, actorOf(ctx), userBody(ctx));
  });
  router.put('/users/:username', async (ctx) => {
    requireRole(ctx, 'admin');
    ctx.body = await accounts.updateUser(models, actorOf(ctx), ctx.params.username!, userUpdate(ctx));
  });

  router.get('/api-keys', async (ctx) => {
    ctx.body = await accounts.listApiKeys(models, requireRole(ctx, 'admin').tenant);
  });
  router.post('/api-keys', async (ctx) => {
    requireRole(ctx, 'admin');
    const { department, name } = apiKeyBody(ctx);
    ctx.status = 201;
    // The key is shown this once; only its hash is kept.
    ctx.body = await accounts.issueApiKey(models, actorOf(ctx), department, name ?? '');
  });
  router.post('/api-keys/:id/revoke', async (ctx) => {
    requireRole(ctx, 'admin');
    await accounts.revokeApiKey(models, actorOf(ctx), ctx.params.id!);
    ctx.body = { ok: true };
  });
  return router;
}
