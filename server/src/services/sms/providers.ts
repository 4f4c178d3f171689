/**
 * SMS providers (issue 23 part 2): one interface, three adapters — `log` (the default: writes a
 * line, sends nothing), Alibaba Cloud SMS (dysmsapi `SendSms`, RPC style, signature v1
 * HMAC-SHA1) and Tencent Cloud SMS (`SendSms` API 3.0 version 2021-01-11, TC3-HMAC-SHA256).
 * Both are signed HTTP calls written against the vendors' documented signing algorithms
 * (docs/integrations.md says why not the SDKs); `LIANBAN_SMS_ENDPOINT` points them elsewhere
 * (the tests' local fakes).
 *
 *   const provider = smsProviderFromConfig(config.sms);
 *   const { providerMessageId, code } = await provider.send({ phone, templateCode, params, signName });
 *
 * A refusal throws `SmsError` with the provider's code and whether trying again may help.
 */
import crypto from 'node:crypto';
import { log as logger } from '../../log';

export interface SmsRequest {
  /** 11-digit mainland mobile number. */
  phone: string;
  templateCode: string;
  /** Parameter name → value, in the template's order (Tencent takes the values positionally). */
  params: Record<string, string>;
  signName: string;
}

export interface SmsResult {
  providerMessageId: string;
  /** The provider's answer code (`OK` / `Ok`). */
  code: string;
}

export interface SmsProvider {
  readonly name: 'log' | 'aliyun' | 'tencent';
  send(req: SmsRequest): Promise<SmsResult>;
}

/** A refused or failed send: `code` is the provider's (or `network`, `http-<status>`). */
export class SmsError extends Error {
  constructor(readonly code: string, message: string, readonly retryable: boolean) {
    super(message);
    this.name = 'SmsError';
  }
}

export interface SmsConfig {
  provider: 'log' | 'aliyun' | 'tencent';
  endpoint?: string;
  keyId?: string;
  keySecret?: string;
  sign?: string;
  /** Tencent only: the SmsSdkAppId of the SMS application. */
  appId?: string;
}

const TIMEOUT_MS = 10_000;

/** 138****0000: how a number appears in logs and lists. */
export function maskPhone(phone: string): string {
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}

/** The provider codes worth trying again later (throttling, the provider's own trouble). */
function transient(code: string): boolean {
  return /limit|throttl|internal|unavailable|timeout|busy|frequency/i.test(code);
}

async function post(url: string, init: RequestInit): Promise<{ status: number; body: unknown }> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, method: 'POST', signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (err) {
    throw new SmsError('network', `短信服务无法连接：${(err as Error).message}`, true);
  }
  const text = await res.text();
  let body: unknown = null;
  try { body = JSON.parse(text); } catch { /* not JSON: judged by the status */ }
  if (body === null || typeof body !== 'object') throw new SmsError(`http-${res.status}`, `短信服务应答无法识别（HTTP ${res.status}）`, res.status >= 500 || res.status === 429);
  return { status: res.status, body };
}

/** Logs instead of sending (demo mode, development): today's behaviour. */
export function logSmsProvider(write: (line: string) => void = (l) => console.log(l)): SmsProvider {
  return {
    name: 'log',
    async send(req) {
      write(`[短信·演示] ${maskPhone(req.phone)} ${req.templateCode} ${JSON.stringify(req.params)}`);
      return { providerMessageId: `log-${crypto.randomUUID()}`, code: 'OK' };
    },
  };
}

// ---- Alibaba Cloud: RPC style, signature version 1.0 (HMAC-SHA1) -------------------------------

/** RFC 3986 percent-encoding as Alibaba Cloud's signature v1 requires (space → %20, `*` → %2A, `~` kept). */
export function aliyunPercentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The v1 signature of `params` (without `Signature`) for `method`. */
export function aliyunSignatureV1(method: string, params: Record<string, string>, secret: string): string {
  const canonical = Object.keys(params).sort().map((k) => `${aliyunPercentEncode(k)}=${aliyunPercentEncode(params[k]!)}`).join('&');
  const stringToSign = `${method}&${aliyunPercentEncode('/')}&${aliyunPercentEncode(canonical)}`;
  return crypto.createHmac('sha1', `${secret}&`).update(stringToSign).digest('base64');
}

export function aliyunProvider(cfg: { endpoint?: string; keyId: string; keySecret: string }): SmsProvider {
  const endpoint = cfg.endpoint || 'https://dysmsapi.aliyuncs.com/';
  return {
    name: 'aliyun',
    async send(req) {
      const params: Record<string, string> = {
        AccessKeyId: cfg.keyId, Action: 'SendSms', Format: 'JSON', RegionId: 'cn-hangzhou', Version: '2017-05-25',
        SignatureMethod: 'HMAC-SHA1', SignatureVersion: '1.0', SignatureNonce: crypto.randomUUID(),
        Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        PhoneNumbers: req.phone, SignName: req.signName, TemplateCode: req.templateCode, TemplateParam: JSON.stringify(req.params),
      };
      params.Signature = aliyunSignatureV1('POST', params, cfg.keySecret);
      const { status, body } = await post(endpoint, { headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params).toString() });
      const b = body as { Code?: string; Message?: string; BizId?: string };
      const code = String(b.Code ?? `http-${status}`);
      if (status === 200 && code === 'OK') return { providerMessageId: String(b.BizId ?? ''), code };
      throw new SmsError(code, `阿里云短信拒绝发送：${b.Message ?? code}`, status >= 500 || transient(code));
    },
  };
}

