/**
 * Cities (tenants), their departments, accounts, browser sessions and department API keys.
 * Every document but a tenant carries `tenant`; every query of a service is scoped by it.
 */
import { Schema } from 'mongoose';
import type { Role } from '@lianban/runtime/contract';

/** The roles of the HTTP contract (who may call what is data there). */
export type { Role };

export interface TenantDoc {
  _id: string; // city key, e.g. "changzhou"
  name: string; // 常州市
  casePrefix: string; // CZ
  /** 办件编号格式 (services/case-numbers.ts); unset: `{prefix}{yyyy}{MM}{dd}{seq:4}`. */
  caseNoPattern?: string;
  /** The province, for the operator's list (cities created by POST /platform/cities). */
  province?: string;
  createdAt?: Date;
  createdBy?: string;
}

export interface DepartmentDoc {
  tenant: string;
  key: string; // hrss, medical, housing-fund, …
  name: string; // 人社
  /** Where the department works: our tasklist, or its own system (outbox + POST /messages). */
  mode: 'tasklist' | 'system';
}

export interface UserDoc {
  tenant: string;
  username: string;
  displayName: string;
  passwordHash: string;
  roles: Role[];
  departments: string[];
  failedLogins: number;
  lockedUntil: Date | null;
  disabled: boolean;
  /** An applicant's resident ID number: cases filed for it at the counter become theirs. */
  idNumber?: string;
  /** 实名 level 1–3 of a password sign-in, as the administrator set it; unset = 1 (an identity-platform sign-in has the provider's, services/oidc.ts). */
  authLevel?: number;
  /** Signed in through the identity platform: its subject (`sub`) and the phone number it gave. */
  oidcSubject?: string;
  /** The lead (负责人) of its departments: overdue cases are escalated to them (services/case-deadline.ts). */
  lead?: boolean;
  /** The account's mobile number (11 digits; from the identity provider or the admin): where SMS go. */
  phone?: string;
  /** A one-time or reset password: the account must change it before anything else (http/route-table.ts). */
  mustChangePassword?: boolean;
}

export interface SessionDoc {
  _id: string; // sha256 of the cookie token; the token itself is never stored
  user: string; // user id
  tenant: string;
  createdAt: Date;
  lastSeenAt: Date;
  /** lastSeenAt + idle timeout; a TTL index removes expired sessions. */
  expiresAt: Date;
  ip?: string;
  /** 实名 level of a sign-in through the identity platform (services/oidc.ts); unset: the account's. */
  authLevel?: number;
}

export interface ApiKeyDoc {
  tenant: string;
  department: string;
  name: string;
  prefix: string; // first characters, to tell keys apart in lists
  hash: string; // sha256 of the key
  createdAt: Date;
  createdBy: string;
  revokedAt: Date | null;
}

export const tenantSchema = new Schema<TenantDoc>({
  _id: { type: String, required: true },
  name: { type: String, required: true },
  casePrefix: { type: String, required: true },
  caseNoPattern: String,
  province: String,
  createdAt: Date,
  createdBy: String,
}, { versionKey: false });

export const departmentSchema = new Schema<DepartmentDoc>({
  tenant: { type: String, required: true },
  key: { type: String, required: true },
  name: { type: String, required: true },
  mode: { type: String, enum: ['tasklist', 'system'], default: 'tasklist' },
}, { versionKey: false, timestamps: true });
departmentSchema.index({ tenant: 1, key: 1 }, { unique: true });

export const userSchema = new Schema<UserDoc>({
  tenant: { type: String, required: true },
  username: { type: String, required: true },
  displayName: { type: String, default: '' },
  passwordHash: { type: String, required: true },
  roles: { type: [String], enum: ['admin', 'applicant', 'staff', 'window', 'operator'], default: [] },
  departments: { type: [String], default: [] },
  failedLogins: { type: Number, default: 0 },
  lockedUntil: { type: Date, default: null },
  disabled: { type: Boolean, default: false },
  idNumber: String,
  authLevel: { type: Number, min: 1, max: 3 },
  oidcSubject: String,
  lead: { type: Boolean, default: undefined },
  phone: String,
  mustChangePassword: { type: Boolean, default: false },
}, { versionKey: false, timestamps: true });
// One account per ID number and city: counter cases are matched on it.
userSchema.index({ tenant: 1, idNumber: 1 }, { unique: true, partialFilterExpression: { idNumber: { $type: 'string' } } });
// Usernames are global (they carry the city: "changzhou.hrss"), so login needs no city picker.
userSchema.index({ username: 1 }, { unique: true });
userSchema.index({ tenant: 1, roles: 1 });

