/**
 * One owner per data directory: `lianban-db.lock` holds the owner's pid. A lock whose pid is
 * gone (the owner was killed) is taken over; a live owner — even this very process — is refused.
 */
import fs from 'node:fs';
import path from 'node:path';

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
  release(): void;
  /** Records the URI the owner serves, so others finding the lock can connect instead. */
  advertise(uri: string): void;
}

/** Takes the lock of `dir` (creating the directory). */
export function lockDataDir(dir: string): DataDirLock {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'lianban-db.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      const ours = () => readOrEmpty(file).split('\n')[0] === String(process.pid);
      return {
        release() {
          try {
            if (ours()) fs.unlinkSync(file);
          } catch {
            // already gone
          }
        },
        advertise(uri: string) {
          if (ours()) fs.writeFileSync(file, `${process.pid}\n${uri}\n`);
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const [pidText, uri] = readOrEmpty(file).split('\n');
    const pid = Number(pidText);
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) throw new DataDirLockedError(dir, pid, uri || undefined);
    // Stale (dead owner, or a half-written lock): take it over.
    fs.rmSync(file, { force: true });
  }
  throw new Error(`could not lock data directory ${dir}`);
}

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
