/**
 * The middle step of the database cascade: a real `mongod`, started for us as a single-node
 * replica set with its data in `<dataDir>/mongod`. Found on PATH, in mongodb-memory-server's
 * binary cache, or downloaded by it — but only when its download host resolves, and bounded by
 * a timeout, so an offline machine falls through to the embedded server within a second or two.
 */
import { access, constants } from 'node:fs/promises';
import { lookup } from 'node:dns/promises';
import path from 'node:path';

export interface StartedMongod {
  uri: string;
  stop(): Promise<void>;
}

export interface MongodOptions {
  dataDir: string;
  /** Give up on starting (including any download) after this long. Default 30 s. */
  timeoutMs?: number;
  /** Skip the DNS probe and download (tests, or air-gapped machines). */
  offline?: boolean;
}

/** A started mongod, or the reason there is none (never throws). */
export async function startMongod(opts: MongodOptions): Promise<StartedMongod | { unavailable: string }> {
  const systemBinary = await findOnPath('mongod');
  let mms: typeof import('mongodb-memory-server-core');
  try {
    mms = await import('mongodb-memory-server-core');
  } catch {
    return systemBinary ? { unavailable: 'mongodb-memory-server-core is not installed' } : { unavailable: 'no mongod on PATH' };
  }
  const cached = systemBinary ?? (await mms.DryMongoBinary.locateBinary(mms.DryMongoBinary.getEnsuredOptions()).catch(() => undefined));
  if (!cached) {
    if (opts.offline) return { unavailable: 'no mongod on PATH or in the binary cache' };
    const online = await withTimeout(lookup('fastdl.mongodb.org').then(() => true), 1500).catch(() => false);
    if (!online) return { unavailable: '未找到 mongod，且无法下载（离线）/ no mongod on PATH and fastdl.mongodb.org is unreachable (offline)' };
  }
  const start = mms.MongoMemoryReplSet.create({
    binary: cached ? { systemBinary: cached } : {},
    replSet: { count: 1, name: 'lianban', storageEngine: 'wiredTiger' },
    instanceOpts: [{ dbPath: path.join(opts.dataDir, 'mongod') }],
  });
  try {
    const rs = await withTimeout(start, opts.timeoutMs ?? 30_000);
    return { uri: rs.getUri(), stop: () => rs.stop({ doCleanup: false }).then(() => undefined) };
  } catch (err) {
    // A start that finishes after the timeout must not leave a mongod behind.
    start.then((rs) => rs.stop({ doCleanup: false })).catch(() => {});
    return { unavailable: `mongod did not start: ${(err as Error).message.split('\n')[0]}` };
  }
}

async function findOnPath(name: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      await access(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e) => (clearTimeout(t), reject(e)),
    );
  });
}
