/**
 * The TCP side: listens (127.0.0.1 by default), serves each connection, and runs the
 * housekeeping timers (transaction lifetime, idle sessions and cursors, TTL indexes).
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { keyFilePath, loadOrCreateCredentials, uriWithCredentials } from './auth/credentials';
import { ScramServer } from './auth/scram';
import { Cursors } from './cursors';
import { Engine, TXN_LIFETIME_MS } from './engine';
import { DurableStore, type RecoveryReport } from './storage/durable';
import { CommandStats } from './stats';
import { sweepTtl } from './ttl';
import { Sessions } from './txn/sessions';
import { Transactions } from './txn/transaction';
import { serveConnection } from './wire/connection';

export interface EmbeddedOptions {
  /** Data directory (created if missing; locked while the server runs). */
  dbpath: string;
  /** TCP port; 0 picks a free one. Default 27017. */
  port?: number;
  /** Bind address; default 127.0.0.1. */
  host?: string;
  /** Replica-set name presented to drivers; default "lianban". */
  setName?: string;
  /** fdatasync every group commit; default true. */
  sync?: boolean;
  /** Journal size that triggers compaction (bytes). */
  compactBytes?: number;
  /** Where problems go (closed connections, failed compactions); default console.warn. */
  log?: (message: string) => void;
  /**
   * A document nobody read or wrote for this long (to twice as long) is kept as its BSON bytes,
   * off the JavaScript heap, until it is read again (storage/collection.ts); 0 (the default): never.
   * Off by default: in the server bench, where every document is young, freezing after 5 s made
   * the open-loop tails worse (thawed documents are old-generation garbage once frozen again).
   */
  freezeAfterMs?: number;
}

export interface EmbeddedServer {
  /**
   * mongodb:// URI for drivers, with the credentials, e.g.
   * mongodb://lianban:<secret>@127.0.0.1:27017/?replicaSet=lianban&authSource=admin — do not log it.
   */
  uri: string;
  /** The same URI without credentials (what the lock file advertises), e.g. mongodb://127.0.0.1:27017/?replicaSet=lianban */
  address: string;
  /** The file holding the secret (`<dbpath>/lianban-db.key`, mode 0600). */
  keyFile: string;
  host: string;
  port: number;
  dbpath: string;
  recovery: RecoveryReport;
  engine: Engine;
  /** Writes a snapshot and truncates the journal. */
  compact(): Promise<void>;
  /** Stops listening, closes connections, flushes the journal and releases the data directory. */
  close(): Promise<void>;
}

const FREEZE_EVERY_MS = 50;
const FREEZE_SLICE_MS = 2;

/** Opens the data directory (replaying its journal) and starts listening. */
export async function startEmbeddedServer(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const host = options.host ?? '127.0.0.1';
  const setName = options.setName ?? 'lianban';
  const log = options.log ?? ((m: string) => console.warn('[lianban-db]', m));
  const durable = await DurableStore.open({ dir: options.dbpath, sync: options.sync, compactBytes: options.compactBytes });
  let credentials;
  try {
    credentials = loadOrCreateCredentials(options.dbpath);
  } catch (err) {
    await durable.close();
    throw err;
  }
  const store = durable.store;
  const txns = new Transactions(store);
  const scram = new ScramServer(credentials);
  const state = { durable, store, txns, sessions: new Sessions(txns), cursors: new Cursors(), hostAndPort: '', setName, startedAt: new Date(), scram, stats: new CommandStats() };
  const engine = new Engine(state);
  const sockets = new Set<net.Socket>();
  let nextConnectionId = 1;
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const info = { id: nextConnectionId++, remote: `${socket.remoteAddress}:${socket.remotePort}`, auth: {} };
    serveConnection(socket, info, (req, conn) => engine.run(req.db, req.command, conn), log, state.stats);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 27017, host, () => resolve());
    });
  } catch (err) {
    await durable.close();
    throw err;
  }
  server.on('error', (err) => log(`server error: ${err.message}`));
  const port = (server.address() as AddressInfo).port;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  state.hostAndPort = `${shownHost}:${port}`;
  const timer = setInterval(() => {
    txns.expire(TXN_LIFETIME_MS);
    state.sessions.expire();
    state.cursors.expire();
    sweepTtl(engine).catch((err) => log(`TTL sweep failed: ${err.message}`));
  }, 1000);
  timer.unref();
  // the freezer: a slice of ≤ FREEZE_SLICE_MS every FREEZE_EVERY_MS (≤ 4 % of a core)
  const freezeAfter = options.freezeAfterMs ?? 0;
  const freezer = freezeAfter > 0 ? setInterval(() => store.freezeCold(FREEZE_SLICE_MS, freezeAfter), FREEZE_EVERY_MS) : undefined;
  freezer?.unref();
  let closing: Promise<void> | null = null;
  // The lock file names the address only; the secret stays in the key file (0600).
  const address = `mongodb://${state.hostAndPort}/?replicaSet=${setName}`;
  durable.advertise(address);
  return {
    uri: uriWithCredentials(address, credentials),
    address,
    keyFile: keyFilePath(options.dbpath),
    host: shownHost,
    port,
    dbpath: options.dbpath,
    recovery: durable.recovery,
    engine,
    compact: () => durable.compact(),
    close() {
      closing ??= (async () => {
        clearInterval(timer);
        clearInterval(freezer);
        for (const t of [...txns.active]) txns.abort(t, 'server shutting down');
        for (const s of sockets) s.destroy();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await durable.close();
      })();
      return closing;
    },
  };
}
