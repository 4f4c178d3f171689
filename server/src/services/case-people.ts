/**
 * Who the usernames in a case are, as its reader may know them: the timeline's actors, the
 * tasks' claimants, delegates and signers, who suspended it, who attached a file. Staff and
 * administrators see the accounts' names (「公积金同事」, not `luan.housing2`); an applicant sees
 * the department that acted (「医疗保障部门」) and 「本人」 for themselves — never a staff login.
 * One look-up of at most MAX_PEOPLE accounts per case read.
 */
import { trusted } from 'mongoose';
import type { Models } from '../models';
import type { Viewer } from './case-view';

const MAX_PEOPLE = 200;

/** `{username: label}` for `usernames` (the platform's `system` is left to the page). */
export async function peopleOf(models: Models, viewer: Viewer, usernames: Iterable<string | null | undefined>): Promise<Record<string, string>> {
  const wanted = [...new Set([...usernames].filter((u): u is string => !!u && u !== 'system'))].slice(0, MAX_PEOPLE);
  if (!wanted.length) return {};
  const staffView = viewer.roles.includes('staff') || viewer.roles.includes('admin');
  const [users, departments] = await Promise.all([
    models.User.find({ tenant: viewer.tenant, username: trusted({ $in: wanted }) }).select({ _id: 1, username: 1, displayName: 1, roles: 1, departments: 1 }).lean(),
    staffView ? [] : models.Department.find({ tenant: viewer.tenant }).select({ key: 1, name: 1 }).lean(),
  ]);
  const departmentName = new Map(departments.map((d) => [d.key, d.name]));
  const out: Record<string, string> = {};
  for (const u of users) {
    if (staffView) out[u.username] = u.displayName || u.username;
    else if (String(u._id) === viewer.id) out[u.username] = '本人';
    else if (u.roles.includes('staff')) out[u.username] = u.departments.map((d) => departmentName.get(d) ?? d).join('、') || '工作人员';
    else out[u.username] = '工作人员';
  }
  // an account gone since (or of no one): staff see the login, an applicant a neutral word
  for (const u of wanted) out[u] ??= staffView ? u : '工作人员';
  return out;
}
