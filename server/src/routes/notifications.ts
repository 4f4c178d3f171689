/** The signed-in user's notifications (accepted, needs action, completed, rejected). */
import { requireUser } from '../http/session';
import { listNotifications, markRead } from '../services/notify';
import type { FeatureRoute } from './deps';

export const NOTIFICATION_ROUTES: FeatureRoute[] = [
  {
    method: 'get', path: '/notifications', summary: '我的通知', who: 'signed-in', answer: 'Notification[]',
    handler: async (ctx, { models }) => { ctx.body = await listNotifications(models, requireUser(ctx)); },
  },
  {
    method: 'post', path: '/notifications/:id/read', summary: '标为已读', who: 'signed-in', answer: 'Ok',
    handler: async (ctx, { models }) => {
      await markRead(models, requireUser(ctx), ctx.params.id!);
      ctx.body = { ok: true };
    },
  },
];
