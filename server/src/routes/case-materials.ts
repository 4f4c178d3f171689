/** A case's files and who attached them (the applicant, the window, staff scanning paper materials). */
import { requireUser } from '../http/session';
import { caseAttachments } from '../services/attachments';
import { visibleCase } from '../services/case-access';
import type { FeatureRoute } from './deps';

export const CASE_MATERIAL_ROUTES: FeatureRoute[] = [
  {
    method: 'get', path: '/cases/:id/attachments', summary: '办件的材料文件（含上传人）', who: 'owner/staff/admin', answer: 'CaseAttachment[]',
    handler: async (ctx, { models, conn }) => {
      const doc = await visibleCase(models, requireUser(ctx), ctx.params.id!);
      ctx.body = await caseAttachments(conn, String(doc._id));
    },
  },
];
