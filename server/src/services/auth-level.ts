/**
 * 实名 level per matter (统一身份认证, docs/integrations.md): a matter may require a minimum level
 * (`minAuthLevel`, 1–3) of the applicant's sign-in to file it. A sign-in through the identity
 * platform has the level of its claim; a password sign-in the level the administrator set on
 * the account (default 1). Counter cases (窗口收件) are not checked: the window verified the
 * person in front of it.
 */
import type { SessionUser } from './auth';
import { DomainError } from './errors';

/** Refuses (403 `auth-level-too-low`) when `user`'s sign-in is below the matter's required level. */
export function checkAuthLevel(user: Pick<SessionUser, 'authLevel'>, matter: { title: string; minAuthLevel?: number }): void {
  const required = matter.minAuthLevel ?? 1;
  const current = user.authLevel ?? 1;
  if (current >= required) return;
  throw new DomainError('auth-level-too-low',
    `办理「${matter.title}」需要 L${required} 级（及以上）实名认证，您本次登录为 L${current} 级：请退出后使用「统一身份认证登录」，以 L${required} 级及以上实名认证登录后再申请`,
    { required, current });
}
