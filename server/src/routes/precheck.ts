/**
 * `POST /matters/:key/precheck`: the eligibility pre-check before the form (issue 19 part 3).
 * Any signed-in user of the city (the matter is the city's); nothing is stored.
 */
import type { PrecheckRequest } from '@lianban/runtime/contract';
import { requireUser } from '../http/session';
import { bodyValidator } from '../http/validate';
import { precheckMatter } from '../services/precheck';
import type { FeatureRoute } from './deps';

const precheckBody = bodyValidator<PrecheckRequest>({
  type: 'object', required: ['identity'], additionalProperties: false,
  properties: {
    idNumber: { type: 'string', maxLength: 18 },
    birth: { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$' },
    sex: { type: 'string', enum: ['male', 'female'] },
    identity: { type: 'string', enum: ['cadre', 'worker', 'flexible'] },
    specialWorkType: { type: 'string', enum: ['underground', 'highAltitude', 'highTemperature', 'heavyLabour', 'harmful'] },
    specialWorkYears: { type: 'number', minimum: 0, maximum: 60 },
    disabilityAppraisal: { type: 'boolean' },
    contributionMonths: { type: 'integer', minimum: 0, maximum: 960 },
    hasArchive: { type: 'boolean' },
    onlyChildCertificate: { type: 'boolean' },
  },
}, 'Precheck');

export const PRECHECK_ROUTES: FeatureRoute[] = [
  {
    method: 'post', path: '/matters/:key/precheck', summary: '退休条件预检（先测一测）与一次告知书', who: 'signed-in', body: 'Precheck', answer: 'PrecheckAnswer',
    handler: async (ctx, { models }) => {
      ctx.body = await precheckMatter(models, requireUser(ctx).tenant, ctx.params.key!, () => precheckBody(ctx));
    },
  },
];
