/** `/admin/sms/templates`, `/admin/sms/messages` — the city's SMS templates and the SMS outbox (admin only). */
import type { SmsTemplateInput } from '@lianban/runtime/contract';
import { actorOf, requireUser } from '../http/session';
import { bodyValidator } from '../http/validate';
import { getSmsTemplateSettings, saveSmsTemplates } from '../services/sms/templates';
import { listSmsMessages } from '../services/sms/outbox';
import { smsProviderName } from '../services/sms/settings';
import type { FeatureRoute } from './deps';

// kinds and parameter names are checked by the service (templates.ts), with a message per field
const templatesBody = bodyValidator<{ templates: SmsTemplateInput[] }>({
  type: 'object', required: ['templates'], additionalProperties: false,
  properties: {
    templates: {
      type: 'array', maxItems: 6,
      items: {
        type: 'object', required: ['kind', 'code', 'params'], additionalProperties: false,
        properties: {
          kind: { type: 'string', maxLength: 40 }, code: { type: 'string', maxLength: 40 },
          params: { type: 'array', maxItems: 5, items: { type: 'string', maxLength: 40 } }, enabled: { type: 'boolean' },
        },
      },
    },
  },
}, 'SmsTemplates');

const STATUSES = new Set(['pending', 'sending', 'sent', 'failed', 'dropped']);

export const SMS_ROUTES: FeatureRoute[] = [
  {
    method: 'get', path: '/admin/sms/templates', summary: '短信模板（本市）', who: 'admin', answer: 'SmsTemplateSettings',
    handler: async (ctx, { models }) => { ctx.body = await getSmsTemplateSettings(models, requireUser(ctx).tenant, smsProviderName()); },
  },
  {
    method: 'put', path: '/admin/sms/templates', summary: '修改短信模板', who: 'admin', body: 'SmsTemplates', answer: 'SmsTemplateSettings',
    handler: async (ctx, { models }) => { ctx.body = await saveSmsTemplates(models, actorOf(ctx), templatesBody(ctx).templates, smsProviderName()); },
  },
  {
    method: 'get', path: '/admin/sms/messages', summary: '短信发送记录（本市，?status=failed 等）', who: 'admin', answer: 'SmsMessageView[]',
    handler: async (ctx, { models }) => {
      const status = typeof ctx.query.status === 'string' && STATUSES.has(ctx.query.status) ? ctx.query.status : undefined;
      ctx.body = await listSmsMessages(models, requireUser(ctx).tenant, status);
    },
  },
];
