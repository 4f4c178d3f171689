/**
 * The notification dispatcher's batches (#24, latency): two dispatchers at once send every
 * notification exactly once and queue one SMS each; a claim whose process died is taken over
 * after `claimMs`, a live one is not; a batch whose SMS cannot be queued is released whole; a
 * batch costs a fixed number of database commands, not ~10 per notification.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dispatchNotifications, enqueueSmsBatch, type NotificationProvider } from '@lianban/server';
import { startTestServer, type TestServer } from './helpers';

const ORIGIN = 'https://lianban.example.gov.cn';

describe('notification dispatcher batches', () => {
  let s: TestServer;
  let applicantId: string;
  let caseNo = 0;

  beforeAll(async () => {
    s = await startTestServer();
    applicantId = String((await s.models.User.findOne({ username: 'luan.applicant' }).lean())!._id);
    await s.models.User.updateOne({ _id: applicantId }, { $set: { phone: '13912345678' } });
    await s.models.SmsSettings.updateOne({ _id: 'luan' }, { $set: { templates: [{ kind: 'receipt', code: 'SMS_465300001', params: ['caseNo', 'link'], enabled: true }] } }, { upsert: true });
  });
  afterAll(async () => { await s?.close(); });
  beforeEach(async () => {
    await Promise.all([s.models.Notification.deleteMany({}), s.models.SmsMessage.deleteMany({})]);
  });

  /** `n` unsent 受理 notifications of the applicant, with their own case numbers; `extra` over the defaults. */
  async function notifications(n: number, extra: Record<string, unknown> = {}): Promise<string[]> {
    const docs = await s.models.Notification.insertMany(Array.from({ length: n }, () => {
      const no = `LA20261205${String(++caseNo).padStart(4, '0')}`;
      return { tenant: 'luan', user: applicantId, caseId: '000000000000000000000000', caseNo: no, kind: 'accepted', message: `您的申请已受理，办件编号 ${no}`, at: new Date(), readAt: null, sentAt: null, ...extra };
    }));
    return docs.map((d) => String(d._id));
  }

  function recorder(): NotificationProvider & { messages: string[] } {
    const messages: string[] = [];
    return { messages, send: async (_to, message) => { messages.push(message); await new Promise((r) => setImmediate(r)); } };
  }

  const withSms = { onBatch: (ns: Parameters<typeof enqueueSmsBatch>[1]) => enqueueSmsBatch(s.models, ns, { publicOrigin: ORIGIN }) };

  it('should send each notification once and queue one SMS each when two dispatchers run at once', async () => {
    await notifications(130);
    const a = recorder();
    const b = recorder();
    const [sentA, sentB] = await Promise.all([
      dispatchNotifications(s.models, a, undefined, { ...withSms, batch: 20 }),
      dispatchNotifications(s.models, b, undefined, { ...withSms, batch: 20 }),
    ]);
    expect(sentA + sentB).toBe(130);
    const all = [...a.messages, ...b.messages];
    expect(all).toHaveLength(130);
    expect(new Set(all).size).toBe(130);
    // both took part (batches interleave) — and none is left unsent or held
    expect(a.messages.length).toBeGreaterThan(0);
    expect(b.messages.length).toBeGreaterThan(0);
    expect(await s.models.Notification.countDocuments({ sentAt: null })).toBe(0);
    const sms = await s.models.SmsMessage.find({}).lean();
    expect(sms).toHaveLength(130);
    expect(new Set(sms.map((m) => m.notification)).size).toBe(130);
    expect(sms.every((m) => m.status === 'pending' && m.phone === '13912345678' && m.templateCode === 'SMS_465300001')).toBe(true);
    // a second round finds nothing
    expect(await dispatchNotifications(s.models, a, undefined, withSms)).toBe(0);
  });

  it('should take over a claim whose process died after claimMs, and leave a live claim alone', async () => {
    const now = new Date();
    const [dead] = await notifications(1, { claim: '999.dead', claimedAt: new Date(now.getTime() - 61_000) });
    const [live] = await notifications(1, { claim: '998.live', claimedAt: new Date(now.getTime() - 5_000) });
    const [free] = await notifications(1);
    const p = recorder();
    expect(await dispatchNotifications(s.models, p, undefined, { ...withSms, claimMs: 60_000, now: () => now })).toBe(2);
    const sent = (await s.models.Notification.find({}).lean()).filter((n) => n.sentAt);
    expect(sent.map((n) => String(n._id)).sort()).toEqual([dead, free].sort());
    expect((await s.models.Notification.findById(live).lean())).toMatchObject({ claim: '998.live', sentAt: null });
    // a minute later the live one's process has not finished it: it is taken over
    const later = new Date(now.getTime() + 60_000);
    expect(await dispatchNotifications(s.models, p, undefined, { ...withSms, claimMs: 60_000, now: () => later })).toBe(1);
    expect((await s.models.Notification.findById(live).lean())!.sentAt).toEqual(later);
    expect(p.messages).toHaveLength(3);
    expect(await s.models.SmsMessage.countDocuments({})).toBe(3);
  });

  it('should release the whole batch when its SMS cannot be queued, and send it in a later round', async () => {
    const ids = await notifications(5);
    const p = recorder();
    const failing = { onBatch: async () => { throw new Error('database unavailable'); } };
    expect(await dispatchNotifications(s.models, p, undefined, failing)).toBe(0);
    const released = (await s.models.Notification.find({}).lean()).filter((n) => ids.includes(String(n._id)));
    expect(released).toHaveLength(5);
    expect(released.every((n) => n.sentAt === null && n.claim === null)).toBe(true);
    expect(p.messages).toHaveLength(0);
    expect(await dispatchNotifications(s.models, p, undefined, withSms)).toBe(5);
    expect(await s.models.SmsMessage.countDocuments({})).toBe(5);
  });

  it('should skip a notification whose account is gone, and mark it sent all the same', async () => {
    await notifications(2);
    await notifications(1, { user: '0123456789abcdef01234567' });
    await notifications(1, { user: 'not-an-id' });
    const p = recorder();
    expect(await dispatchNotifications(s.models, p, undefined, withSms)).toBe(2);
    expect(await s.models.Notification.countDocuments({ sentAt: null })).toBe(0);
    expect((await s.models.SmsMessage.find({ status: 'dropped' }).lean()).map((m) => m.reason)).toEqual(['no-phone', 'no-phone']);
  });

  it('should dispatch a batch in a fixed number of database commands', async () => {
    await notifications(100);
    const commands: string[] = [];
    const count = (e: { commandName: string }) => { commands.push(e.commandName); };
    const client = s.db.connection!.getClient();
    client.on('commandStarted', count);
    try {
      expect(await dispatchNotifications(s.models, recorder(), undefined, { ...withSms, batch: 50 })).toBe(100);
    } finally {
      client.off('commandStarted', count);
    }
    // per batch of 50: ids, claim, read back, templates, cases, accounts (phones), SMS bulk write, accounts (names), mark sent;
    // then one empty look. Before: ~10 commands per notification.
    expect(commands.length, commands.join(' ')).toBeLessThanOrEqual(2 * 9 + 1);
    expect(await s.models.SmsMessage.countDocuments({})).toBe(100);
  });
});
