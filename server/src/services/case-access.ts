/** Who may see a case: its applicant, staff of a department with a task in it, the city's admins, and those it was 抄送 to. */
import { DomainError } from './errors';
import type { CaseDoc, Models } from '../models';
import type { CaseWithId } from './case-store';
import type { Viewer } from './case-view';
import { ccSees } from './task-moves';

/** Finds a case of the caller's city the caller may see, else 404. */
export async function visibleCase(models: Models, viewer: Viewer, id: string): Promise<CaseWithId> {
  const doc = await models.Case.findOne({ _id: id, tenant: viewer.tenant }).lean() as CaseWithId | null;
  if (!doc || !canSee(viewer, doc)) throw new DomainError('not-found', '办件不存在');
  return doc;
}

export function canSee(viewer: Viewer, doc: Pick<CaseDoc, 'applicant' | 'tasks' | 'tenant'> & Pick<Partial<CaseDoc>, 'cc' | 'filedBy'>): boolean {
  if (doc.tenant !== viewer.tenant) return false;
  if (viewer.roles.includes('admin')) return true;
  if (doc.applicant === viewer.id) return true;
  // 窗口收件: the window staff member who filed it for the citizen
  if (doc.filedBy?.id === viewer.id) return true;
  if (viewer.roles.includes('staff') && doc.tasks.some((t) => viewer.departments.includes(t.department))) return true;
  return ccSees(viewer, doc); // 抄送: read-only
}

