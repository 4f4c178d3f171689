/**
 * Local stand-ins for Alibaba Cloud SMS and Tencent Cloud SMS (node:http on 127.0.0.1). Each
 * verifies the request's signature with the secret the way the vendor documents it — written
 * here independently of the server's adapters (own percent-encoding, own canonical request) —
 * and answers with the vendor's success and error bodies. `failNext` scripts failures.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedSms { phone: string; templateCode: string; params: Record<string, string> | string[]; signName: string }

export interface FakeProvider {
  url: string;
  /** The messages it accepted. */
  received: ReceivedSms[];
  /** Requests refused for their signature. */
  badSignatures: number;
  /** The next `count` well-signed requests get this answer instead of success. */
  failNext(count: number, kind: 'throttled' | 'server-error' | 'bad-template'): void;
  /** Forgets what it received and the scripted failures. */
  reset(): void;
  close(): Promise<void>;
}

async function listen(handler: (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => { size += c.length; if (size < 1_000_000) chunks.push(c); });
    req.on('end', () => handler(req, Buffer.concat(chunks).toString('utf8'), res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

const json = (res: http.ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'Content-Type': 'application/json;charset=utf-8' });
  res.end(JSON.stringify(body));
};

// ---- Alibaba Cloud, RPC signature v1 ---------------------------------------------------------

/** Percent-encodes per RFC 3986 byte by byte: unreserved A-Z a-z 0-9 - _ . ~ stay, all else %XX. */
function rfc3986(s: string): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The signature Alibaba Cloud computes for `params` (Signature excluded) sent with `method`. */
export function aliyunExpectedSignature(method: string, params: [string, string][], secret: string): string {
  const sorted = params.filter(([k]) => k !== 'Signature').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const query = sorted.map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`).join('&');
  const toSign = [method, rfc3986('/'), rfc3986(query)].join('&');
  return crypto.createHmac('sha1', Buffer.from(`${secret}&`, 'utf8')).update(Buffer.from(toSign, 'utf8')).digest('base64');
}

export async function startFakeAliyun(keyId: string, secret: string): Promise<FakeProvider> {
  const received: ReceivedSms[] = [];
  const nonces = new Set<string>();
  const script: string[] = [];
  const fake: FakeProvider = {
    url: '', received, badSignatures: 0,
    failNext: (count, kind) => { for (let i = 0; i < count; i++) script.push(kind); },
    reset: () => { received.length = 0; script.length = 0; fake.badSignatures = 0; },
    close: async () => { await new Promise((r) => server.close(r)); },
  };
  const { server, url } = await listen((req, body, res) => {
    const requestId = crypto.randomUUID().toUpperCase();
    const pairs = [...new URLSearchParams(body).entries()];
    const p = Object.fromEntries(pairs);
    const given = Buffer.from(p.Signature ?? '');
    const expected = Buffer.from(aliyunExpectedSignature(req.method ?? 'POST', pairs, secret));
    const skew = Math.abs(Date.now() - Date.parse(p.Timestamp ?? ''));
    if (p.AccessKeyId !== keyId) return json(res, 404, { RequestId: requestId, Code: 'InvalidAccessKeyId.NotFound', Message: 'Specified access key is not found.' });
    if (p.SignatureMethod !== 'HMAC-SHA1' || p.SignatureVersion !== '1.0' || given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
      fake.badSignatures++;
      return json(res, 400, { RequestId: requestId, Code: 'SignatureDoesNotMatch', Message: 'Specified signature is not matched with our calculation.' });
    }
    if (!(skew < 15 * 60_000)) return json(res, 400, { RequestId: requestId, Code: 'InvalidTimeStamp.Expired', Message: 'Specified time stamp or date value is expired.' });
    if (nonces.has(p.SignatureNonce ?? '')) return json(res, 400, { RequestId: requestId, Code: 'SignatureNonceUsed', Message: 'Specified signature nonce was used already.' });
    nonces.add(p.SignatureNonce ?? '');
    if (p.Action !== 'SendSms' || p.Version !== '2017-05-25') return json(res, 400, { RequestId: requestId, Code: 'InvalidAction.NotFound', Message: 'Specified api is not found.' });
    const failure = script.shift();
    if (failure === 'throttled') return json(res, 200, { RequestId: requestId, Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: '触发号码天级流控Permits:10' });
    if (failure === 'server-error') return json(res, 503, { RequestId: requestId, Code: 'ServiceUnavailable', Message: 'The request has failed due to a temporary failure of the server.' });
    if (failure === 'bad-template') return json(res, 200, { RequestId: requestId, Code: 'isv.SMS_TEMPLATE_ILLEGAL', Message: '该账号下找不到对应模板' });
    received.push({ phone: p.PhoneNumbers!, templateCode: p.TemplateCode!, params: JSON.parse(p.TemplateParam ?? '{}'), signName: p.SignName! });
    json(res, 200, { RequestId: requestId, Code: 'OK', Message: 'OK', BizId: `${900000 + received.length}^0` });
  });
  fake.url = url;
  return fake;
}

// ---- Tencent Cloud, TC3-HMAC-SHA256 ----------------------------------------------------------

const hex = (data: string) => crypto.createHash('sha256').update(Buffer.from(data, 'utf8')).digest('hex');

/** The signature Tencent Cloud computes for a request with these signed headers and body. */
export function tencentExpectedSignature(o: { secretKey: string; service: string; timestamp: number; method: string; path: string; query: string; headers: Record<string, string>; signedHeaders: string[]; body: string }): string {
  const day = new Date(o.timestamp * 1000).toISOString().split('T')[0]!;
  const canonicalHeaders = o.signedHeaders.map((h) => `${h}:${(o.headers[h] ?? '').trim().toLowerCase()}\n`).join('');
  const canonical = `${o.method}\n${o.path}\n${o.query}\n${canonicalHeaders}\n${o.signedHeaders.join(';')}\n${hex(o.body)}`;
  const toSign = `TC3-HMAC-SHA256\n${o.timestamp}\n${day}/${o.service}/tc3_request\n${hex(canonical)}`;
  let key: Buffer = crypto.createHmac('sha256', `TC3${o.secretKey}`).update(day).digest();
  for (const part of [o.service, 'tc3_request']) key = crypto.createHmac('sha256', key).update(part).digest();
  return crypto.createHmac('sha256', key).update(toSign).digest('hex');
}

export async function startFakeTencent(secretId: string, secretKey: string, appId: string): Promise<FakeProvider> {
  const received: ReceivedSms[] = [];
  const script: string[] = [];
  const fake: FakeProvider = {
    url: '', received, badSignatures: 0,
    failNext: (count, kind) => { for (let i = 0; i < count; i++) script.push(kind); },
    reset: () => { received.length = 0; script.length = 0; fake.badSignatures = 0; },
    close: async () => { await new Promise((r) => server.close(r)); },
  };
  const { server, url } = await listen((req, body, res) => {
    const RequestId = crypto.randomUUID();
    const error = (Code: string, Message: string) => json(res, 200, { Response: { Error: { Code, Message }, RequestId } });
    const auth = /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([a-z]+)\/tc3_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(String(req.headers.authorization ?? ''));
    if (!auth) return error('AuthFailure.SignatureFailure', 'The provided credentials could not be validated.');
    const [, id, day, service, signed, signature] = auth;
    if (id !== secretId) return error('AuthFailure.SecretIdNotFound', 'The SecretId is not found.');
    const timestamp = Number(req.headers['x-tc-timestamp']);
    if (!(Math.abs(Date.now() / 1000 - timestamp) < 300)) return error('AuthFailure.SignatureExpire', 'Signature expired.');
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
    const expected = tencentExpectedSignature({ secretKey, service: service!, timestamp, method: req.method!, path: '/', query: '', headers, signedHeaders: signed!.split(';'), body });
    if (expected !== signature || service !== 'sms' || day !== new Date(timestamp * 1000).toISOString().slice(0, 10)) {
      fake.badSignatures++;
      return error('AuthFailure.SignatureFailure', 'The provided credentials could not be validated. Please check your signature is correct.');
    }
    if (req.headers['x-tc-action'] !== 'SendSms' || req.headers['x-tc-version'] !== '2021-01-11') return error('InvalidAction', 'The action is not supported.');
    const p = JSON.parse(body) as { PhoneNumberSet: string[]; SmsSdkAppId: string; SignName: string; TemplateId: string; TemplateParamSet: string[] };
    if (p.SmsSdkAppId !== appId) return error('FailedOperation.SmsSdkAppIdVerifyFail', 'SmsSdkAppId verify fail.');
    const failure = script.shift();
    if (failure === 'throttled') return error('RequestLimitExceeded', 'The number of requests exceeds the frequency limit.');
    if (failure === 'server-error') return error('InternalError', 'An internal error occurred.');
    if (failure === 'bad-template') {
      return json(res, 200, { Response: { SendStatusSet: [{ SerialNo: '', PhoneNumber: p.PhoneNumberSet[0], Fee: 0, SessionContext: '', Code: 'FailedOperation.TemplateIncorrectOrUnapproved', Message: 'template is not approved or request content does not match the approved template content', IsoCode: 'CN' }], RequestId } });
    }
    received.push({ phone: p.PhoneNumberSet[0]!, templateCode: p.TemplateId, params: p.TemplateParamSet, signName: p.SignName });
    json(res, 200, { Response: { SendStatusSet: [{ SerialNo: `2640:${100000 + received.length}`, PhoneNumber: p.PhoneNumberSet[0], Fee: 1, SessionContext: '', Code: 'Ok', Message: 'send success', IsoCode: 'CN' }], RequestId } });
  });
  fake.url = url;
  return fake;
}
