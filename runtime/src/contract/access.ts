/**
 * Who may call an operation of the API, as data: the server's route table names one `Who` per
 * route, `requireAccess` (server `http/session.ts`) enforces its `roles` before the handler
 * runs, and the OpenAPI document prints them (`x-roles` and the description).
 */

/**
 * A signed-in user's role. `operator` is the province's platform operator: its account belongs
 * to no city (tenant `platform`, PLATFORM_TENANT) and it reaches only the `/platform/*` routes.
 */
export type Role = 'admin' | 'applicant' | 'staff' | 'window' | 'operator';

/** Every role of a city's user (a user has at least one); `signed-in` routes let these through, not the operator. */
export const USER_ROLES: readonly Role[] = ['admin', 'applicant', 'staff', 'window'];
// `operator` (the province's platform operators) is deliberately not in USER_ROLES yet: the
// routes open to every role narrow by city role and do not know it.

/** The tenant of platform accounts (operators): never a city's key. */
export const PLATFORM_TENANT = 'platform';

/** One kind of caller a route may let through: a user role, a department system (API key), or anyone at all. */
export type Caller = Role | 'department-system' | 'anyone';

/** The labels the route table, docs/api.md and the document use for who may call. */
export type Who =
  | 'anyone' | 'signed-in' | Role | 'owner/staff/admin'
  | 'department-system' | 'staff/applicant/department-system' | 'staff/admin' | 'owner/admin' | 'applicant/staff' | 'owner/window'
  | 'account';

/** What a `Who` lets through at the route, and what the service then narrows (Chinese, for the document). */
export interface Access {
  /** Callers the route lets through: users with one of these roles, department systems if listed, or `anyone`. */
  readonly roles: readonly Caller[];
  /** The further check the service makes on the resource itself. */
  readonly narrowed?: string;
}

/** The access rule of each `Who`. */
export const ACCESS: Readonly<Record<Who, Access>> = {
  anyone: { roles: ['anyone'] },
  'signed-in': { roles: USER_ROLES },
  admin: { roles: ['admin'] },
  applicant: { roles: ['applicant'] },
  staff: { roles: ['staff'] },
  window: { roles: ['window'] },
  // the province's platform operator: /platform/* only
  operator: { roles: ['operator'] },
  // any signed-in account, a city's or the platform's: the session itself (/me, logout, own password)
  account: { roles: [...USER_ROLES, 'operator'] },
  'owner/staff/admin': { roles: USER_ROLES, narrowed: '申请人仅限本人的办件，工作人员仅限本部门经办的办件，管理员仅限本市' },
  'department-system': { roles: ['department-system'] },
  'staff/admin': { roles: ['staff', 'admin'], narrowed: '工作人员仅限在该办件有待办的部门，管理员仅限本市' },
  'staff/applicant/department-system': { roles: ['staff', 'applicant', 'department-system'], narrowed: '仅限待办所属部门（申请人：本人的补正待办）' },
  'owner/admin': { roles: ['applicant', 'admin'], narrowed: '申请人仅限本人的办件，管理员仅限本市' },
  // counter intake (窗口收件) and paper materials: applicants for themselves, window staff for a citizen, staff on their cases
  // 好差评: the applicant online, or window staff for a citizen rating at the counter
  'owner/window': { roles: ['applicant', 'staff', 'window'], narrowed: '申请人仅限本人已办结的办件；窗口人员仅限本人收件的办件（现场评价）' },
  'applicant/staff': { roles: ['applicant', 'staff', 'window'], narrowed: '申请人仅限本人的办件；窗口人员可代办（onBehalfOf）并处理本人收件的草稿；工作人员仅限本部门有待办的办件' },
};

/** Whether `who` is one of the labels above (routes declared without one are refused). */
export function isWho(who: unknown): who is Who {
  return typeof who === 'string' && Object.prototype.hasOwnProperty.call(ACCESS, who);
}
