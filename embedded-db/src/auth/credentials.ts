/**
 * The database's one credential: user `lianban` with a random secret kept in the data directory
 * (`lianban-db.key`, 32 random bytes base64url, mode 0600, created on first start). Whoever can
 * read the data directory can connect — they could read the journal anyway — and nobody else.
 * The secret is ASCII, so SASLprep (RFC 4013), which SCRAM-SHA-256 applies to passwords, is the
 * identity on it; this server has no other users and needs no full SASLprep.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createExclusive } from '../storage/lockfile';

export const KEY_FILE = 'lianban-db.key';
export const DB_USER = 'lianban';
/** The database the user is defined in (`authSource`). */
export const AUTH_SOURCE = 'admin';

export interface Credentials {
  user: string;
  password: string;
}

/** Path of the key file of a data directory. */
export function keyFilePath(dir: string): string {
  return path.join(dir, KEY_FILE);
}

/** The data directory's credentials, creating the key file (mode 0600) on first use; a key file readable by others is tightened to 0600. */
export function loadOrCreateCredentials(dir: string): Credentials {
  const file = keyFilePath(dir);
  createExclusive(file, randomBytes(32).toString('base64url'), 0o600);
  const mode = fs.statSync(file).mode & 0o777;
  if (mode & 0o077) fs.chmodSync(file, 0o600);
  return readCredentials(dir);
}

/** The credentials of a data directory another process serves; throws (naming the file) when its key file is missing or unreadable. */
export function readCredentials(dir: string): Credentials {
  const file = keyFilePath(dir);
  let password: string;
  try {
    password = fs.readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw new Error(`无法读取数据库凭据 ${file} / cannot read the database key file ${file}: ${(err as Error).message}`, { cause: err });
  }
  if (!/^[A-Za-z0-9_-]{16,}$/.test(password)) throw new Error(`数据库凭据文件 ${file} 已损坏 / the database key file ${file} is damaged`);
  return { user: DB_USER, password };
}

/** `uri` (mongodb://host:port/…) with the user and password in it and `authSource=admin`. */
export function uriWithCredentials(uri: string, creds: Credentials): string {
  const url = new URL(uri);
  url.username = encodeURIComponent(creds.user);
  url.password = encodeURIComponent(creds.password);
  url.searchParams.set('authSource', AUTH_SOURCE);
  return url.toString();
}

/** `uri` with its password replaced by `****`, for logs and start-up banners. */
export function redactUri(uri: string): string {
  return uri.replace(/^(mongodb(?:\+srv)?:\/\/[^:/@]*:)[^@]*@/, '$1****@');
}
