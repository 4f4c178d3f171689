/**
 * Notifications to applicants: stored in-app with each case step (case-store.ts), and sent as
 * SMS/e-mail by a dispatcher through a provider. Each is claimed once (`sentAt`), so with
 * several processes a message goes out once. In demo mode the provider only logs.
 */
import { DomainError } from './errors';
import type { Models, NotificationDoc } from '../models';
import { log as logger } from '../log';

export interface NotificationProvider {
  /** Sends one message to the account; throws when the provider refused it. */
  send(to: { username: string; tenant: string }, message: string): Promise<void>;
}

/** Logs instead of sending (demo mode and tests). */
export function logProvider(log: (line: string) => void = (l) => console.log(l)): NotificationProvider {
  return { send: async (to, message) => log(`[通知·演示] ${to.username}: ${message}`) };
}

export async function listNotifications(models: Models, user: { id: string; tenant: string }) {
  const docs = await models.Notification.find({ tenant: user.tenant, user: user.id }).sort({ at: -1 }).limit(100).lean();
  return docs.map((n) => ({ id: String(n._id), caseId: n.caseId, caseNo: n.caseNo, kind: n.kind, message: n.message, at: n.at, read: n.readAt !== null }));
}

export async function markRead(models: Models, user: { id: string; tenant: string }, id: string) {
  const res = await models.Notification.updateOne({ _id: id, tenant: user.tenant, user: user.id }, { $set: { readAt: new Date() } });
  if (res.matchedCount === 0) throw new DomainError('not-found', '通知不存在');
}

/**
 * Sends every notification not sent yet; returns how many were sent. `onClaimed` (the SMS
 * outbox's `enqueueSms`) sees each claimed notification first; when it throws, the notification
 * is released for a later round.
 */
export async function dispatchNotifications(models: Models, provider: NotificationProvider, onClaimed?: (n: NotificationDoc & { _id: unknown }) => Promise<void>): Promise<number> {
  let sent = 0;
  for (;;) {
    const n = await models.Notification.findOneAndUpdate({ sentAt: null }, { $set: { sentAt: new Date() } }, { returnDocument: 'after' }).lean();
    if (!n) return sent;
    if (onClaimed) {
      try {
        await onClaimed(n);
      } catch (err) {
        await models.Notification.updateOne({ _id: n._id }, { $set: { sentAt: null } });
        logger.warn({ component: 'notify', err: (err as Error).message }, 'notification released: its SMS could not be queued');
        return sent;
      }
    }
    const user = await models.User.findById(n.user).lean();
    if (user) {
      await provider.send({ username: user.username, tenant: n.tenant }, n.message).catch((err) => logger.warn({ component: 'notify', err: (err as Error).message }, 'notification not delivered'));
      sent++;
    }
  }
}
