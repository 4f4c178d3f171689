/**
 * 电子证照 (electronic licences, issue 23 part 4): the small interface the platform asks a
 * licence platform through, and its HTTP adapter. Which licences an applicant holds is asked by
 * their ID number (the account's, never what a form says); a licence's file is fetched by its id
 * and only kept when the licence's holder is that same ID number.
 *
 *   configureLicences(config.licence);            // app.ts, from LIANBAN_LICENCE_*
 *   const provider = licenceProvider();            // null when none is configured
 *   const found = await provider.find('341502196501150039', ['居民身份证']);
 *   const { licence, file } = await provider.fetch(found[0].id);
 *
 * The wire protocol (docs/integrations.md, "电子证照"):
 *   POST {endpoint}/licences/query   {idNumber, kinds}  → {licences: Licence[]}
 *   GET  {endpoint}/licences/{id}/file                   → {licence: Licence, file: {name, contentType, data (base64)}}
 * both with `Authorization: Bearer <LIANBAN_LICENCE_KEY>` when a key is set.
 *
 * Every failure — timeout, refused connection, an HTTP error, an answer of the wrong shape —
 * throws `LicenceError` with a Chinese message; callers show it and let the applicant upload.
 */

/** One licence the platform holds for a person. */
export interface Licence {
  /** The platform's id of the licence (what `fetch` takes). */
  id: string;
  /** 证照类型, e.g. 居民身份证, 居民户口簿. */
  kind: string;
  /** 证照编号. */
  licenceNo: string;
  /** 发证机关. */
  issuer: string;
  /** 持证人身份证号. */
  holderIdNumber: string;
  /** `YYYY-MM-DD`. */
  issuedAt?: string;
  /** `YYYY-MM-DD`; absent: 长期 or unknown. */
  validUntil?: string;
}

/** A licence's file (PDF, PNG or JPG). */
export interface LicenceFile {
  name: string;
  bytes: Buffer;
}

export interface LicenceProvider {
  /** Shown to staff and applicants as the source (「电子证照：<name>」). */
  readonly name: string;
  /** The licences of these kinds held by the person with this ID number. */
  find(idNumber: string, kinds: string[]): Promise<Licence[]>;
  /** One licence and its file. */
  fetch(licenceId: string): Promise<{ licence: Licence; file: LicenceFile }>;
}

/** The 电子证照 platform could not answer (timeout, network, HTTP error, wrong answer); `message` is Chinese. */
export class LicenceError extends Error {
  constructor(readonly reason: 'timeout' | 'network' | 'http' | 'answer', message: string) {
    super(message);
    this.name = 'LicenceError';
  }
}

/** LIANBAN_LICENCE_*: the licence platform (absent: none, nothing is asked). */
export interface LicenceSettings {
  /** LIANBAN_LICENCE_ENDPOINT: base URL of the platform's API. */
  endpoint: string;
  /** LIANBAN_LICENCE_KEY: bearer token of the platform (unset: none sent). */
  key?: string;
  /** LIANBAN_LICENCE_NAME: how the source is named (`电子证照库`). */
  name?: string;
  /** LIANBAN_LICENCE_TIMEOUT_MS: per request (5000). */
  timeoutMs?: number;
}

/** At most this many licences are read from one answer; a file larger than this is refused. */
export const MAX_LICENCES = 50;
export const MAX_LICENCE_FILE_BYTES = 10 * 1024 * 1024;
const UNAVAILABLE = '电子证照服务暂时无法使用';

const isDay = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);
const str = (v: unknown, max = 200): string | undefined => (typeof v === 'string' && v.length > 0 && v.length <= max ? v : undefined);

