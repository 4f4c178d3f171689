/** Server configuration from the environment (API.md, "Configuration"). Nothing is required. */
import { fileURLToPath } from 'node:url';
import { parseTrustedProxies } from './http/client-address';
import type { LicenceSettings } from './services/licences/provider';
export interface Config {
  /** HTTP port; 0 picks a free one (tests). */
  port: number;
  /** Bind address. */
  host: string;
  /** Real MongoDB, when set. */
  mongodbUri?: string;
  /** Where the embedded database keeps its files. */
  dataDir: string;
  /**
   * LIANBAN_DB_FREEZE_AFTER_MS: the embedded database (in this process) keeps a document untouched
   * that long as its bytes (0, the default: never; `npm run db --freeze-after-ms` reads the same).
   */
  dbFreezeAfterMs?: number;
  /** Seed demo data into an empty database. Undefined: on when the embedded database is used. */
  demo?: boolean;
  demoPassword?: string;
  /** Directory holding the built web apps (`portal/`, `designer/`). */
  webRoot: string;
  /** Storage quotas overriding the defaults of `services/quotas.ts` (bytes / counts). */
  quotas?: { draftsPerApplicant?: number; caseAttachmentBytes?: number; applicantDailyBytes?: number };
  /**
   * LIANBAN_TRUSTED_PROXIES: addresses/CIDRs whose `X-Forwarded-For`/`-Proto` are believed
   * (comma-separated; none by default, then the socket's address is the client's).
   */
  trustedProxies?: string[];
  /** LIANBAN_METRICS_TOKEN: bearer token of `GET /metrics` (unset: the route answers 404). */
  metricsToken?: string;
  /** LIANBAN_PUBLIC_ORIGIN: the platform's public address, e.g. `https://lianban.example.gov.cn` (QR codes of documents); default `http://localhost:<port>`. */
  publicOrigin?: string;
  /** SMS (services/sms): LIANBAN_SMS_PROVIDER (`log` default, `aliyun`, `tencent`), _ENDPOINT, _KEY_ID, _KEY_SECRET, _SIGN, _APP_ID (Tencent), and the per-number limits. */
  sms?: SmsSettings;
  /** LIANBAN_OIDC_*: sign-in through the provincial identity platform (services/oidc.ts); on when the issuer is set. */
  oidc?: OidcSettings;
  /** LIANBAN_LICENCE_*: the 电子证照 platform (services/licences); off when the endpoint is unset. */
  licence?: LicenceSettings;
  /** 省级数据交换: LIANBAN_EXCHANGE_ENDPOINT (on when set) and LIANBAN_EXCHANGE_KEY (the HMAC key, required with it) — services/exchange/. */
  exchange?: { endpoint: string; key: string };
}

/** The SMS provider and the per-number rate limit (LIANBAN_SMS_MIN_INTERVAL_S: 60, LIANBAN_SMS_DAILY_MAX: 10). */
export interface SmsSettings {
  provider: 'log' | 'aliyun' | 'tencent';
  endpoint?: string;
  keyId?: string;
  keySecret?: string;
  sign?: string;
  appId?: string;
  minIntervalMs?: number;
  dailyMax?: number;
}

