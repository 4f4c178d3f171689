/** `GET /public/progress` — 办件进度查询 without sign-in: status only, nothing personal, rate-limited (services/public-progress.ts). */
import { DomainError } from '../services/errors';
import { publicProgress } from '../services/public-progress';
import type { FeatureRoute } from './deps';

export const PUBLIC_PROGRESS_ROUTES: FeatureRoute[] = [
  {
    method: 'get', path: '/public/progress', summary: '办件进度查询（办件编号 + 身份证号码后四位，无需登录）', who: 'anyone', answer: 'PublicProgress',
    parameters: [
      { name: 'no', in: 'query', required: true, schema: { type: 'string' } },
      { name: 'id4', in: 'query', required: true, schema: { type: 'string' } },
    ],
    handler: async (ctx, { models }) => {
      const q = (k: string) => (typeof ctx.query[k] === 'string' ? (ctx.query[k] as string) : undefined);
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await publicProgress(models, { no: q('no'), id4: q('id4') }, ctx.ip).catch((e: unknown) => {
        // 429: say when to come back (as the sign-in throttling does)
        if (e instanceof DomainError && e.code === 'too-many-attempts') ctx.set('Retry-After', String(e.details.retryAfter));
        throw e;
      });
    },
  },
];
