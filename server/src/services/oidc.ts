/**
 * 统一身份认证: sign-in through the provincial identity platform over OpenID Connect
 * (authorization code + PKCE, state, nonce), with `openid-client` (docs/integrations.md).
 *
 *   configureOidc(config.oidc);                       // createApp: discovery starts in the background
 *   const { url, binding } = await startOidcLogin(models, { city, next, origin, binding });
 *   const { user, token, next } = await finishOidcLogin(models, { query, binding, ip });
 *
 * - The provider's metadata is discovered at start; when the provider is down the first sign-in
 *   retries (at most every RETRY_MS), and `/ready` says so without failing readiness.
 * - A sign-in in progress is kept server-side (`OidcLogin`, 10 minutes, used once), found by the
 *   hash of `state` and bound to the browser by a random value in a cookie whose hash it keeps.
 * - The claims map to the applicant account of the city with that ID number (created at the
 *   first sign-in; the same ID number is the same account): name, phone; the 实名 level (1–3)
 *   is the session's (`SessionUser.authLevel`). A
 *   staff account may be reached by a username claim when LIANBAN_OIDC_STAFF_CLAIM is set.
 * - Every refusal is an `OidcError`: a precise English `code` (logged) and a Chinese message
 *   (shown on the page).
 */
import crypto from 'node:crypto';
import * as client from 'openid-client';
import { normalizeMobile, parseResidentId } from '@lianban/runtime';
import type { OidcSettings } from '../config';
import type { Models, UserDoc } from '../models';
import { log } from '../log';
import { audit } from './audit';
import { IDLE_TIMEOUT_MS, sha256, type SessionUser } from './auth';

/** How long a started sign-in may take at the provider. */
export const LOGIN_TTL_MS = 10 * 60_000;
/** After a failed discovery, the next sign-in retries no sooner than this. */
const RETRY_MS = 5_000;
/** Seconds the provider has to answer each request. */
const PROVIDER_TIMEOUT_S = 10;
/** The lowest and highest 实名 levels. */
export const MIN_AUTH_LEVEL = 1;
export const MAX_AUTH_LEVEL = 3;

/** A refused sign-in: `code` for logs, `message` (Chinese) for the page, `status` for the answer. */
export class OidcError extends Error {
  constructor(readonly code: string, message: string, readonly status = 400, readonly detail?: string) {
    super(message);
  }
}

let settings: OidcSettings | undefined;
let metadata: Promise<client.Configuration> | null = null;
let failure: { at: number; message: string } | null = null;

/** Sets (or clears) the provider; starts discovery in the background. */
export function configureOidc(next: OidcSettings | undefined): void {
  settings = next;
  metadata = null;
  failure = null;
  if (next) providerConfiguration().catch(() => { /* logged; retried at the next sign-in */ });
}

export function oidcEnabled(): boolean {
  return settings !== undefined;
}

/** For `/ready` and the sign-in pages: configured, and whether the provider's metadata could be read. */
export function oidcStatus(): { enabled: boolean; available?: boolean; message?: string } {
  if (!settings) return { enabled: false };
  return failure ? { enabled: true, available: false, message: failure.message } : { enabled: true, available: true };
}

function requireSettings(): OidcSettings {
  if (!settings) throw new OidcError('oidc-disabled', '本平台未开启统一身份认证登录', 404);
  return settings;
}

/** The provider's configuration: discovered once, rediscovered after a failure (not more often than RETRY_MS). */
async function providerConfiguration(): Promise<client.Configuration> {
  const s = requireSettings();
  if (!metadata) {
    if (failure && Date.now() - failure.at < RETRY_MS) throw unavailable(failure.message);
    metadata = discover(s).then((c) => {
      failure = null;
      log.info({ issuer: s.issuer }, 'oidc: provider discovered');
      return c;
    }, (err: Error & { code?: string }) => {
      metadata = null;
      failure = { at: Date.now(), message: err.message };
      log.warn({ issuer: s.issuer, err: err.message, code: err.code }, 'oidc: discovery failed');
      throw unavailable(err.message);
    });
  }
  return metadata;
}

function unavailable(detail: string): OidcError {
  return new OidcError('oidc-unavailable', '统一身份认证平台暂时无法访问，请稍后再试，或使用账户密码登录', 503, detail);
}

