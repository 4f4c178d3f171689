/**
 * `GET /admin/stats` and `GET /admin/stats.xlsx` (a city's figures, its admins) and
 * `GET /platform/stats` (every city's, the province's operators). services/stats.ts.
 */
import type { CaseStats } from '@lianban/runtime/contract';
import { requireUser } from '../http/session';
import { cityStats, platformStats, statsQuery } from '../services/stats';
import { statsWorkbook } from '../services/stats-workbook';
import type { FeatureRoute } from './deps';

const PARAMETERS = [
  { name: 'from', in: 'query', required: false, description: '收件起始日（含，北京时间，如 2026-01-01）或带时区的时间；缺省为 to 前 30 天', schema: { type: 'string' } },
  { name: 'to', in: 'query', required: false, description: '收件截止日（含，北京时间）或带时区的时间（不含）；缺省为现在。区间最长 1096 天', schema: { type: 'string' } },
  { name: 'matter', in: 'query', required: false, description: '只统计该事项（事项编码）', schema: { type: 'string' } },
];

export const STATS_ROUTES: FeatureRoute[] = [
  {
    method: 'get', path: '/admin/stats', summary: '本市统计（办件量、环节用时、超期、补正率、好差评）', who: 'admin', answer: 'CaseStats', parameters: PARAMETERS,
    handler: async (ctx, { models }) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await cityStats(models, requireUser(ctx).tenant, statsQuery(ctx.query));
    },
  },
  {
    method: 'get', path: '/admin/stats.xlsx', summary: '本市统计导出为 Excel', who: 'admin', parameters: PARAMETERS,
    handler: async (ctx, { models }) => {
      const { tenant } = requireUser(ctx);
      const stats: CaseStats = await cityStats(models, tenant, statsQuery(ctx.query));
      const [city, depts] = await Promise.all([
        models.Tenant.findById(tenant, { name: 1 }).lean(),
        models.Department.find({ tenant }, { key: 1, name: 1 }).limit(500).lean(),
      ]);
      const body = await statsWorkbook(stats, Object.fromEntries(depts.map((d) => [d.key, d.name])), city?.name ?? tenant);
      ctx.set('Cache-Control', 'no-store');
      ctx.set('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      ctx.set('Content-Disposition', `attachment; filename="stats-${tenant}-${stats.from.slice(0, 10)}.xlsx"`);
      ctx.body = body;
    },
  },
  {
    method: 'get', path: '/platform/stats', summary: '全省各市统计（平台运营）', who: 'operator', answer: 'PlatformStats', parameters: PARAMETERS,
    handler: async (ctx, { models }) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await platformStats(models, statsQuery(ctx.query));
    },
  },
];
