/** `GET /regions/:code/children` — 街道 of a county, 社区 of a street (public data, cached by browsers). */
import { ApiError } from '../http/errors';
import { regionChildren } from '../services/regions';
import type { FeatureRoute } from './deps';

export const REGION_ROUTES: FeatureRoute[] = [
  {
    method: 'get', path: '/regions/:code/children', summary: '下级行政区划（街道、社区）', who: 'anyone', answer: 'RegionNode[]',
    handler: async (ctx) => {
      const children = await regionChildren(ctx.params.code!);
      if (children === null) throw new ApiError(404, 'not-found', '区划代码须为 6 位（县级）或 9 位（乡镇级）');
      ctx.set('Cache-Control', 'public, max-age=86400');
      ctx.body = children;
    },
  },
];
