/** A case's files and who attached them (the applicant, the window, staff scanning paper materials). */
import { isValidObjectId } from 'mongoose';
import { requireUser } from '../http/session';
import { caseAttachments } from '../services/attachments';
import { peopleOf } from '../services/case-people';
import { visibleCase } from '../services/case-access';
import { attachmentOrigin } from '../services/material-reuse';
import type { FeatureRoute } from './deps';

export const CASE_MATERIAL_ROUTES: FeatureRoute[] = [
  {
    method: 'get', path: '/cases/:id/attachments', summary: '办件的材料文件（含上传人）', who: 'owner/staff/admin', answer: 'CaseAttachment[]',
    handler: async (ctx, { models, conn }) => {
      const doc = await visibleCase(models, requireUser(ctx), ctx.params.id!);
      // a case filed at the window for a citizen without an account yet has no applicant account to name
      const applicant = isValidObjectId(doc.applicant)
        ? await models.User.findOne({ _id: doc.applicant, tenant: doc.tenant }, { username: 1 }).lean() as { username?: string } | null
        : null;
      // 免提交: each file says how it came in (本人上传, 窗口代收, 复用, 电子证照)
      const files = await caseAttachments(conn, String(doc._id));
      // who attached each, as the reader may know them (case-people.ts)
      const people = await peopleOf(models, requireUser(ctx), files.map((f) => f.uploadedBy));
      ctx.body = files.map((f) => ({ ...f, origin: attachmentOrigin(doc, applicant?.username, f), ...(f.uploadedBy ? { uploadedByName: people[f.uploadedBy] ?? f.uploadedBy } : {}) }));
    },
  },
];
