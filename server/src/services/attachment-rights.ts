/**
 * Who may attach a file to a case: its applicant; the window staff member who filed it at the
 * counter (窗口收件); staff of a department with a task in it, who scan and attach paper
 * materials. A file attached by staff to a submitted case is written to the case timeline.
 */
import type { CaseDoc, Models } from '../models';
import type { SessionUser } from './auth';
import type { CaseWithId } from './case-store';
import { isFiler } from './counter-intake';

export type AttachRight = 'owner' | 'filer' | 'staff';

/** How `user` may attach to `doc`, or null when they may not. */
export function attachRight(user: SessionUser, doc: Pick<CaseDoc, 'applicant' | 'tasks' | 'filedBy'>): AttachRight | null {
  if (doc.applicant === user.id) return 'owner';
  if (isFiler(user, doc)) return 'filer';
  if (user.roles.includes('staff') && doc.tasks.some((t) => user.departments.includes(t.department))) return 'staff';
  return null;
}

/** After staff attached a file to a submitted case: 「张三 上传了材料 x」 in the timeline (the case's revision moves on). */
export async function recordStaffAttachment(models: Models, user: SessionUser, doc: CaseWithId, right: AttachRight, file: { name: string; material: string | null }): Promise<void> {
  if (right === 'owner' || doc.status === 'draft') return;
  await models.Case.updateOne({ _id: doc._id }, {
    $push: { timeline: { at: new Date(), actor: user.username, action: 'attachment.added', detail: `${user.displayName || user.username} 上传了材料「${file.name}」${file.material ? `（${file.material}）` : ''}` } },
    $inc: { rev: 1 },
  });
}
