/**
 * One owner per data directory. `lianban-db.lock` holds, one item a line:
 *   1. the owner's pid
 *   2. the URI it serves (empty until it listens: it locks before replaying the journal)
 *   3. `<start time in clock ticks> <boot id>` of the owner process (Linux; empty elsewhere)
 * and `lianban-db.id` the directory's random id, which the server answers in `hello`.
 *
 * A lock is stale — and taken over — when its holder is gone. When the lock names a URI, the
 * holder is alive if something answers there as this data directory; a holder that does not
 * answer in time, or answers without a directory id (an older version of this server), counts
 * as alive only if its process does. Without a URI the process decides: it is gone when the
 * pid does not exist, is a zombie, or now belongs to another process (start time or boot
 * differ). A live owner — even this very process — is refused.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { bootId, pidExists, probeHolder, procInfo } from './liveness';

/** Thrown when another live process owns the data directory. */
export class DataDirLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number,
    /** The owner's URI, when it is serving (second line of the lock file). */
    readonly uri?: string,
  ) {
    super(`数据目录 ${dir} 已被进程 ${pid} 占用 / data directory ${dir} is in use by process ${pid}${uri ? ` serving ${uri}` : ''}; connect to that process instead, or stop it first`);
  }
}

export interface DataDirLock {
  /** The data directory's id: the server answers it in `hello`, so a probe can tell this database from another. */
  readonly id: string;
  release(): void;
  /** Records the URI the owner serves, so others finding the lock can connect instead. */
  advertise(uri: string): void;
}

const LOCK_FILE = 'lianban-db.lock';
const ID_FILE = 'lianban-db.id';

interface Holder {
  pid: number;
  uri?: string;
  startTicks?: string;
  boot?: string;
}

/** Takes the lock of `dir` (creating the directory), taking over a stale lock; throws `DataDirLockedError` if the owner lives. */
export async function lockDataDir(dir: string): Promise<DataDirLock> {
  // A new data directory is private to its owner: its journal holds everything, password hashes included.
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const id = dataDirId(dir);
  const file = path.join(dir, LOCK_FILE);
  const self = procInfo('self');
  const identity = self ? `${self.startTicks} ${bootId() ?? ''}`.trim() : '';
  for (let attempt = 0; attempt < 20; attempt++) {
    const content = lockText('', identity);
    if (createExclusive(file, content)) return ownLock(file, id, content, identity);
    const seen = readOrEmpty(file);
    const holder = parseLock(seen);
    if (holder) {
      const verdict = await judge(holder, id);
      if (verdict !== 'stale') throw new DataDirLockedError(dir, holder.pid, verdict === 'serving' ? holder.uri : undefined);
    }
    // Stale (dead owner, or an unreadable lock): remove it — unless it changed meanwhile — and try again.
    if (!removeIfUnchanged(file, seen)) await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`could not lock data directory ${dir}`);
}

/** 'serving': answers as this directory (or alive and busy); 'starting': alive, no URI yet; 'stale': gone. */
async function judge(holder: Holder, dirId: string): Promise<'serving' | 'starting' | 'stale'> {
  const alive = processAlive(holder);
  if (holder.uri) {
    // The URI is asked even when the pid looks dead: a holder in another pid namespace (two
    // containers sharing the volume) has a pid meaningless here but answers all the same.
    const answer = await probeHolder(holder.uri, dirId);
    if (answer === 'this' || ((answer === 'silent' || answer === 'unidentified') && alive)) return 'serving';
    return 'stale';
  }
  return alive ? 'starting' : 'stale';
}

/** Whether the lock's process still runs: exists, is no zombie, and is the same process (not a reused pid). */
function processAlive(holder: Holder): boolean {
  if (!pidExists(holder.pid)) return false;
  const boot = bootId();
  if (holder.boot && boot && holder.boot !== boot) return false; // the host rebooted since
  const proc = procInfo(holder.pid);
  if (!proc) return true; // no /proc (non-Linux): the URI probe alone decides
  if (proc.state === 'Z' || proc.state === 'X') return false; // killed, not yet reaped
  return !holder.startTicks || holder.startTicks === proc.startTicks;
}

function ownLock(file: string, id: string, written: string, identity: string): DataDirLock {
  let current = written;
  // Compare the whole content, not the pid: a successor in this same process has the same pid.
  const ours = () => readOrEmpty(file) === current.trim();
  return {
    id,
    release() {
      try {
        if (ours()) fs.unlinkSync(file);
      } catch {
        // already gone
      }
    },
    advertise(uri: string) {
      if (!ours()) return;
      const next = lockText(uri, identity);
      // Replace atomically: a reader must never see a half-written lock (it would look stale).
      const tmp = tempName(file);
      fs.writeFileSync(tmp, next);
      fs.renameSync(tmp, file);
      current = next;
    },
  };
}

function lockText(uri: string, identity: string): string {
  return `${process.pid}\n${uri}\n${identity}\n`;
}

function parseLock(text: string): Holder | undefined {
  const [pidText, uri, identity] = text.split('\n');
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  const [startTicks, boot] = (identity ?? '').trim().split(' ');
  return { pid, uri: uri?.trim() || undefined, startTicks: startTicks || undefined, boot: boot || undefined };
}

/**
 * Removes the lock if it still reads `seen`. Takers serialise on `lianban-db.lock.takeover`, so
 * two of them judging the same stale lock cannot remove one another's fresh lock. Returns
 * false when another taker is busy.
 */
function removeIfUnchanged(file: string, seen: string): boolean {
  const mutex = `${file}.takeover`;
  try {
    fs.closeSync(fs.openSync(mutex, 'wx'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    // The section below is synchronous and takes microseconds: an old mutex's taker died in it.
    const age = Date.now() - (statOrUndefined(mutex)?.mtimeMs ?? Date.now());
    if (age > 10_000) fs.rmSync(mutex, { force: true });
    return false;
  }
  try {
    if (readOrEmpty(file) === seen) fs.rmSync(file, { force: true });
  } finally {
    fs.rmSync(mutex, { force: true });
  }
  return true;
}

/** The data directory's random id, created on first use. */
export function dataDirId(dir: string): string {
  const file = path.join(dir, ID_FILE);
  const existing = readOrEmpty(file);
  if (existing) return existing;
  if (!createExclusive(file, randomUUID()) && !readOrEmpty(file)) {
    // Present but empty: cannot come from createExclusive (atomic), so damaged; replace it.
    const tmp = tempName(file);
    fs.writeFileSync(tmp, randomUUID());
    fs.renameSync(tmp, file);
  }
  return readOrEmpty(file);
}

/**
 * Creates `file` with `content` (and `mode`) only if it does not exist, atomically: written to a
 * temporary file first and hard-linked into place, so no reader ever sees it empty or half-written.
 */
export function createExclusive(file: string, content: string, mode = 0o666): boolean {
  const tmp = tempName(file);
  const fd = fs.openSync(tmp, 'w', mode);
  try {
    fs.writeSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.linkSync(tmp, file);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw err;
    return createWithoutLinks(file, content, mode); // a file system without hard links
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

function createWithoutLinks(file: string, content: string, mode: number): boolean {
  try {
    fs.writeFileSync(file, content, { flag: 'wx', mode });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

function tempName(file: string): string {
  return `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
}

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}

function statOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}
