/**
 * `/admin/case-numbers` (the city's 办件编号 format) and `/admin/exchange` (the 办件信息 records sent
 * to the provincial platform, their state, retrying a failed one) — the city's admin.
 */
import type { CaseNoSettings } from '@lianban/runtime/contract';
import { actorOf, requireUser } from '../http/session';
import { bodyValidator } from '../http/validate';
import { caseNoSettings, saveCaseNoPattern } from '../services/case-numbers';
import { exchangeSettings } from '../services/exchange/records';
import { listExchangeRecords, retryExchangeRecord } from '../services/exchange/sender';
import type { FeatureRoute } from './deps';

// the pattern's tokens are read by the service's tokenizer, which says what is wrong in Chinese
const patternBody = bodyValidator<Pick<CaseNoSettings, 'pattern'>>({
  type: 'object', required: ['pattern'], additionalProperties: false,
  properties: { pattern: { type: 'string', maxLength: 200 } },
}, 'CaseNoPattern');

const STATUSES = new Set(['pending', 'sending', 'acked', 'failed']);

/** The endpoint without user, password or query (what the admin may see). */
function shownEndpoint(endpoint: string): string {
  try {
    const u = new URL(endpoint);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '';
  }
}

export const EXCHANGE_ROUTES: FeatureRoute[] = [
  {
    method: 'get', path: '/admin/case-numbers', summary: '办件编号格式（本市）', who: 'admin', answer: 'CaseNoSettings',
    handler: async (ctx, { models }) => { ctx.body = await caseNoSettings(models, requireUser(ctx).tenant); },
  },
  {
    method: 'put', path: '/admin/case-numbers', summary: '修改办件编号格式', who: 'admin', body: 'CaseNoPattern', answer: 'CaseNoSettings',
    handler: async (ctx, { models }) => { ctx.body = await saveCaseNoPattern(models, actorOf(ctx), patternBody(ctx).pattern); },
  },
  {
    method: 'get', path: '/admin/exchange', summary: '省级数据交换记录（本市，?status=failed、?caseNo=）', who: 'admin', answer: 'ExchangeOverview',
    handler: async (ctx, { models }) => {
      const status = typeof ctx.query.status === 'string' && STATUSES.has(ctx.query.status) ? ctx.query.status : undefined;
      const caseNo = typeof ctx.query.caseNo === 'string' && /^[A-Za-z0-9-]{1,40}$/.test(ctx.query.caseNo) ? ctx.query.caseNo : undefined;
      const settings = exchangeSettings();
      ctx.body = { enabled: !!settings, endpoint: settings ? shownEndpoint(settings.endpoint) : null, records: await listExchangeRecords(models, requireUser(ctx).tenant, { status, caseNo }) };
    },
  },
  {
    method: 'post', path: '/admin/exchange/:id/retry', summary: '重发失败的交换记录', who: 'admin', answer: 'ExchangeRecordView',
    handler: async (ctx, { models }) => { ctx.body = await retryExchangeRecord(models, actorOf(ctx), ctx.params.id!); },
  },
];
