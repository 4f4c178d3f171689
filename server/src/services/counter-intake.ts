/**
 * 窗口收件与帮办代办 (counter intake): window staff file a case for a walk-in citizen
 * (`onBehalfOf`), optionally through an agent whose 授权委托书 is a material of the case.
 *
 * The case is the citizen's from the start: `applicant` is the applicant account of the city with
 * the citizen's ID number, or — when they have none yet — `counter:<case id>` until an account
 * with that ID number signs in (`linkCounterCases`, called at sign-in), which then owns it like
 * any case it filed itself. The staff member who filed it (`filedBy`) may see it, and edit,
 * upload to and submit it while it is a draft.
 */
import mongoose, { trusted, type Connection } from 'mongoose';
import { isValidMobile, normalizeMobile, parseResidentId } from '@lianban/runtime';
import { AUTHORIZATION_LETTER, type CaseAgent, type Citizen } from '@lianban/runtime/contract';
import type { CaseDoc, Models } from '../models';
import { caseAttachments } from './attachments';
import { audit } from './audit';
import type { SessionUser } from './auth';
import type { CaseWithId } from './case-store';
import { DomainError } from './errors';

/** The `applicant` of a counter case whose citizen has no account yet. */
export const UNCLAIMED_PREFIX = 'counter:';

/** Window staff: the role `window`, or staff of the `window` department (一窗受理). */
export function isWindowStaff(user: Pick<SessionUser, 'roles' | 'departments'>): boolean {
  return user.roles.includes('window') || (user.roles.includes('staff') && user.departments.includes('window'));
}

const ID_REASONS: Record<string, string> = {
  length: '应为 18 位', format: '格式不正确（17 位数字加校验位）', 'birth-date': '出生日期无效', 'check-digit': '校验位不正确',
};

/** Why `value` is not a resident ID number (Chinese), or null. */
function idNumberProblem(value: string): string | null {
  const info = parseResidentId(value);
  return info.valid ? null : `公民身份号码${ID_REASONS[info.reason ?? 'format'] ?? '无效'}`;
}

function text(value: unknown, max: number): string {
  return typeof value === 'string' ? value.trim().slice(0, max) : '';
}

/** Checks the citizen and the agent; 422 naming every problem at once. Returns them trimmed (ID numbers upper case). */
export function checkParties(onBehalfOf: Citizen, agent?: CaseAgent): { citizen: Citizen; agent?: CaseAgent } {
  const errors: { path: string; message: string }[] = [];
  const citizen = { idNumber: text(onBehalfOf.idNumber, 18).toUpperCase(), name: text(onBehalfOf.name, 30), phone: text(onBehalfOf.phone, 20) };
  const idProblem = idNumberProblem(citizen.idNumber);
  if (idProblem) errors.push({ path: 'onBehalfOf.idNumber', message: idProblem });
  if (!citizen.name) errors.push({ path: 'onBehalfOf.name', message: '请填写申请人姓名' });
  const mobile = normalizeMobile(citizen.phone);
  if (!mobile || !isValidMobile(mobile)) errors.push({ path: 'onBehalfOf.phone', message: '请填写申请人的 11 位手机号码' });
  else citizen.phone = mobile;
  let who: CaseAgent | undefined;
  if (agent) {
    who = { name: text(agent.name, 30), idNumber: text(agent.idNumber, 18).toUpperCase(), relation: text(agent.relation, 30) };
    const agentProblem = idNumberProblem(who.idNumber);
    if (agentProblem) errors.push({ path: 'agent.idNumber', message: `代办人${agentProblem}` });
    if (!who.name) errors.push({ path: 'agent.name', message: '请填写代办人姓名' });
    if (!who.relation) errors.push({ path: 'agent.relation', message: '请填写代办人与申请人的关系' });
    if (!agentProblem && who.idNumber === citizen.idNumber) errors.push({ path: 'agent.idNumber', message: '代办人不能是申请人本人' });
  }
  if (errors.length) throw new DomainError('invalid', `申请人或代办人信息有误：${errors.map((e) => e.message).join('；')}`, { errors });
  return { citizen, agent: who };
}

/** An account's ID number checked (422) and free in the city (409); undefined when none is given. */
export async function checkAccountIdNumber(models: Models, tenant: string, value: string | undefined): Promise<string | undefined> {
  const idNumber = value?.trim().toUpperCase();
  if (!idNumber) return undefined;
  const problem = idNumberProblem(idNumber);
  if (problem) throw new DomainError('invalid', problem, { errors: [{ path: 'idNumber', message: problem }] });
  if (await models.User.exists({ tenant, idNumber })) throw new DomainError('exists', '该公民身份号码已绑定本市的另一个账户');
  return idNumber;
}

/**
 * The parts of a new case filed at the counter: who owns it (the citizen's account, if any), the
 * parties, the filer, and the first timeline entry. Refuses (403) anyone but window staff.
 */
