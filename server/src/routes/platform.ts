/** `/platform/cities` — the province's cities (role `operator`, API.md "Additions for the second wave"). */
import type { CityInput } from '@lianban/runtime/contract';
import { actorOf } from '../http/session';
import { bodyValidator } from '../http/validate';
import { listCities, createCity } from '../services/cities';
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

export const PLATFORM_ROUTES: FeatureRoute[] = [
  {
    method: 'get', path: '/platform/cities', summary: '全省城市（部门、账户、已发布事项、办件数）', who: 'operator', answer: 'CitySummary[]',
    handler: async (ctx, { models }) => { ctx.body = await listCities(models); },
  },
  {
    method: 'post', path: '/platform/cities', summary: '新建城市（可复制已有城市的部门与事项；管理员一次性密码仅显示一次）', who: 'operator', body: 'CityInput', answer: 'CityCreated', status: 201,
    handler: async (ctx, { models }) => { ctx.body = await createCity(models, actorOf(ctx), cityBody(ctx)); },
  },
];
