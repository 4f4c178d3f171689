/** `/platform/cities` — the province's cities (role `operator`, API.md "Additions for the second wave"). */
import type { CityAdminPasswordInput, CityInput } from '@lianban/runtime/contract';
import { actorOf } from '../http/session';
import { bodyValidator } from '../http/validate';
import { listCities, createCity } from '../services/cities';
import { resetCityAdminPassword } from '../services/city-admin-password';
import type { FeatureRoute } from './deps';

const cityBody = bodyValidator<CityInput>({
  type: 'object', required: ['key', 'name', 'province'],
  properties: {
    // the key's rules (lowercase latin, not reserved, unique) are the service's, with Chinese messages
    key: { type: 'string', minLength: 1, maxLength: 40 },
    name: { type: 'string', minLength: 1, maxLength: 40 },
    province: { type: 'string', minLength: 1, maxLength: 40 },
    copyFrom: { type: 'string', minLength: 1, maxLength: 40 },
  },
}, 'CityInput');

const adminPasswordBody = bodyValidator<CityAdminPasswordInput>({
  type: 'object', properties: { username: { type: 'string', minLength: 1, maxLength: 60 } },
}, 'CityAdminPasswordInput');

export const PLATFORM_ROUTES: FeatureRoute[] = [
  {
    method: 'get', path: '/platform/cities', summary: '全省城市（部门、账户、已发布事项、办件数）', who: 'operator', answer: 'CitySummary[]',
    handler: async (ctx, { models }) => { ctx.body = await listCities(models); },
  },
  {
    method: 'post', path: '/platform/cities', summary: '新建城市（可复制已有城市的部门与事项；管理员一次性密码仅显示一次）', who: 'operator', body: 'CityInput', answer: 'CityCreated', status: 201,
    handler: async (ctx, { models }) => { ctx.body = await createCity(models, actorOf(ctx), cityBody(ctx)); },
  },
  {
    method: 'post', path: '/platform/cities/:key/admin-password', summary: '重置城市管理员密码（一次性密码仅显示一次，首次登录须修改；解除锁定并结束其会话）', who: 'operator', body: 'CityAdminPasswordInput', answer: 'CityAdminPassword',
    handler: async (ctx, { models }) => {
      ctx.body = await resetCityAdminPassword(models, actorOf(ctx), ctx.params.key!, adminPasswordBody(ctx).username);
    },
  },
];