export async function counterCaseFields(models: Models, staff: SessionUser, caseId: mongoose.Types.ObjectId, onBehalfOf: Citizen, agent: CaseAgent | undefined, now: Date) {
  if (!isWindowStaff(staff)) throw new DomainError('forbidden', '只有窗口工作人员可以代申请人提交申请');
  const parties = checkParties(onBehalfOf, agent);
  const account = await models.User.findOne({ tenant: staff.tenant, idNumber: parties.citizen.idNumber, roles: 'applicant' }).select({ _id: 1 }).lean();
  const fields: Pick<CaseDoc, 'applicant' | 'applicantName' | 'channel' | 'onBehalfOf' | 'agent' | 'filedBy' | 'timeline'> = {
    applicant: account ? String(account._id) : `${UNCLAIMED_PREFIX}${String(caseId)}`,
    applicantName: parties.citizen.name,
    channel: 'window',
    onBehalfOf: parties.citizen,
    ...(parties.agent ? { agent: parties.agent } : {}),
    filedBy: { id: staff.id, username: staff.username, name: staff.displayName || undefined },
    timeline: [{ at: now, actor: staff.username, action: 'case.filed-at-window', detail: filedDetail(parties.citizen, parties.agent) }],
  };
  return fields;
}

/** 「窗口收件：为 张三 代办人 李四（子女）」 — names only, no ID numbers in the timeline. */
function filedDetail(citizen: Citizen, agent?: CaseAgent): string {
  return `窗口收件：申请人 ${citizen.name}${agent ? `，代办人 ${agent.name}（${agent.relation}）` : '（本人到场）'}`;
}

/** The audit details of a counter filing (ID numbers in full: the audit log is the protected record). */
export function counterAuditDetails(doc: Pick<CaseDoc, 'onBehalfOf' | 'agent' | 'filedBy' | 'channel'>): Record<string, unknown> {
  return doc.channel === 'window' ? { channel: 'window', onBehalfOf: doc.onBehalfOf, agent: doc.agent ?? null, filedBy: doc.filedBy?.username } : {};
}

/** Whether `user` filed this case at the counter (and is still window staff). */
export function isFiler(user: Pick<SessionUser, 'id' | 'roles' | 'departments'>, doc: Pick<CaseDoc, 'filedBy'>): boolean {
  return !!doc.filedBy && doc.filedBy.id === user.id && isWindowStaff(user);
}

/** Who may work on a draft: its applicant, or the window staff member who filed it. */
export function draftOwnerFilter(user: SessionUser): Record<string, unknown> {
  return isWindowStaff(user) ? { $or: [{ applicant: user.id }, { 'filedBy.id': user.id }] } : { applicant: user.id };
}

/** Before a counter case with an agent is submitted: the 授权委托书 must be among its files (422). */
export async function checkCounterMaterials(conn: Connection, doc: Pick<CaseWithId, '_id' | 'agent'>): Promise<void> {
  if (!doc.agent) return;
  const files = await caseAttachments(conn, String(doc._id));
  if (!files.some((f) => f.material === AUTHORIZATION_LETTER)) {
    throw new DomainError('invalid', '代办须上传申请人签署的授权委托书', { errors: [{ path: `materials.${AUTHORIZATION_LETTER}`, message: '请上传授权委托书' }] });
  }
}

/**
 * At sign-in: the counter cases filed for this applicant's ID number before they had an account
 * become theirs (case, notifications); the timeline and the audit say so. Returns how many.
 */
export async function linkCounterCases(models: Models, user: SessionUser, ip?: string): Promise<number> {
  if (!user.roles.includes('applicant')) return 0;
  const account = await models.User.findById(user.id).select({ idNumber: 1 }).lean();
  if (!account?.idNumber) return 0;
  const waiting = await models.Case.find({ tenant: user.tenant, 'onBehalfOf.idNumber': account.idNumber, applicant: trusted({ $regex: `^${UNCLAIMED_PREFIX}` }) }).select({ _id: 1, applicant: 1, no: 1 }).limit(500).lean();
  let linked = 0;
  for (const doc of waiting) {
    const now = new Date();
    const res = await models.Case.updateOne(
      { _id: doc._id, applicant: doc.applicant },
      { $set: { applicant: user.id }, $push: { timeline: { at: now, actor: user.username, action: 'case.linked-to-account', detail: '申请人登录后关联本人账户' } }, $inc: { rev: 1 } },
    );
    if (res.modifiedCount === 0) continue;
    await models.Notification.updateMany({ tenant: user.tenant, user: doc.applicant }, { $set: { user: user.id } });
    await audit(models, { tenant: user.tenant, name: user.username, ip }, 'case.link-account', `case:${doc.no ?? String(doc._id)}`, { from: doc.applicant });
    linked++;
  }
  return linked;
}