export const sessionSchema = new Schema<SessionDoc>({
  _id: { type: String, required: true },
  user: { type: String, required: true },
  tenant: { type: String, required: true },
  createdAt: { type: Date, required: true },
  lastSeenAt: { type: Date, required: true },
  expiresAt: { type: Date, required: true },
  ip: String,
  authLevel: Number,
}, { versionKey: false });
sessionSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export const apiKeySchema = new Schema<ApiKeyDoc>({
  tenant: { type: String, required: true },
  department: { type: String, required: true },
  name: { type: String, default: '' },
  prefix: { type: String, required: true },
  hash: { type: String, required: true },
  createdAt: { type: Date, required: true },
  createdBy: { type: String, required: true },
  revokedAt: { type: Date, default: null },
}, { versionKey: false });
apiKeySchema.index({ hash: 1 }, { unique: true });
apiKeySchema.index({ tenant: 1, department: 1 });

/**
 * Sign-in throttling (services/auth.ts): one document per failed-login counter — per
 * (username, address) pair, per username across all addresses — and per address an account
 * last signed in from (known-good). Keyed by the username as typed, whether or not it exists.
 */
export interface LoginThrottleDoc {
  _id: string; // `pair:<username> <address>`, `account:<username>`, `known:<username> <address>`
  username: string;
  failures: number;
  /** Attempts are refused (429) until then. */
  blockedUntil: Date | null;
  /** Pair documents: a verification is in progress until then (one at a time per pair). */
  inflightUntil?: Date | null;
  /** Forgotten then (TTL index): FAILURE_MEMORY after the last failure, KNOWN_ADDRESS_MS after the last sign-in. */
  expiresAt: Date;
}

export const loginThrottleSchema = new Schema<LoginThrottleDoc>({
  _id: { type: String, required: true },
  username: { type: String, required: true },
  failures: { type: Number, default: 0 },
  blockedUntil: { type: Date, default: null },
  inflightUntil: { type: Date, default: null },
  expiresAt: { type: Date, required: true },
}, { versionKey: false });
loginThrottleSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
loginThrottleSchema.index({ username: 1 });

/**
 * Counts this process's changes of accounts, API keys and deleted sessions (a revoke, a sign-out,
 * a role or password change — any such query through mongoose, by the middleware below), so that
 * what services/session-cache.ts remembers about callers is forgotten at once here; other
 * processes forget it within that cache's TTL.
 */
export const accountChanges = { generation: 0 };
const bumpAccounts = () => { accountChanges.generation++; };
const ACCOUNT_WRITES = ['updateOne', 'updateMany', 'findOneAndUpdate', 'findOneAndReplace', 'findOneAndDelete', 'replaceOne', 'deleteOne', 'deleteMany'] as const;
/** A session's touch (services/auth.ts: its idle clock moved on, nothing else) changes no caller. */
function isTouch(update: unknown): boolean {
  const set = (update as { $set?: Record<string, unknown> } | null)?.$set;
  const keys = Object.keys(update ?? {});
  return !!set && keys.length === 1 && Object.keys(set).every((k) => k === 'lastSeenAt' || k === 'expiresAt')
    && set.lastSeenAt instanceof Date && set.lastSeenAt.getTime() >= Date.now() - 60_000;
}
for (const schema of [userSchema, apiKeySchema, sessionSchema] as Schema[]) {
  const bump = function (this: { getUpdate?: () => unknown }) {
    if (schema === sessionSchema && isTouch(this.getUpdate?.())) return;
    bumpAccounts();
  };
  // before (a read racing the change is remembered as already stale) and after (one that began meanwhile too)
  schema.pre([...ACCOUNT_WRITES], { document: false, query: true }, bump);
  schema.post([...ACCOUNT_WRITES], { document: false, query: true }, bump);
}