async function discover(s: OidcSettings): Promise<client.Configuration> {
  // plain http only for a provider on this machine or a test network; say so in the log
  const insecure = new URL(s.issuer).protocol === 'http:';
  if (insecure) log.warn({ issuer: s.issuer }, 'oidc: the issuer is not https');
  const options = { timeout: PROVIDER_TIMEOUT_S, ...(insecure ? { execute: [client.allowInsecureRequests] } : {}) };
  const found = await client.discovery(new URL(s.issuer), s.clientId, s.clientSecret, undefined, options);
  if (!s.clientSecret) return withOptions(new client.Configuration(found.serverMetadata(), s.clientId, undefined, client.None()), insecure);
  // client_secret_basic is OIDC's default; client_secret_post only when the provider does not take basic
  const methods = found.serverMetadata().token_endpoint_auth_methods_supported ?? ['client_secret_basic'];
  const auth = methods.includes('client_secret_basic') ? client.ClientSecretBasic(s.clientSecret) : client.ClientSecretPost(s.clientSecret);
  return withOptions(new client.Configuration(found.serverMetadata(), s.clientId, s.clientSecret, auth), insecure);
}

function withOptions(c: client.Configuration, insecure: boolean): client.Configuration {
  c.timeout = PROVIDER_TIMEOUT_S;
  if (insecure) client.allowInsecureRequests(c);
  return c;
}

/** Only same-origin paths are followed after sign-in (never `//host` or `/\host`). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) && next.length <= 500 && !/[\r\n]/.test(next) ? next : '/';
}

/**
 * Starts a sign-in for city `city`: remembers state, nonce and PKCE verifier, and answers the
 * provider's authorization URL. `binding` is the browser's cookie value if it has one (kept, so
 * sign-ins in two tabs both work), else a new one to set.
 */
export async function startOidcLogin(models: Models, opts: { city?: string; next?: string; origin: string; binding?: string }): Promise<{ url: string; binding: string }> {
  const s = requireSettings();
  const tenant = await cityOf(models, opts.city);
  const c = await providerConfiguration();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const codeVerifier = client.randomPKCECodeVerifier();
  const binding = opts.binding && /^[A-Za-z0-9_-]{43}$/.test(opts.binding) ? opts.binding : crypto.randomBytes(32).toString('base64url');
  const redirectUri = s.redirectUri ?? `${opts.origin}/api/v1/auth/oidc/callback`;
  const now = Date.now();
  await models.OidcLogin.create({
    _id: sha256(state), binding: sha256(binding), codeVerifier, nonce, tenant, next: safeNext(opts.next), redirectUri,
    createdAt: new Date(now), expiresAt: new Date(now + LOGIN_TTL_MS),
  });
  const url = client.buildAuthorizationUrl(c, {
    redirect_uri: redirectUri, scope: s.scope, state, nonce,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier), code_challenge_method: 'S256',
  });
  return { url: url.href, binding };
}

/** The city asked for, or the only one; 400 when there are several and none (or an unknown one) is named. */
async function cityOf(models: Models, city: string | undefined): Promise<string> {
  if (city) {
    if (typeof city === 'string' && city.length <= 50 && (await models.Tenant.exists({ _id: city }))) return city;
    throw new OidcError('oidc-unknown-city', `城市「${String(city).slice(0, 50)}」不存在，请从登录页重新选择城市`);
  }
  const cities = await models.Tenant.find({}).select({ _id: 1 }).limit(2).lean();
  if (cities.length === 1) return cities[0]!._id;
  throw new OidcError('oidc-no-city', '请先选择办事的城市，再使用统一身份认证登录');
}

/** What the platform takes from the provider's claims. */
export interface OidcProfile {
  subject: string;
  idNumber?: string;
  name?: string;
  phone?: string;
  level: number;
  staffUsername?: string;
}

/**
 * The 实名 level of a claim: a number 1–3, or a string `1`–`3`, `L1`–`L3`, `level2`, or an URI /
 * name ending in the digit (`urn:gov:loa:3`, `loa-2`). Null when it is none of these.
 */
export function authLevelOf(value: unknown): number | null {
  if (typeof value === 'number') return Number.isInteger(value) && value >= MIN_AUTH_LEVEL && value <= MAX_AUTH_LEVEL ? value : null;
  if (typeof value !== 'string' || value.length > 200) return null;
  const m = /^(?:l|level|loa)?\s*([1-3])$/i.exec(value.trim()) ?? /[:/._-](?:l|level|loa)?([1-3])$/i.exec(value.trim());
  return m ? Number(m[1]) : null;
}

