/** Sign-in and the city's administration: `/auth/*`, `/me`, `/admin/departments|users|api-keys`. */
import type { Role } from './access';

/** `POST /auth/login` body. */
export interface LoginRequest { username: string; password: string }

/** The signed-in user as the API shows it. */
export interface User {
  username: string;
  displayName?: string;
  roles: Role[];
  tenant: string;
  departments: string[];
  /** `GET /me`: the 实名 level (1–3) of this sign-in. */
  authLevel?: number;
  /** A one-time or reset password: every route but `POST /auth/password`, logout and `/me` answers 403 `password-change-required`. */
  mustChangePassword?: boolean;
}

/** `POST /auth/login` answer. */
export interface LoginAnswer { user: User }

/**
 * `GET /auth/oidc`: whether sign-in through the provincial identity platform (统一身份认证) is on —
 * the sign-in pages show its button then —, whether the platform answered, and the cities to pick.
 */
export interface OidcInfo {
  enabled: boolean;
  available?: boolean;
  message?: string;
  cities: Array<{ key: string; name: string }>;
}

/** `GET /me` answer. */
export interface Me {
  user: User;
  /** `departments`: the city's departments by the names its administrator gave them. */
  tenant: { key: string; name: string; departments?: { key: string; name: string }[] };
}

/** `tasklist`: staff work in the tasklist; `system`: the department's own system pulls the outbox. */
export type DepartmentMode = 'tasklist' | 'system';

export interface Department { key: string; name: string; mode: DepartmentMode }

/** `POST /admin/departments` body (`PUT /admin/departments/:key` without `key`). */
export interface DepartmentInput { key: string; name: string; mode?: DepartmentMode }

/** An account as `GET /admin/users` lists it. */
export interface UserAccount { username: string; displayName: string; roles: Role[]; departments: string[]; disabled: boolean; locked: boolean; idNumber?: string; lead?: boolean; authLevel?: number }

/** `POST /admin/users` body (`PUT /admin/users/:username`: any of it but `username`). */
export interface UserInput {
  username: string;
  displayName?: string;
  password?: string;
  roles: Role[];
  departments?: string[];
  disabled?: boolean;
  /** An applicant's resident ID number: cases filed for it at the counter become this account's. */
  idNumber?: string;
  /** 部门负责人: overdue cases of the account's departments are escalated to it (staff with a department only). */
  lead?: boolean;
  /** 实名 level (1–3) a password sign-in of this account counts as; default 1. */
  authLevel?: number;
}

/** `POST /admin/api-keys` body. */
export interface ApiKeyRequest { department: string; name?: string }

export interface ApiKeyInfo { id: string; department: string; name: string; prefix: string; createdAt: string; revoked: boolean }

/** `POST /admin/api-keys` answer: the key is shown this once. */
export interface IssuedKey { id: string; key: string; prefix: string }

/** `POST /auth/password` body: the current password and the new one (the password policy applies). */
export interface PasswordChange { current: string; next: string }

/** A city as `GET /platform/cities` lists it (operator). */
export interface CitySummary {
  key: string;
  name: string;
  province: string;
  casePrefix: string;
  counts: { departments: number; users: number; matters: number; cases: number };
}

/** `POST /platform/cities` body: a new city, optionally with the departments and published matters of `copyFrom`. */
export interface CityInput { key: string; name: string; province: string; copyFrom?: string }

/** `POST /platform/cities` answer: the city and its administrator's one-time password (shown this once). */
export interface CityCreated {
  city: CitySummary;
  admin: { username: string; password: string };
  /** The matters copied and published, `key@version`. */
  matters: string[];
}

/** `POST /platform/cities/:key/admin-password` body: which admin account (default `{key}.admin`). */
export interface CityAdminPasswordInput { username?: string }

/** `POST /platform/cities/:key/admin-password` answer: the city administrator's new one-time password (shown this once). */
export interface CityAdminPassword { username: string; password: string }