function exchangeFromEnv(env: NodeJS.ProcessEnv): Config['exchange'] {
  const endpoint = env.LIANBAN_EXCHANGE_ENDPOINT || '';
  if (!endpoint) return undefined;
  if (!/^https?:\/\//.test(endpoint)) throw new Error(`LIANBAN_EXCHANGE_ENDPOINT must be an http(s) URL, got "${endpoint}"`);
  const key = env.LIANBAN_EXCHANGE_KEY || '';
  if (key.length < 16) throw new Error('LIANBAN_EXCHANGE_KEY (the HMAC key agreed with the provincial platform, at least 16 characters) is required with LIANBAN_EXCHANGE_ENDPOINT');
  return { endpoint, key };
}

function smsFromEnv(env: NodeJS.ProcessEnv): SmsSettings {
  const provider = env.LIANBAN_SMS_PROVIDER || 'log';
  if (provider !== 'log' && provider !== 'aliyun' && provider !== 'tencent') throw new Error(`LIANBAN_SMS_PROVIDER must be log, aliyun or tencent, got "${provider}"`);
  return {
    provider,
    endpoint: env.LIANBAN_SMS_ENDPOINT || undefined,
    keyId: env.LIANBAN_SMS_KEY_ID || undefined,
    keySecret: env.LIANBAN_SMS_KEY_SECRET || undefined,
    sign: env.LIANBAN_SMS_SIGN || undefined,
    appId: env.LIANBAN_SMS_APP_ID || undefined,
    minIntervalMs: quota(env, 'LIANBAN_SMS_MIN_INTERVAL_S', 1000),
    dailyMax: quota(env, 'LIANBAN_SMS_DAILY_MAX'),
  };
}


/** The identity platform's client settings (docs/integrations.md, "统一身份认证 (OIDC)"). */
export interface OidcSettings {
  /** LIANBAN_OIDC_ISSUER: the provider's issuer URL (its discovery document is read from it). */
  issuer: string;
  clientId: string;
  clientSecret?: string;
  /** LIANBAN_OIDC_REDIRECT_URI; default: the request's origin + `/api/v1/auth/oidc/callback`. */
  redirectUri?: string;
  /** LIANBAN_OIDC_SCOPE (`openid profile phone`). */
  scope: string;
  /** Claim names: LIANBAN_OIDC_ID_CLAIM (`id_number`), _NAME_CLAIM (`name`), _PHONE_CLAIM (`phone_number`), _LEVEL_CLAIM (`auth_level`). */
  idClaim: string;
  nameClaim: string;
  phoneClaim: string;
  levelClaim: string;
  /** LIANBAN_OIDC_STAFF_CLAIM: a claim holding a staff account's username (unset: staff sign in with their password). */
  staffClaim?: string;
}

function oidcFromEnv(env: NodeJS.ProcessEnv): OidcSettings | undefined {
  const issuer = env.LIANBAN_OIDC_ISSUER;
  if (!issuer) return undefined;
  try {
    new URL(issuer);
  } catch {
    throw new Error(`LIANBAN_OIDC_ISSUER must be a URL, got "${issuer}"`);
  }
  if (!env.LIANBAN_OIDC_CLIENT_ID) throw new Error('LIANBAN_OIDC_ISSUER is set: LIANBAN_OIDC_CLIENT_ID is required too');
  return {
    issuer,
    clientId: env.LIANBAN_OIDC_CLIENT_ID,
    clientSecret: env.LIANBAN_OIDC_CLIENT_SECRET || undefined,
    redirectUri: env.LIANBAN_OIDC_REDIRECT_URI || undefined,
    scope: env.LIANBAN_OIDC_SCOPE || 'openid profile phone',
    idClaim: env.LIANBAN_OIDC_ID_CLAIM || 'id_number',
    nameClaim: env.LIANBAN_OIDC_NAME_CLAIM || 'name',
    phoneClaim: env.LIANBAN_OIDC_PHONE_CLAIM || 'phone_number',
    levelClaim: env.LIANBAN_OIDC_LEVEL_CLAIM || 'auth_level',
    staffClaim: env.LIANBAN_OIDC_STAFF_CLAIM || undefined,
  };
}

/** 电子证照: LIANBAN_LICENCE_ENDPOINT (on when set), _KEY, _NAME, _TIMEOUT_MS (5000). */
function licenceFromEnv(env: NodeJS.ProcessEnv): LicenceSettings | undefined {
  const endpoint = env.LIANBAN_LICENCE_ENDPOINT;
  if (!endpoint) return undefined;
  try {
    new URL(endpoint);
  } catch {
    throw new Error(`LIANBAN_LICENCE_ENDPOINT must be a URL, got "${endpoint}"`);
  }
  return { endpoint, key: env.LIANBAN_LICENCE_KEY || undefined, name: env.LIANBAN_LICENCE_NAME || undefined, timeoutMs: quota(env, 'LIANBAN_LICENCE_TIMEOUT_MS') };
}

/** A non-negative number from the environment, times `unit`; undefined when unset. */
function quota(env: NodeJS.ProcessEnv, name: string, unit = 1): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got "${raw}"`);
  return Math.floor(n * unit);
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Config {
  const port = env.PORT === undefined || env.PORT === '' ? 3000 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a port number (0-65535), got "${env.PORT}"`);
  }
  return {
    port,
    host: env.HOST || '0.0.0.0',
    mongodbUri: env.MONGODB_URI || undefined,
    dataDir: env.LIANBAN_DATA_DIR || './data',
    dbFreezeAfterMs: quota(env, 'LIANBAN_DB_FREEZE_AFTER_MS'),
    demo: env.LIANBAN_DEMO === undefined || env.LIANBAN_DEMO === '' ? undefined : env.LIANBAN_DEMO === '1' || env.LIANBAN_DEMO === 'true',
    demoPassword: env.LIANBAN_DEMO_PASSWORD || undefined,
    webRoot: env.LIANBAN_WEB_ROOT || fileURLToPath(new URL('../../dist', import.meta.url)),
    quotas: {
      draftsPerApplicant: quota(env, 'LIANBAN_MAX_DRAFTS'),
      caseAttachmentBytes: quota(env, 'LIANBAN_MAX_CASE_UPLOAD_MB', 1024 * 1024),
      applicantDailyBytes: quota(env, 'LIANBAN_MAX_DAILY_UPLOAD_MB', 1024 * 1024),
    },
    // parsed here so that a wrong entry stops the start, naming it
    trustedProxies: [...parseTrustedProxies(env.LIANBAN_TRUSTED_PROXIES).entries],
    metricsToken: env.LIANBAN_METRICS_TOKEN || undefined,
    publicOrigin: env.LIANBAN_PUBLIC_ORIGIN || undefined,
    sms: smsFromEnv(env),
    oidc: oidcFromEnv(env),
    licence: licenceFromEnv(env),
    exchange: exchangeFromEnv(env),
  };
}