/** Maps the provider's claims (ID token and userinfo) to the profile; refuses a missing or invalid ID number. */
export function profileOf(claims: Record<string, unknown>, s: OidcSettings): OidcProfile {
  const text = (v: unknown, max: number) => (typeof v === 'string' ? v.trim().slice(0, max) : typeof v === 'number' ? String(v) : '');
  const subject = text(claims.sub, 255);
  if (!subject) throw new OidcError('oidc-no-subject', '统一身份认证平台的应答缺少用户标识，无法登录', 502);
  const staffUsername = s.staffClaim ? text(claims[s.staffClaim], 100) || undefined : undefined;
  const idRaw = text(claims[s.idClaim], 40).toUpperCase();
  let idNumber: string | undefined;
  if (idRaw) {
    const info = parseResidentId(idRaw);
    if (!info.valid) throw new OidcError('oidc-bad-id-number', '统一身份认证平台提供的公民身份号码无效，无法登录，请联系平台客服核实', 400, `${s.idClaim}: ${info.reason ?? 'invalid'}`);
    idNumber = idRaw;
  } else if (!staffUsername) {
    throw new OidcError('oidc-no-id-number', '统一身份认证平台未提供公民身份号码，无法登录（请管理员核对所申请的授权范围）', 400, `claim ${s.idClaim} missing`);
  }
  const levelClaim = claims[s.levelClaim];
  const level = authLevelOf(levelClaim);
  if (level === null && levelClaim !== undefined) log.warn({ claim: s.levelClaim, value: String(levelClaim).slice(0, 100) }, 'oidc: unknown 实名 level, taken as 1');
  const phone = normalizeMobile(text(claims[s.phoneClaim], 20)) ?? undefined;
  const name = text(claims[s.nameClaim], 30) || undefined;
  return { subject, idNumber, name, phone, level: level ?? MIN_AUTH_LEVEL, staffUsername };
}

/**
 * The provider's answer at the callback: checks state (server-side, once, from this browser),
 * exchanges the code (PKCE), validates the ID token (signature, issuer, audience, nonce), reads
 * userinfo, maps the claims to the account and opens a session.
 */
export async function finishOidcLogin(models: Models, opts: { query: URLSearchParams; binding?: string; ip: string }): Promise<{ user: SessionUser; token: string; next: string }> {
  const s = requireSettings();
  const state = opts.query.get('state');
  const login = state && state.length <= 200 ? await models.OidcLogin.findOneAndDelete({ _id: sha256(state) }).lean() : null;
  if (!login || login.expiresAt.getTime() <= Date.now()) {
    throw new OidcError('oidc-state-invalid', '登录请求无效或已过期，请返回登录页重新登录', 400, state ? 'unknown, used or expired state' : 'no state');
  }
  if (!opts.binding || sha256(opts.binding) !== login.binding) {
    throw new OidcError('oidc-state-invalid', '登录请求无效或已过期，请返回登录页重新登录', 400, 'state not started by this browser');
  }
  const providerError = opts.query.get('error');
  if (providerError) {
    throw new OidcError('oidc-denied', '统一身份认证未完成（已取消或未通过认证），请重新登录', 400, `${providerError}: ${opts.query.get('error_description') ?? ''}`.slice(0, 300));
  }
  const c = await providerConfiguration();
  // the redirect URI the provider was given, with the answer's parameters (behind a proxy the request's own URL may differ)
  const currentUrl = new URL(login.redirectUri);
  for (const [k, v] of opts.query) currentUrl.searchParams.append(k, v);
  let claims: Record<string, unknown>;
  try {
    const tokens = await client.authorizationCodeGrant(c, currentUrl, {
      pkceCodeVerifier: login.codeVerifier, expectedState: state!, expectedNonce: login.nonce, idTokenExpected: true,
    });
    claims = { ...(tokens.claims() ?? {}) };
    if (tokens.access_token && c.serverMetadata().userinfo_endpoint) {
      const info = await client.fetchUserInfo(c, tokens.access_token, String(claims.sub));
      claims = { ...info, ...claims };
    }
  } catch (err) {
    throw providerRefusal(err);
  }
  const profile = profileOf(claims, s);
  const account = await accountFor(models, login.tenant, profile, opts.ip);
  // the 实名 level is this sign-in's (the session's), not the account's: the same account may also have a password
  const user = { ...toSessionUser(account), authLevel: profile.level };
  const token = crypto.randomBytes(32).toString('base64url');
  const at = new Date();
  await models.Session.create({ _id: sha256(token), user: user.id, tenant: user.tenant, createdAt: at, lastSeenAt: at, expiresAt: new Date(at.getTime() + IDLE_TIMEOUT_MS), ip: opts.ip, authLevel: profile.level });
  await audit(models, { tenant: user.tenant, name: user.username, ip: opts.ip }, 'auth.login', `user:${user.username}`, { method: 'oidc', level: profile.level });
  return { user, token, next: login.next };
}

