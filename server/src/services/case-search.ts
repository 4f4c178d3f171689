/**
 * 办件查询: `GET /cases?q=` finds cases by what a citizen at the window has with them — the case
 * number on their receipt, their ID card, or their name — among the cases the caller may see.
 * Each form is one index lookup (`{tenant, no}`, the users' `{tenant, idNumber}` and the counter
 * cases' `{tenant, onBehalfOf.idNumber}`, `{tenant, applicantName}`), never a scan of the city's
 * cases, and a search by ID number is audited (`case.search`): it looks a person up.
 */
import { parseResidentId } from '@lianban/runtime';
import { trusted } from 'mongoose';
import type { Models } from '../models';
import type { Viewer } from './case-view';
import { DomainError } from './errors';

export type CaseSearch = { no: string } | { idNumber: string } | { name: string };

/** At most this many characters (a case number of any configured format, a name). */
export const MAX_QUERY = 40;

/**
 * What `q` is: an 18-character ID number (its check digit verified, so a mistyped digit says so
 * rather than finding nothing), a case number (letters, digits, `-` or `_`, with a digit), or a
 * name. Anything else (empty, too long) is a 422.
 */
export function parseCaseSearch(input: string): CaseSearch {
  const q = input.trim();
  const invalid = (message: string): never => { throw new DomainError('invalid', message, { errors: [{ path: 'q', message }] }); };
  if (!q) invalid('请输入办件编号、身份证号或申请人姓名');
  if (q.length > MAX_QUERY) invalid(`查询内容不能超过 ${MAX_QUERY} 个字符`);
  if (/^\d{17}[\dXx]$/.test(q)) {
    const id = parseResidentId(q);
    if (!id.valid) invalid(id.reason === 'check-digit' ? '身份证号校验位不正确，请核对' : '身份证号不正确，请核对');
    return { idNumber: id.id! };
  }
  if (/^[A-Za-z0-9_-]+$/.test(q)) {
    if (!/\d/.test(q)) invalid('办件编号应含数字；按姓名查询请输入中文姓名');
    return { no: q };
  }
  return { name: q };
}

/** The condition of `search` (the caller's city and visibility are the list's). */
export async function searchCondition(models: Models, viewer: Viewer, search: CaseSearch): Promise<Record<string, unknown>> {
  // as typed, and in capitals (numbers are printed in capitals; a format may still hold small letters)
  if ('no' in search) return { no: trusted({ $in: [...new Set([search.no, search.no.toUpperCase()])] }) };
  if ('name' in search) return { applicantName: search.name };
  // the applicant accounts with this ID number, and the counter cases filed for it before an account existed
  const accounts = await models.User.find({ tenant: viewer.tenant, idNumber: search.idNumber, roles: 'applicant' }).select({ _id: 1 }).lean();
  return { $or: [{ applicant: trusted({ $in: accounts.map((a) => String(a._id)) }) }, { 'onBehalfOf.idNumber': search.idNumber }] };
}
