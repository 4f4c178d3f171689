/**
 * The SMS adapters against local fakes that verify the signature as the vendors do (the fakes'
 * verification is written separately from the adapters), plus the vendors' documented examples.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aliyunProvider, aliyunSignatureV1, configFromEnv, smsKindOf, smsProviderFromConfig, tencentAuthorization, tencentProvider, SmsError } from '@lianban/server';
import { aliyunExpectedSignature, startFakeAliyun, startFakeTencent, tencentExpectedSignature, type FakeProvider } from './fake-providers';

const SECRET = 'test-secret-Fq9!';
const sms = { phone: '13800138000', templateCode: 'SMS_400000001', params: { caseNo: 'LA202612050001', link: 'https://example.gov.cn/my/cases/1' }, signName: '六安政务服务' };

describe('the vendors\' documented signature examples', () => {
  // Alibaba Cloud's signature v1 example (DescribeRegions, AccessKeySecret "testsecret")
  const aliyunExample: Record<string, string> = {
    AccessKeyId: 'testid', Action: 'DescribeRegions', Format: 'XML', SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf', SignatureVersion: '1.0', Timestamp: '2016-02-23T12:46:24Z', Version: '2014-05-26',
  };
  it('should give Alibaba Cloud\'s documented signature, in the adapter and in the fake', () => {
    expect(aliyunSignatureV1('GET', aliyunExample, 'testsecret')).toBe('OLeaidS1JvxuMvnyHOwuJ+uX5qY=');
    expect(aliyunExpectedSignature('GET', Object.entries(aliyunExample), 'testsecret')).toBe('OLeaidS1JvxuMvnyHOwuJ+uX5qY=');
  });

  // Tencent Cloud's TC3-HMAC-SHA256 example (CVM DescribeInstances, 2019-02-25)
  const payload = '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}';
  const documented = '72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168';
  it('should give Tencent Cloud\'s documented signature, in the adapter and in the fake', () => {
    const header = tencentAuthorization({ secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE', secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE', service: 'cvm', host: 'cvm.tencentcloudapi.com', timestamp: 1551113065, payload });
    expect(header).toBe(`TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=${documented}`);
    expect(tencentExpectedSignature({
      secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE', service: 'cvm', timestamp: 1551113065, method: 'POST', path: '/', query: '',
      headers: { 'content-type': 'application/json; charset=utf-8', host: 'cvm.tencentcloudapi.com' }, signedHeaders: ['content-type', 'host'], body: payload,
    })).toBe(documented);
  });
});

describe('Alibaba Cloud SMS adapter', () => {
  let fake: FakeProvider;
  beforeAll(async () => { fake = await startFakeAliyun('LTAI-test-id', SECRET); });
  afterAll(async () => { await fake?.close(); });

  it('should send a correctly signed SendSms and return the BizId', async () => {
    const res = await aliyunProvider({ endpoint: fake.url, keyId: 'LTAI-test-id', keySecret: SECRET }).send(sms);
    expect(res).toEqual({ providerMessageId: expect.stringMatching(/^\d+\^0$/), code: 'OK' });
    expect(fake.received.at(-1)).toEqual({ phone: '13800138000', templateCode: 'SMS_400000001', params: sms.params, signName: '六安政务服务' });
  });

  it('should be refused by the fake when signed with another secret', async () => {
    const err = await aliyunProvider({ endpoint: fake.url, keyId: 'LTAI-test-id', keySecret: 'wrong' }).send(sms).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SmsError);
    expect(err).toMatchObject({ code: 'SignatureDoesNotMatch', retryable: false });
    expect(fake.badSignatures).toBe(1);
  });

  it('should tell a transient failure (throttling, 503) from a refusal (template)', async () => {
    const p = aliyunProvider({ endpoint: fake.url, keyId: 'LTAI-test-id', keySecret: SECRET });
    fake.failNext(1, 'throttled');
    await expect(p.send(sms)).rejects.toMatchObject({ code: 'isv.BUSINESS_LIMIT_CONTROL', retryable: true });
    fake.failNext(1, 'server-error');
    await expect(p.send(sms)).rejects.toMatchObject({ code: 'ServiceUnavailable', retryable: true });
    fake.failNext(1, 'bad-template');
    await expect(p.send(sms)).rejects.toMatchObject({ code: 'isv.SMS_TEMPLATE_ILLEGAL', retryable: false });
  });

  it('should report an unreachable provider as a network failure worth retrying', async () => {
    await expect(aliyunProvider({ endpoint: 'http://127.0.0.1:9/', keyId: 'x', keySecret: 'y' }).send(sms)).rejects.toMatchObject({ code: 'network', retryable: true });
  });
});

describe('Tencent Cloud SMS adapter', () => {
  let fake: FakeProvider;
  beforeAll(async () => { fake = await startFakeTencent('AKID-test', SECRET, '1400000001'); });
  afterAll(async () => { await fake?.close(); });

  it('should send a correctly signed SendSms with the parameters in the template\'s order', async () => {
    const res = await tencentProvider({ endpoint: fake.url, keyId: 'AKID-test', keySecret: SECRET, appId: '1400000001' }).send({ ...sms, templateCode: '1234567' });
    expect(res).toEqual({ providerMessageId: expect.stringMatching(/^2640:\d+$/), code: 'Ok' });
    expect(fake.received.at(-1)).toEqual({ phone: '+8613800138000', templateCode: '1234567', params: ['LA202612050001', 'https://example.gov.cn/my/cases/1'], signName: '六安政务服务' });
  });

  it('should be refused by the fake when signed with another secret', async () => {
    await expect(tencentProvider({ endpoint: fake.url, keyId: 'AKID-test', keySecret: 'wrong', appId: '1400000001' }).send(sms))
      .rejects.toMatchObject({ code: 'AuthFailure.SignatureFailure', retryable: false });
    expect(fake.badSignatures).toBe(1);
  });

  it('should tell a transient failure from a refusal', async () => {
    const p = tencentProvider({ endpoint: fake.url, keyId: 'AKID-test', keySecret: SECRET, appId: '1400000001' });
    fake.failNext(1, 'throttled');
    await expect(p.send(sms)).rejects.toMatchObject({ code: 'RequestLimitExceeded', retryable: true });
    fake.failNext(1, 'server-error');
    await expect(p.send(sms)).rejects.toMatchObject({ code: 'InternalError', retryable: true });
    fake.failNext(1, 'bad-template');
    await expect(p.send(sms)).rejects.toMatchObject({ code: 'FailedOperation.TemplateIncorrectOrUnapproved', retryable: false });
  });
});

describe('which notification gives which SMS, and the configuration', () => {
  it('should map the notifications to the template kinds and leave the rest in-app', () => {
    expect(smsKindOf({ kind: 'accepted', message: '您的申请已受理，办件编号 LA1' })).toBe('receipt');
    expect(smsKindOf({ kind: 'needs-action', message: '您的办件 LA1 需要您办理：补正材料' })).toBe('correction');
    expect(smsKindOf({ kind: 'needs-action', message: '容缺受理：请在 2026-12-19 前补交「劳动合同」' })).toBe('promise-due');
    expect(smsKindOf({ kind: 'completed', message: '已办结' })).toBe('completion');
    expect(smsKindOf({ kind: 'reminder', message: '办件 LA1 的待办「审核」被催办' })).toBe('remind');
    expect(smsKindOf({ kind: 'returned', message: '已退回' })).toBeNull();
    expect(smsKindOf({ kind: 'suspended', message: '已暂停' })).toBeNull();
  });

  it('should read the SMS variables and refuse a real provider without its keys, signature or app id', () => {
    expect(configFromEnv({}).sms).toMatchObject({ provider: 'log' });
    expect(() => configFromEnv({ LIANBAN_SMS_PROVIDER: 'sendgrid' })).toThrow(/LIANBAN_SMS_PROVIDER/);
    const cfg = configFromEnv({ LIANBAN_SMS_PROVIDER: 'tencent', LIANBAN_SMS_ENDPOINT: 'http://127.0.0.1:1/', LIANBAN_SMS_KEY_ID: 'id', LIANBAN_SMS_KEY_SECRET: 'secret', LIANBAN_SMS_SIGN: '六安政务服务', LIANBAN_SMS_MIN_INTERVAL_S: '30', LIANBAN_SMS_DAILY_MAX: '5' }).sms!;
    expect(cfg).toMatchObject({ provider: 'tencent', minIntervalMs: 30_000, dailyMax: 5 });
    expect(() => smsProviderFromConfig(cfg)).toThrow(/LIANBAN_SMS_APP_ID/);
    expect(smsProviderFromConfig({ ...cfg, appId: '1400000001' }).name).toBe('tencent');
    expect(() => smsProviderFromConfig({ ...cfg, provider: 'aliyun', sign: undefined })).toThrow(/LIANBAN_SMS_SIGN/);
    expect(() => smsProviderFromConfig({ provider: 'aliyun' })).toThrow(/LIANBAN_SMS_KEY_ID/);
    expect(smsProviderFromConfig(undefined).name).toBe('log');
  });
});
