/**
 * SMS end to end: templates per city (admin API, refused parameters), a submitted case → the
 * notification dispatcher queues the 受理 SMS → the fake Alibaba Cloud receives it for the
 * applicant's number with nothing but the case number and a link; retries with backoff, the
 * per-number limit, one send per message with two senders at once.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type request from 'supertest';
import { aliyunProvider, backoffMs, dispatchNotifications, enqueueSms, enqueueSmsBatch, logProvider, sendDueSms, DEFAULT_SMS_LIMITS, type SmsProvider } from '@lianban/server';
import { publishMini, startTestServer, type TestServer } from '../helpers';
import { startFakeAliyun, type FakeProvider } from './fake-providers';

type Agent = ReturnType<typeof request.agent>;

const PHONE = '13912345678';
const ORIGIN = 'https://lianban.example.gov.cn';
const person = { name: '李四', idNumber: '341502196501150039', housingFund: false };

describe('SMS from the outbox', () => {
  let s: TestServer;
  let fake: FakeProvider;
  let provider: SmsProvider;
  let admin: Agent;
  let applicant: Agent;
  // as the server runs it: a batch at a time (services/notify.ts, sms/outbox.ts)
  const dispatch = () => dispatchNotifications(s.models, logProvider(() => {}), undefined, { onBatch: (ns) => enqueueSmsBatch(s.models, ns, { publicOrigin: ORIGIN }) });

  beforeAll(async () => {
    s = await startTestServer();
    await publishMini(s);
    fake = await startFakeAliyun('LTAI-e2e', 'e2e-secret');
    provider = aliyunProvider({ endpoint: fake.url, keyId: 'LTAI-e2e', keySecret: 'e2e-secret' });
    [admin, applicant] = await Promise.all([s.login('luan.admin'), s.login('luan.applicant')]);
    await s.models.User.updateOne({ username: 'luan.applicant' }, { $set: { phone: PHONE } });
  });
  afterAll(async () => { await fake?.close(); await s?.close(); });
  beforeEach(async () => {
    await Promise.all([s.models.SmsMessage.deleteMany({}), s.models.SmsBudget.deleteMany({})]);
    fake.reset();
  });

  it('should list the default templates, refuse a personal parameter, and save codes (audited)', async () => {
    const initial = await admin.get('/api/v1/admin/sms/templates').expect(200);
    expect(initial.body.templates.map((t: { kind: string }) => t.kind)).toEqual(['receipt', 'correction', 'promise-due', 'completion', 'remind', 'overdue']);
    expect(initial.body.templates[0]).toMatchObject({ code: '', params: ['caseNo', 'link'], enabled: true, label: '受理' });
    const refused = await admin.put('/api/v1/admin/sms/templates').send({ templates: [{ kind: 'receipt', code: 'SMS_1', params: ['caseNo', 'name', 'idNumber'] }] }).expect(422);
    expect(refused.body.error.code).toBe('invalid');
    expect(refused.body.error.errors.map((e: { path: string }) => e.path)).toEqual(['templates.0.params.1', 'templates.0.params.2']);
    expect(refused.body.error.errors[0].message).toMatch(/不得含个人信息/);
    await admin.put('/api/v1/admin/sms/templates').send({ templates: [{ kind: 'bogus', code: 'SMS 1', params: [] }] }).expect(422);
    const saved = await admin.put('/api/v1/admin/sms/templates').send({ templates: [{ kind: 'receipt', code: 'SMS_465300001', params: ['caseNo', 'link'] }] }).expect(200);
    expect(saved.body.templates[0]).toMatchObject({ kind: 'receipt', code: 'SMS_465300001' });
    expect(saved.body.updatedBy).toBeTruthy();
    expect(await s.models.Audit.countDocuments({ action: 'sms.templates' })).toBe(1);
    // another city does not see it; an applicant may not call it
    const cz = await s.login('changzhou.admin').catch(() => null);
    if (cz) expect((await cz.get('/api/v1/admin/sms/templates').expect(200)).body.templates[0].code).toBe('');
    await applicant.get('/api/v1/admin/sms/templates').expect(403);
  });

  it('should send the 受理 SMS of a submitted case to the applicant\'s phone with only the case number and a link', async () => {
    await admin.put('/api/v1/admin/sms/templates').send({ templates: [{ kind: 'receipt', code: 'SMS_465300001', params: ['caseNo', 'link'] }] }).expect(200);
    const sub = await applicant.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data: person }).expect(201);
    await dispatch();
    await dispatch(); // a second round queues nothing twice
    expect(await s.models.SmsMessage.countDocuments({ caseId: sub.body.id, kind: 'receipt' })).toBe(1);
    const tally = await sendDueSms(s.models, provider, { sign: '六安政务服务' });
    expect(tally.sent).toBeGreaterThanOrEqual(1);
    const mine = fake.received.filter((r) => r.phone === PHONE);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toEqual({ phone: PHONE, templateCode: 'SMS_465300001', signName: '六安政务服务', params: { caseNo: sub.body.no, link: `${ORIGIN}/my/cases/${sub.body.id}` } });
    const wire = JSON.stringify(mine[0]!.params);
    expect(wire).not.toContain(person.name);
    expect(wire).not.toContain(person.idNumber);
    const row = await s.models.SmsMessage.findOne({ caseId: sub.body.id }).lean();
    expect(row).toMatchObject({ status: 'sent', attempts: 1, responseCode: 'OK', providerMessageId: expect.stringMatching(/\^0$/) });
    const list = await admin.get('/api/v1/admin/sms/messages?status=sent').expect(200);
    expect(list.body[0]).toMatchObject({ caseNo: sub.body.no, phone: '139****5678', status: 'sent', responseCode: 'OK' });
  });

  /** Publishes matter `key` with form `key`: 姓名, 公民身份号码, `fields` (the mobile one among them), the housing-fund choice. */
  async function publishWithMobile(key: string, title: string, fields: Record<string, unknown>) {
    await admin.put('/api/v1/admin/sms/templates').send({ templates: [{ kind: 'receipt', code: 'SMS_465300001', params: ['caseNo'] }] }).expect(200);
    await admin.put(`/api/v1/admin/forms/${key}`).send({ title, schema: {
      type: 'object', title,
      properties: {
        name: { type: 'string', title: '姓名', required: true, maxLength: 30, 'x-field-type': 'text' },
        idNumber: { type: 'string', title: '公民身份号码', required: true, 'x-field-type': 'idNumber' },
        ...fields,
        housingFund: { type: 'boolean', title: '是否申请提取住房公积金', 'x-field-type': 'yesNo', 'x-linked-item': 'housing-fund-withdrawal' },
      },
    } }).expect(200);
    await admin.put(`/api/v1/admin/matters/${key}`).send({
      title, forms: [{ key }], flow: 'mini-flow',
      linkedItems: [
        { key: 'retirement-approval', title: '退休审批', department: 'hrss', mandatory: true },
        { key: 'housing-fund-withdrawal', title: '公积金提取', department: 'housing-fund' },
      ],
    }).expect(200);
    const published = await admin.post(`/api/v1/admin/matters/${key}/publish`);
    expect(published.status, JSON.stringify(published.body)).toBe(200);
  }

  it('should take the number from the application\'s mobile field when the account has none', async () => {
    await publishWithMobile('sms-mini', '带手机的小事项', { mobile: { type: 'string', title: '本人手机', required: true, 'x-field-type': 'mobile' } });
    await s.models.User.updateOne({ username: 'luan.applicant' }, { $unset: { phone: 1 } });
    try {
      const sub = await applicant.post('/api/v1/cases').send({ matter: 'sms-mini', form: 'sms-mini', data: { name: person.name, idNumber: person.idNumber, mobile: '+86 137-0000-1234', housingFund: false } }).expect(201);
      await dispatch();
      await sendDueSms(s.models, provider, { sign: 's' });
      expect(fake.received.filter((r) => (r.params as Record<string, string>).caseNo === sub.body.no)).toEqual([expect.objectContaining({ phone: '13700001234' })]);
      // a second case of the same matter version: its form's mobile field is remembered, not read again (#24)
      const reads: string[] = [];
      // the cases' projections: never the whole application, its mobile field where the account has no number
      const projections: Record<string, unknown>[] = [];
      const count = (e: { commandName: string; command: Record<string, unknown> }) => {
        if (e.commandName !== 'find') return;
        reads.push(String(e.command.find));
        if (e.command.find === 'cases') projections.push((e.command.projection ?? {}) as Record<string, unknown>);
      };
      s.db.connection!.getClient().on('commandStarted', count);
      try {
        const second = await applicant.post('/api/v1/cases').send({ matter: 'sms-mini', form: 'sms-mini', data: { name: person.name, idNumber: person.idNumber, mobile: '13700005678', housingFund: false } }).expect(201);
        reads.length = 0;
        await dispatch();
        await sendDueSms(s.models, provider, { sign: 's' });
        expect(fake.received.filter((r) => (r.params as Record<string, string>).caseNo === second.body.no)).toEqual([expect.objectContaining({ phone: '13700005678' })]);
        expect(reads).not.toContain('matter_versions');
        expect(projections.some((p) => 'data.mobile' in p)).toBe(true);
        expect(projections.filter((p) => 'data' in p || Object.keys(p).length === 0)).toEqual([]);
      } finally {
        s.db.connection!.getClient().off('commandStarted', count);
      }
    } finally {
      await s.models.User.updateOne({ username: 'luan.applicant' }, { $set: { phone: PHONE } });
    }
  });

  it('should find the mobile field inside a 分组 section, where its value is at the top of the data', async () => {
    // as 常州's form: 本人手机 inside a void section; Formily keeps its value at data.contact
    await publishWithMobile('sms-sectioned', '分组中的手机', {
      contactSection: { type: 'void', title: '联系方式', 'x-field-type': 'section', properties: {
        contact: { type: 'string', title: '本人手机', required: true, 'x-field-type': 'mobile' },
      } },
    });
    await s.models.User.updateOne({ username: 'luan.applicant' }, { $unset: { phone: 1 } });
    try {
      const sub = await applicant.post('/api/v1/cases').send({ matter: 'sms-sectioned', form: 'sms-sectioned', data: { name: person.name, idNumber: person.idNumber, contact: '13700002222', housingFund: false } }).expect(201);
      await dispatch();
      await sendDueSms(s.models, provider, { sign: 's' });
      expect(fake.received.filter((r) => (r.params as Record<string, string>).caseNo === sub.body.no).map((r) => r.phone)).toEqual(['13700002222']);
    } finally {
      await s.models.User.updateOne({ username: 'luan.applicant' }, { $set: { phone: PHONE } });
    }
  });

  async function queued(caseNo: string, phone = PHONE) {
    const n = await s.models.Notification.create({ tenant: 'luan', user: (await s.models.User.findOne({ username: 'luan.applicant' }).lean())!._id.toString(), caseId: '000000000000000000000000', caseNo, kind: 'accepted', message: `您的申请已受理，办件编号 ${caseNo}`, at: new Date(), readAt: null, sentAt: new Date() });
    await s.models.User.updateOne({ username: 'luan.applicant' }, { $set: { phone } });
    await enqueueSms(s.models, n.toObject(), { publicOrigin: ORIGIN });
    return String(n._id);
  }

  it('should retry a transient failure with exponential backoff, then mark it failed after the last attempt', async () => {
    await admin.put('/api/v1/admin/sms/templates').send({ templates: [{ kind: 'receipt', code: 'SMS_465300001', params: ['caseNo', 'link'] }] }).expect(200);
    const id = await queued('LA202612059001');
    const limits = { maxAttempts: 3, baseDelayMs: 30_000, minIntervalMs: 0 };
    let now = new Date();
    fake.failNext(5, 'server-error');
    await sendDueSms(s.models, provider, { sign: 's', limits, now: () => now });
    let row = (await s.models.SmsMessage.findOne({ notification: id }).lean())!;
    expect(row).toMatchObject({ status: 'pending', attempts: 1, responseCode: 'ServiceUnavailable' });
    expect(row.nextAttemptAt.getTime() - now.getTime()).toBe(30_000);
    // not due yet: nothing happens
    expect((await sendDueSms(s.models, provider, { sign: 's', limits, now: () => now })).retrying).toBe(0);
    now = new Date(now.getTime() + 30_000);
    await sendDueSms(s.models, provider, { sign: 's', limits, now: () => now });
    row = (await s.models.SmsMessage.findOne({ notification: id }).lean())!;
    expect(row).toMatchObject({ status: 'pending', attempts: 2 });
    expect(row.nextAttemptAt.getTime() - now.getTime()).toBe(60_000);
    now = new Date(now.getTime() + 60_000);
    await sendDueSms(s.models, provider, { sign: 's', limits, now: () => now });
    row = (await s.models.SmsMessage.findOne({ notification: id }).lean())!;
    expect(row).toMatchObject({ status: 'failed', attempts: 3, reason: 'ServiceUnavailable' });
    expect(row.history.map((h) => h.code)).toEqual(['ServiceUnavailable', 'ServiceUnavailable', 'ServiceUnavailable']);
    expect(fake.received).toHaveLength(0);
    const failed = await admin.get('/api/v1/admin/sms/messages?status=failed').expect(200);
    expect(failed.body.map((m: { caseNo: string }) => m.caseNo)).toContain('LA202612059001');
    expect(backoffMs(10, DEFAULT_SMS_LIMITS)).toBe(DEFAULT_SMS_LIMITS.maxDelayMs);
  });

  it('should fail a refusal at once, and recover from one transient failure', async () => {
    await admin.put('/api/v1/admin/sms/templates').send({ templates: [{ kind: 'receipt', code: 'SMS_465300001', params: ['caseNo', 'link'] }] }).expect(200);
    const refused = await queued('LA202612059002', '13700000001');
    fake.failNext(1, 'bad-template');
    await sendDueSms(s.models, provider, { sign: 's' });
    expect(await s.models.SmsMessage.findOne({ notification: refused }).lean()).toMatchObject({ status: 'failed', attempts: 1, reason: 'isv.SMS_TEMPLATE_ILLEGAL' });
    const flaky = await queued('LA202612059003', '13700000002');
    let now = new Date();
    fake.failNext(1, 'throttled');
    await sendDueSms(s.models, provider, { sign: 's', now: () => now });
    now = new Date(now.getTime() + DEFAULT_SMS_LIMITS.minIntervalMs + 1);
    await sendDueSms(s.models, provider, { sign: 's', now: () => now });
    expect(await s.models.SmsMessage.findOne({ notification: flaky }).lean()).toMatchObject({ status: 'sent', attempts: 2 });
    expect(fake.received.map((r) => r.params)).toEqual([{ caseNo: 'LA202612059003', link: `${ORIGIN}/my/cases/000000000000000000000000` }]);
  });

  it('should hold a number to one SMS a minute (delayed) and drop what exceeds the daily cap', async () => {
    await admin.put('/api/v1/admin/sms/templates').send({ templates: [{ kind: 'receipt', code: 'SMS_465300001', params: ['caseNo'] }] }).expect(200);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(await queued(`LA20261205800${i}`, '13600000000'));
    const limits = { minIntervalMs: 60_000, dailyMax: 3 };
    // early in a China-time day (UTC+8), so that the five minutes below stay in it
    const day = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    let now = new Date(Math.max(Date.now() + 1000, Date.parse(`${day}T00:00:00+08:00`) + 1000));
    if (Date.parse(`${day}T23:50:00+08:00`) < now.getTime()) now = new Date(Date.parse(`${day}T23:50:00+08:00`) + 86_400_000);
    const first = await sendDueSms(s.models, provider, { sign: 's', limits, now: () => now });
    expect(first.sent).toBe(1);
    expect(first.delayed).toBeGreaterThanOrEqual(1);
    expect(fake.received).toHaveLength(1);
    for (let minute = 1; minute <= 5; minute++) {
      now = new Date(now.getTime() + 60_000);
      await sendDueSms(s.models, provider, { sign: 's', limits, now: () => now });
    }
    expect(fake.received).toHaveLength(3);
    const rows = (await s.models.SmsMessage.find({ tenant: 'luan' }).lean()).filter((r) => ids.includes(r.notification));
    expect(rows.filter((r) => r.status === 'sent')).toHaveLength(3);
    expect(rows.filter((r) => r.status === 'dropped').map((r) => r.reason)).toEqual(['rate-limited-daily']);
    // the next China-time day the number has its budget again
    await queued('LA202612068000', '13600000000');
    now = new Date(Date.parse(`${new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10)}T00:00:00+08:00`) + 86_400_000 + 60_000);
    await sendDueSms(s.models, provider, { sign: 's', limits, now: () => now });
    expect(fake.received).toHaveLength(4);
  });

  it('should record an SMS it cannot send (no number, no template) as dropped with the reason', async () => {
    await admin.put('/api/v1/admin/sms/templates').send({ templates: [{ kind: 'receipt', code: '', params: ['caseNo'] }] }).expect(200);
    const noTemplate = await queued('LA202612057001');
    await admin.put('/api/v1/admin/sms/templates').send({ templates: [{ kind: 'receipt', code: 'SMS_465300001', params: ['caseNo'] }] }).expect(200);
    await s.models.User.updateOne({ username: 'luan.applicant' }, { $unset: { phone: 1 } });
    const n = await s.models.Notification.create({ tenant: 'luan', user: (await s.models.User.findOne({ username: 'luan.applicant' }).lean())!._id.toString(), caseId: '000000000000000000000000', caseNo: 'LA202612057002', kind: 'accepted', message: 'x', at: new Date(), readAt: null, sentAt: new Date() });
    await enqueueSms(s.models, n.toObject(), { publicOrigin: ORIGIN });
    expect(await s.models.SmsMessage.findOne({ notification: noTemplate }).lean()).toMatchObject({ status: 'dropped', reason: 'no-template' });
    expect(await s.models.SmsMessage.findOne({ notification: String(n._id) }).lean()).toMatchObject({ status: 'dropped', reason: 'no-phone' });
    await s.models.User.updateOne({ username: 'luan.applicant' }, { $set: { phone: PHONE } });
  });

  it('should send each message once when two senders run at the same time', async () => {
    await admin.put('/api/v1/admin/sms/templates').send({ templates: [{ kind: 'receipt', code: 'SMS_465300001', params: ['caseNo'] }] }).expect(200);
    for (let i = 0; i < 6; i++) await queued(`LA20261205700${i}`, `1350000000${i}`);
    await Promise.all([sendDueSms(s.models, provider, { sign: 's' }), sendDueSms(s.models, provider, { sign: 's' })]);
    expect(fake.received).toHaveLength(6);
    expect(new Set(fake.received.map((r) => r.phone)).size).toBe(6);
    expect(await s.models.SmsMessage.countDocuments({ status: 'sent' })).toBe(6);
  });

  it('should put the 好差评 link in the 办结 SMS, approved or not, and keep it out of the other kinds', async () => {
    // the 受理 SMS switched off: with it, the per-number limit would hold the 办结 one back a minute
    await admin.put('/api/v1/admin/sms/templates').send({ templates: [
      { kind: 'completion', code: 'SMS_465300004', params: ['caseNo', 'link', 'rateLink'] },
      { kind: 'receipt', code: 'SMS_465300001', params: ['caseNo', 'link'], enabled: false },
    ] }).expect(200);
    const refused = await admin.put('/api/v1/admin/sms/templates').send({ templates: [{ kind: 'receipt', code: 'SMS_1', params: ['caseNo', 'rateLink'] }] }).expect(422);
    expect(refused.body.error.errors).toEqual([expect.objectContaining({ path: 'templates.0.params.1', message: '评价链接（rateLink）只能用于办结短信' })]);
    const hrss = await s.login('luan.hrss');
    const anon = s.agent();
    for (const outcome of ['approved', 'rejected']) {
      fake.reset();
      await s.models.SmsBudget.deleteMany({});
      const sub = await applicant.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data: person }).expect(201);
      const task = ((await hrss.get('/api/v1/tasks').expect(200)).body as { id: string; caseId: string }[]).find((t) => t.caseId === sub.body.id)!;
      await hrss.post(`/api/v1/tasks/${task.id}/complete`).send({ outcome }).expect(200);
      await dispatch();
      await sendDueSms(s.models, provider, { sign: '六安政务服务' });
      const sent = fake.received.filter((r) => r.templateCode === 'SMS_465300004' && (r.params as Record<string, string>).caseNo === sub.body.no);
      expect(sent, outcome).toHaveLength(1);
      const { rateLink, link } = sent[0]!.params as { rateLink: string; link: string };
      expect(link).toBe(`${ORIGIN}/my/cases/${sub.body.id}`);
      expect(rateLink).toMatch(new RegExp(`^${ORIGIN}/e/${sub.body.id}\\.[A-Za-z0-9_-]{22}$`));
      // the link rates the case without signing in
      const token = rateLink.slice(`${ORIGIN}/e/`.length);
      expect((await anon.get(`/api/v1/public/evaluation/${token}`).expect(200)).body).toMatchObject({ caseNo: sub.body.no, rated: { case: false } });
      expect(JSON.stringify(sent[0]!.params)).not.toContain(person.name);
    }
  });
});