/** A licence from the platform's JSON, or undefined when a required field is missing. */
function licenceOf(raw: unknown): Licence | undefined {
  const r = (raw ?? {}) as Record<string, unknown>;
  const id = str(r.id, 128);
  const kind = str(r.kind, 60);
  const licenceNo = str(r.licenceNo, 100);
  const issuer = str(r.issuer, 100);
  const holderIdNumber = str(r.holderIdNumber, 18);
  if (!id || !kind || !licenceNo || !issuer || !holderIdNumber) return undefined;
  return { id, kind, licenceNo, issuer, holderIdNumber, ...(isDay(r.issuedAt) ? { issuedAt: r.issuedAt } : {}), ...(isDay(r.validUntil) ? { validUntil: r.validUntil } : {}) };
}

/** The HTTP adapter of the protocol above. */
export class HttpLicenceProvider implements LicenceProvider {
  readonly name: string;
  private readonly base: string;
  private readonly timeoutMs: number;

  constructor(private readonly settings: LicenceSettings) {
    this.name = settings.name || '电子证照库';
    this.base = settings.endpoint.replace(/\/+$/, '');
    this.timeoutMs = settings.timeoutMs ?? 5000;
  }

  async find(idNumber: string, kinds: string[]): Promise<Licence[]> {
    const body = await this.call('/licences/query', { method: 'POST', body: JSON.stringify({ idNumber, kinds }) });
    const list = (body as { licences?: unknown }).licences;
    if (!Array.isArray(list)) throw new LicenceError('answer', `${UNAVAILABLE}（答复格式不正确），请直接上传材料`);
    return list.slice(0, MAX_LICENCES).map(licenceOf).filter((l): l is Licence => !!l);
  }

  async fetch(licenceId: string): Promise<{ licence: Licence; file: LicenceFile }> {
    const body = await this.call(`/licences/${encodeURIComponent(licenceId)}/file`, { method: 'GET' }) as { licence?: unknown; file?: { name?: unknown; data?: unknown } };
    const licence = licenceOf(body.licence);
    const name = str(body.file?.name, 200);
    const data = typeof body.file?.data === 'string' ? body.file.data : undefined;
    if (!licence || !name || !data || data.length > Math.ceil(MAX_LICENCE_FILE_BYTES / 3) * 4) {
      throw new LicenceError('answer', `${UNAVAILABLE}（证照文件不完整），请直接上传材料`);
    }
    return { licence, file: { name, bytes: Buffer.from(data, 'base64') } };
  }

  private async call(path: string, init: { method: 'GET' | 'POST'; body?: string }): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, {
        ...init,
        headers: { accept: 'application/json', ...(init.body ? { 'content-type': 'application/json' } : {}), ...(this.settings.key ? { authorization: `Bearer ${this.settings.key}` } : {}) },
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'error',
      });
    } catch (e) {
      const timeout = (e as Error).name === 'TimeoutError' || (e as Error).name === 'AbortError';
      throw timeout
        ? new LicenceError('timeout', `${UNAVAILABLE}（${Math.round(this.timeoutMs / 1000)} 秒内无应答），请稍后再试或直接上传材料`)
        : new LicenceError('network', `${UNAVAILABLE}（无法连接），请稍后再试或直接上传材料`);
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new LicenceError('http', `${UNAVAILABLE}（${res.status === 404 ? '证照不存在' : `错误 ${res.status}`}），请直接上传材料`);
    }
    // a file of 10 MB is ~13.4 MB of base64; anything much larger is not an answer of this protocol
    if (Number(res.headers.get('content-length') ?? 0) > 16 * 1024 * 1024) {
      await res.body?.cancel();
      throw new LicenceError('answer', `${UNAVAILABLE}（答复过大），请直接上传材料`);
    }
    try {
      return await res.json();
    } catch {
      throw new LicenceError('answer', `${UNAVAILABLE}（答复格式不正确），请直接上传材料`);
    }
  }
}

let current: LicenceProvider | null = null;

/** Sets this process's licence platform (app.ts, from the configuration); undefined: none. */
export function configureLicences(settings: LicenceSettings | undefined): void {
  current = settings ? new HttpLicenceProvider(settings) : null;
}

/** The configured licence platform, or null. */
export function licenceProvider(): LicenceProvider | null {
  return current;
}
