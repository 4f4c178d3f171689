/** 免提交 (services/material-reuse.ts): the applicant's reusable materials, and reusing one in a case. */
import type { MaterialReuseBody } from '@lianban/runtime/contract';
import { actorOf, requireUser } from '../http/session';
import { bodyValidator } from '../http/validate';
import { reusableMaterials, reuseMaterial } from '../services/material-reuse';
import type { FeatureRoute } from './deps';

const reuseBody = bodyValidator<MaterialReuseBody>({
  type: 'object', required: ['offer'], additionalProperties: false,
  properties: { offer: { type: 'string', minLength: 1, maxLength: 200 }, material: { type: 'string', minLength: 1, maxLength: 60 } },
}, 'MaterialReuseBody');

const text = (v: unknown, max: number) => (typeof v === 'string' && v.length > 0 && v.length <= max ? v : undefined);

export const MATERIAL_REUSE_ROUTES: FeatureRoute[] = [
  {
    method: 'get', path: '/me/materials', summary: '本人可复用的材料（免提交：已办结办件中的材料、电子证照）', who: 'applicant', answer: 'ReusableMaterials',
    parameters: [
      { name: 'matter', in: 'query', required: false, schema: { type: 'string' }, description: '只列该事项表单收取的材料' },
      { name: 'material', in: 'query', required: false, schema: { type: 'string' }, description: '只列该材料（x-materials 的 code）' },
    ],
    handler: async (ctx, { models, conn }) => {
      ctx.body = await reusableMaterials(models, conn, requireUser(ctx), { matter: text(ctx.query.matter, 64), material: text(ctx.query.material, 60) });
    },
  },
  {
    method: 'post', path: '/cases/:id/attachments/reuse', summary: '复用材料（免提交）：把本人已核验的材料或电子证照附到本人的办件，记录来源', who: 'applicant', body: 'MaterialReuseBody', answer: 'Attachment', status: 201,
    handler: async (ctx, { models, conn, quotas, scanner }) => {
      ctx.body = await reuseMaterial(models, conn, requireUser(ctx), ctx.params.id!, () => reuseBody(ctx), actorOf(ctx), quotas, scanner);
    },
  },
];