// ---- Tencent Cloud: API 3.0, TC3-HMAC-SHA256 ---------------------------------------------------

const sha256hex = (s: string) => crypto.createHash('sha256').update(s, 'utf8').digest('hex');
const hmac = (key: string | Buffer, msg: string) => crypto.createHmac('sha256', key).update(msg, 'utf8').digest();

/** The TC3-HMAC-SHA256 `Authorization` header of a POST of `payload` (JSON) to `host`. */
export function tencentAuthorization(opts: { secretId: string; secretKey: string; service: string; host: string; timestamp: number; payload: string }): string {
  const date = new Date(opts.timestamp * 1000).toISOString().slice(0, 10);
  const signedHeaders = 'content-type;host';
  const canonicalRequest = ['POST', '/', '', `content-type:application/json; charset=utf-8\nhost:${opts.host}\n`, signedHeaders, sha256hex(opts.payload)].join('\n');
  const scope = `${date}/${opts.service}/tc3_request`;
  const stringToSign = ['TC3-HMAC-SHA256', String(opts.timestamp), scope, sha256hex(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(`TC3${opts.secretKey}`, date), opts.service), 'tc3_request');
  const signature = crypto.createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
  return `TC3-HMAC-SHA256 Credential=${opts.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
}

export function tencentProvider(cfg: { endpoint?: string; keyId: string; keySecret: string; appId: string; region?: string }): SmsProvider {
  const endpoint = cfg.endpoint || 'https://sms.tencentcloudapi.com/';
  const host = new URL(endpoint).host;
  return {
    name: 'tencent',
    async send(req) {
      const payload = JSON.stringify({
        PhoneNumberSet: [`+86${req.phone}`], SmsSdkAppId: cfg.appId, SignName: req.signName,
        TemplateId: req.templateCode, TemplateParamSet: Object.values(req.params),
      });
      const timestamp = Math.floor(Date.now() / 1000);
      const { status, body } = await post(endpoint, {
        headers: {
          'Content-Type': 'application/json; charset=utf-8',
          Authorization: tencentAuthorization({ secretId: cfg.keyId, secretKey: cfg.keySecret, service: 'sms', host, timestamp, payload }),
          'X-TC-Action': 'SendSms', 'X-TC-Version': '2021-01-11', 'X-TC-Timestamp': String(timestamp), 'X-TC-Region': cfg.region ?? 'ap-guangzhou',
        },
        body: payload,
      });
      const r = (body as { Response?: { Error?: { Code?: string; Message?: string }; SendStatusSet?: { Code?: string; Message?: string; SerialNo?: string }[] } }).Response;
      if (!r) throw new SmsError(`http-${status}`, `腾讯云短信应答无法识别（HTTP ${status}）`, status >= 500);
      if (r.Error) {
        const code = String(r.Error.Code ?? 'Error');
        throw new SmsError(code, `腾讯云短信拒绝发送：${r.Error.Message ?? code}`, transient(code));
      }
      const one = r.SendStatusSet?.[0];
      const code = String(one?.Code ?? 'missing');
      if (code === 'Ok') return { providerMessageId: String(one?.SerialNo ?? ''), code };
      throw new SmsError(code, `腾讯云短信拒绝发送：${one?.Message ?? code}`, transient(code));
    },
  };
}

/** The provider `LIANBAN_SMS_PROVIDER` names; a real one without its keys refuses to start. */
export function smsProviderFromConfig(cfg: SmsConfig | undefined): SmsProvider {
  if (!cfg || cfg.provider === 'log') return logSmsProvider((line) => logger.info({ component: 'sms' }, line));
  if (!cfg.keyId || !cfg.keySecret) throw new Error(`LIANBAN_SMS_PROVIDER=${cfg.provider} needs LIANBAN_SMS_KEY_ID and LIANBAN_SMS_KEY_SECRET`);
  if (!cfg.sign) throw new Error(`LIANBAN_SMS_PROVIDER=${cfg.provider} needs LIANBAN_SMS_SIGN (the registered 短信签名)`);
  if (cfg.provider === 'aliyun') return aliyunProvider({ endpoint: cfg.endpoint, keyId: cfg.keyId, keySecret: cfg.keySecret });
  if (!cfg.appId) throw new Error('LIANBAN_SMS_PROVIDER=tencent needs LIANBAN_SMS_APP_ID (the SmsSdkAppId)');
  return tencentProvider({ endpoint: cfg.endpoint, keyId: cfg.keyId, keySecret: cfg.keySecret, appId: cfg.appId });
}
