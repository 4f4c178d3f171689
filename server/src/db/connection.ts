/**
 * The database cascade (BRIEF "Data"), first that works wins:
 *   1. `MONGODB_URI` set               → mode `mongodb`
 *   2. a real mongod we can start      → mode `embedded-mongod`  (PATH, binary cache, or a bounded download)
 *   3. the embedded compatible server  → mode `embedded-compatible` (data in `config.dataDir`)
 * Whatever is chosen is reported as `mode` at start-up and by `GET /api/v1/health`. When the
 * data directory is already owned by another live process (e.g. `npm run db`) — one that answers
 * at the URI it advertises as this data directory; a crashed owner's lock is taken over (see
 * `embedded/storage/lockfile.ts`) — we connect to that URI instead of failing. The embedded
 * database requires credentials (SCRAM-SHA-256): its secret is `<dataDir>/lianban-db.key`, so
 * connecting to another owner's database reads it there (whoever can read the data directory
 * may connect, nobody else).
 */
import path from 'node:path';
import mongoose from 'mongoose';
import type { Config } from '../config';
import { DataDirLockedError, readCredentials, startEmbeddedServer, uriWithCredentials, type EmbeddedServer } from '@lianban/embedded-db';
import { startMongod } from './mongod';

export type DbMode = 'mongodb' | 'embedded-mongod' | 'embedded-compatible';

export interface Database {
  /** Which database is in use; null when none could be opened. */
  mode: DbMode | null;
  /** The mongoose connection; null when the database is unavailable. */
  connection: mongoose.Connection | null;
  /** Why the database is unavailable, for people (Chinese) and logs. */
  problem?: string;
  /** URI other processes can use to reach an embedded database, credentials included: log it only through `redactUri` (none for `mongodb`: it is yours). */
  uri?: string;
  /** The embedded compatible server, when this process runs it. */
  embedded?: EmbeddedServer;
  /** Why earlier steps of the cascade were skipped, for the start-up log. */
  notes?: string[];
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Try to start a real mongod before the compatible server (default true). */
  tryMongod?: boolean;
  /** Bound on starting mongod, download included (default 30 s). */
  mongodTimeoutMs?: number;
  /** Port of the embedded compatible server (default: a free one; `LIANBAN_DB_PORT`). */
  embeddedPort?: number;
  /** Database name on the embedded servers. */
  dbName?: string;
}

// monitorCommands: the metrics count the round trips (http/metrics.ts).
const connectOptions = { serverSelectionTimeoutMS: 5000, monitorCommands: true };
/** Why mongod could not be started, remembered so later opens in this process do not probe again. */
let mongodUnavailable: string | undefined;

/** Opens the database the configuration asks for. Never throws: an unavailable database is reported. */
export async function openDatabase(config: Config, opts: OpenOptions = {}): Promise<Database> {
  const notes: string[] = [];
  if (config.mongodbUri) {
    try {
      const connection = await mongoose.createConnection(config.mongodbUri, connectOptions).asPromise();
      return { mode: 'mongodb', connection, notes, close: () => connection.close() };
    } catch (err) {
      return unavailable(`无法连接 MONGODB_URI 指定的数据库：${(err as Error).message}`, notes);
    }
  }
  const dbName = opts.dbName ?? 'lianban';
  if (mongodUnavailable) notes.push(mongodUnavailable);
  else if (opts.tryMongod ?? true) {
    const mongod = await startMongod({ dataDir: path.resolve(config.dataDir), timeoutMs: opts.mongodTimeoutMs });
    if ('uri' in mongod) {
      try {
        const connection = await mongoose.createConnection(mongod.uri, { ...connectOptions, dbName }).asPromise();
        return { mode: 'embedded-mongod', connection, uri: mongod.uri, notes, close: async () => (await connection.close(), await mongod.stop()) };
      } catch (err) {
        await mongod.stop().catch(() => {});
        notes.push(`mongod 已启动但无法使用 / mongod started but could not be used: ${(err as Error).message}`);
      }
    } else notes.push((mongodUnavailable = mongod.unavailable));
  }
  return openCompatible(config, opts, dbName, notes);
}

async function openCompatible(config: Config, opts: OpenOptions, dbName: string, notes: string[]): Promise<Database> {
  const envPort = Number(process.env.LIANBAN_DB_PORT);
  const dataDir = path.resolve(config.dataDir);
  let embedded: EmbeddedServer | undefined;
  let uri: string;
  try {
    embedded = await startOrFindOwner(dataDir, opts.embeddedPort ?? (Number.isInteger(envPort) && envPort > 0 ? envPort : 0), config.dbFreezeAfterMs);
    uri = embedded.uri;
  } catch (err) {
    if (!(err instanceof DataDirLockedError && err.uri)) return unavailable(`无法启动内置数据库：${(err as Error).message}`, notes);
    notes.push(`数据目录由进程 ${err.pid} 持有，连接到它 / data directory owned by process ${err.pid}; connecting to ${err.uri}`);
    try {
      uri = uriWithCredentials(err.uri, readCredentials(dataDir));
    } catch (keyErr) {
      return unavailable(`无法连接内置数据库：${(keyErr as Error).message}`, notes);
    }
  }
  try {
    const connection = await mongoose.createConnection(uri, { ...connectOptions, dbName }).asPromise();
    const server = embedded;
    return {
      mode: 'embedded-compatible',
      connection,
      uri,
      embedded: server,
      notes,
      close: async () => {
        await connection.close();
        await server?.close();
      },
    };
  } catch (err) {
    await embedded?.close();
    return unavailable(`无法连接内置数据库：${(err as Error).message}`, notes);
  }
}

/** How long to wait for an owner that has locked the data directory but does not serve yet (replaying its journal). */
const OWNER_START_WAIT_MS = 15_000;

/**
 * Starts the embedded server on `dbpath`, or throws `DataDirLockedError` naming the live owner's
 * URI. An owner that is alive but not serving yet is waited for (bounded), so two processes
 * started together end up on one database instead of the second one failing.
 */
async function startOrFindOwner(dbpath: string, port: number, freezeAfterMs = 0): Promise<EmbeddedServer> {
  const deadline = Date.now() + OWNER_START_WAIT_MS;
  for (;;) {
    try {
      return await startEmbeddedServer({ dbpath, port, freezeAfterMs });
    } catch (err) {
      if (!(err instanceof DataDirLockedError) || err.uri || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

function unavailable(problem: string, notes: string[]): Database {
  return { mode: null, connection: null, problem, notes, close: async () => {} };
}
