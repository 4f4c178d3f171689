/** `/admin/departments`, `/admin/users`, `/admin/api-keys` — the city's administration (admin only). */
import type { ApiKeyRequest, DepartmentInput, UserInput } from '@lianban/runtime/contract';
import { actorOf, requireUser } from '../http/session';
import { bodyValidator } from '../http/validate';
import * as accounts from '../services/accounts';
import type { FeatureRoute } from './deps';

const KEY = { type: 'string', pattern: '^[a-z][a-z0-9-]{1,39}$' };
const NAME = { type: 'string', minLength: 1, maxLength: 60 };
const ROLES = { type: 'array', items: { type: 'string', enum: ['admin', 'applicant', 'staff', 'window'] }, minItems: 1, uniqueItems: true };
const DEPTS = { type: 'array', items: KEY, uniqueItems: true, maxItems: 50 };
// the policy itself (3 of 4 classes, not the username) is checked by the service: services/auth.ts passwordProblem
const PASSWORD = { type: 'string', minLength: 10, maxLength: 200 };
// an applicant's resident ID number; its check digit is checked by the service (rules/resident-id)
const ID_NUMBER = { type: 'string', maxLength: 18 };
/** 实名 level a password sign-in of the account counts as (统一身份认证; services/auth-level.ts). */
const AUTH_LEVEL = { type: 'integer', minimum: 1, maximum: 3 };

const departmentBody = bodyValidator<DepartmentInput>({
  type: 'object', required: ['key', 'name'],
  properties: { key: KEY, name: NAME, mode: { type: 'string', enum: ['tasklist', 'system'] } },
}, 'Department');
const departmentUpdate = bodyValidator<Omit<DepartmentInput, 'key'>>({
  type: 'object', required: ['name'],
  properties: { name: NAME, mode: { type: 'string', enum: ['tasklist', 'system'] } },
}, 'DepartmentUpdate');
const userBody = bodyValidator<UserInput>({
  type: 'object', required: ['username', 'roles', 'password'],
  properties: {
    username: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{2,59}$' }, displayName: { type: 'string', maxLength: 60 },
    password: PASSWORD, roles: ROLES, departments: DEPTS, disabled: { type: 'boolean' }, idNumber: ID_NUMBER, lead: { type: 'boolean' }, authLevel: AUTH_LEVEL,
  },
}, 'User');
const userUpdate = bodyValidator<Partial<UserInput>>({
  type: 'object',
  properties: { displayName: { type: 'string', maxLength: 60 }, password: PASSWORD, roles: ROLES, departments: DEPTS, disabled: { type: 'boolean' }, idNumber: ID_NUMBER, lead: { type: 'boolean' }, authLevel: AUTH_LEVEL },
}, 'UserUpdate');
const apiKeyBody = bodyValidator<ApiKeyRequest>({
  type: 'object', required: ['department'], properties: { department: KEY, name: { type: 'string', maxLength: 60 } },
}, 'ApiKeyRequest');

export const ADMIN_ACCOUNT_ROUTES: FeatureRoute[] = [
  {
    method: 'get', path: '/admin/departments', summary: '本市部门', who: 'admin', answer: 'Department[]',
    handler: async (ctx, { models }) => { ctx.body = await accounts.listDepartments(models, requireUser(ctx).tenant); },
  },
  {
    method: 'post', path: '/admin/departments', summary: '新增部门', who: 'admin', body: 'Department', answer: 'Department', status: 201,
    handler: async (ctx, { models }) => { ctx.body = await accounts.saveDepartment(models, actorOf(ctx), departmentBody(ctx), true); },
  },
  {
    method: 'put', path: '/admin/departments/:key', summary: '修改部门', who: 'admin', body: 'DepartmentUpdate', answer: 'Department',
    handler: async (ctx, { models }) => {
      ctx.body = await accounts.saveDepartment(models, actorOf(ctx), { ...departmentUpdate(ctx), key: ctx.params.key! }, false);
    },
  },

  {
    method: 'get', path: '/admin/users', summary: '本市账户', who: 'admin', answer: 'UserAccount[]',
    handler: async (ctx, { models }) => { ctx.body = await accounts.listUsers(models, requireUser(ctx).tenant); },
  },
  {
    method: 'post', path: '/admin/users', summary: '新增账户', who: 'admin', body: 'User', answer: 'UserAccount', status: 201,
    handler: async (ctx, { models }) => { ctx.body = await accounts.createUser(models, actorOf(ctx), userBody(ctx)); },
  },
  {
    method: 'put', path: '/admin/users/:username', summary: '修改账户', who: 'admin', body: 'UserUpdate', answer: 'UserAccount',
    handler: async (ctx, { models }) => {
      ctx.body = await accounts.updateUser(models, actorOf(ctx), ctx.params.username!, userUpdate(ctx));
    },
  },
  {
    method: 'post', path: '/admin/users/:username/unlock', summary: '解除登录限制（清除失败计数与等待）', who: 'admin', answer: 'UserAccount',
    handler: async (ctx, { models }) => {
      ctx.body = await accounts.unlockUser(models, actorOf(ctx), ctx.params.username!);
    },
  },

  {
    method: 'get', path: '/admin/api-keys', summary: '部门 API 密钥', who: 'admin', answer: 'ApiKeyInfo[]',
    handler: async (ctx, { models }) => { ctx.body = await accounts.listApiKeys(models, requireUser(ctx).tenant); },
  },
  {
    method: 'post', path: '/admin/api-keys', summary: '签发部门 API 密钥（仅显示一次）', who: 'admin', body: 'ApiKeyRequest', answer: 'IssuedKey', status: 201,
    handler: async (ctx, { models }) => {
      const { department, name } = apiKeyBody(ctx);
      // The key is shown this once; only its hash is kept.
      ctx.body = await accounts.issueApiKey(models, actorOf(ctx), department, name ?? '');
    },
  },
  {
    method: 'post', path: '/admin/api-keys/:id/revoke', summary: '吊销 API 密钥', who: 'admin', answer: 'Ok',
    handler: async (ctx, { models }) => {
      await accounts.revokeApiKey(models, actorOf(ctx), ctx.params.id!);
      ctx.body = { ok: true };
    },
  },
];