/** A failed token exchange or ID token check: which it was goes to the log, the person reads Chinese. */
function providerRefusal(err: unknown): OidcError {
  const e = err as Error & { code?: string; error?: string; error_description?: string; status?: number };
  const detail = [e.code, e.error, e.error_description ?? e.message].filter(Boolean).join(': ').slice(0, 500);
  if (e instanceof OidcError) return e;
  if (e.error === 'invalid_grant') return new OidcError('oidc-code-refused', '登录凭证已失效（可能已使用过），请返回登录页重新登录', 400, detail);
  if (e.code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' || e.code === 'OAUTH_JWS_SIGNATURE_VERIFICATION_FAILED' || e.code === 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED' || /nonce|signature|id_token/i.test(e.message ?? '')) {
    return new OidcError('oidc-id-token-invalid', '统一身份认证平台的应答未通过校验，已拒绝登录，请重新登录', 400, detail);
  }
  if (e.name === 'TypeError' || e.name === 'AbortError' || e.name === 'TimeoutError' || e.code === 'OAUTH_TIMEOUT') return unavailable(detail);
  return new OidcError('oidc-provider-error', '统一身份认证平台应答异常，请稍后再试，或使用账户密码登录', 502, detail);
}

type UserWithId = UserDoc & { _id: unknown };

function toSessionUser(user: UserWithId): SessionUser {
  return { id: String(user._id), username: user.username, displayName: user.displayName, tenant: user.tenant, roles: [...user.roles], departments: [...user.departments] };
}

/**
 * The account of the profile in `tenant`: a staff account named by the username claim (when
 * configured), else the applicant account with the ID number — created at the first sign-in,
 * updated (name, phone, level) at each.
 */
async function accountFor(models: Models, tenant: string, p: OidcProfile, ip: string): Promise<UserWithId> {
  const actor = { tenant, name: `oidc:${p.subject.slice(0, 60)}`, ip };
  if (p.staffUsername) {
    const staff = await models.User.findOne({ tenant, username: p.staffUsername }).lean();
    if (staff && !staff.disabled && staff.roles.some((r) => r !== 'applicant')) {
      await models.User.updateOne({ _id: staff._id }, { $set: { oidcSubject: p.subject } });
      return staff;
    }
    if (!p.idNumber) throw new OidcError('oidc-no-account', `本市没有与统一身份认证账户「${p.staffUsername}」对应的工作人员账户，请联系本市管理员`, 403);
  }
  const idNumber = p.idNumber!;
  const set = { oidcSubject: p.subject, ...(p.name ? { displayName: p.name } : {}), ...(p.phone ? { phone: p.phone } : {}) };
  for (let attempt = 0; attempt < 2; attempt++) {
    const existing = await models.User.findOne({ tenant, idNumber }).lean();
    if (existing) {
      if (existing.disabled) throw new OidcError('oidc-account-disabled', '您在本市的账户已停用，请联系本市管理员', 403);
      if (!existing.roles.includes('applicant')) {
        throw new OidcError('oidc-not-applicant', '该公民身份号码已绑定本市的工作人员账户：工作人员请使用账户密码登录', 403);
      }
      await models.User.updateOne({ _id: existing._id }, { $set: set });
      await audit(models, actor, 'user.oidc-update', `user:${existing.username}`, { fields: Object.keys(set), level: p.level });
      return { ...existing, ...set };
    }
    const username = `${tenant}.oidc-${sha256(`${tenant}|${idNumber}`).slice(0, 12)}`;
    try {
      const [created] = await models.User.create([{
        tenant, username, displayName: p.name ?? '', roles: ['applicant'], departments: [], idNumber,
        // no password: this account signs in only through the identity platform
        passwordHash: '!oidc', ...set,
      }]);
      await audit(models, actor, 'user.oidc-create', `user:${username}`, { level: p.level });
      return created!.toObject() as UserWithId;
    } catch (e) {
      // the same person signing in twice at the same moment: the other sign-in created it
      if ((e as { code?: number }).code !== 11000) throw e;
    }
  }
  throw new OidcError('oidc-account-conflict', '账户创建冲突，请重新登录', 409);
}
