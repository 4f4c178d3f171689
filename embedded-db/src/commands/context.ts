/**
 * What a command handler gets, and how handlers are declared. A handler is registered in the
 * table of `commands/index.ts` under its command name; `txn` says whether it may run inside a
 * multi-document transaction, `retryable` whether lsid+txnNumber make it a retryable write.
 */
import type { Document } from 'bson';
import type { ScramServer } from '../auth/scram';
import type { Cursors } from '../cursors';
import type { CommandStats } from '../stats';
import { CommandError, Codes, notSupported } from '../errors';
import type { DurableStore } from '../storage/durable';
import type { Store } from '../storage/store';
import type { Session, Sessions } from '../txn/sessions';
import type { Transactions } from '../txn/transaction';
import type { DataView } from '../txn/view';
import type { ConnectionInfo } from '../wire/connection';

export interface ServerState {
  durable: DurableStore;
  store: Store;
  txns: Transactions;
  sessions: Sessions;
  cursors: Cursors;
  /** host:port as this server names itself in hello (hosts, primary, me). */
  hostAndPort: string;
  setName: string;
  startedAt: Date;
  /** Checks SCRAM-SHA-256 conversations against the data directory's credentials. */
  scram: ScramServer;
  /** Time per command and on the wire (serverStatus `lianban`). */
  stats: CommandStats;
}

export interface Ctx {
  server: ServerState;
  db: string;
  cmd: Document;
  /** The command's name as sent. */
  name: string;
  view: DataView;
  session?: Session;
  conn: ConnectionInfo;
  /**
   * Outside a transaction: journals the writes the command has applied so far, before it waits
   * (for a transaction's lock). Writes reach the store at once, so a command that waits half-way
   * must put them in the journal first — else another command's later write of the same document
   * could be journalled before them, and replay would end on the older version.
   */
  journalSoFar?: () => void;
}

export interface CommandSpec {
  run(ctx: Ctx): Document | Promise<Document>;
  /** Allowed inside a transaction. */
  txn?: boolean;
  /** A retryable write: de-duplicated by lsid + txnNumber. */
  retryable?: boolean;
  /** Allowed before the connection has authenticated (mongod: the handshake, authentication, ping, buildInfo, connectionStatus). */
  noAuth?: boolean;
}

/** Fields any command may carry that change nothing we implement. */
const generic = new Set([
  '$db', 'lsid', 'txnNumber', 'autocommit', 'startTransaction', 'writeConcern', 'readConcern', '$readPreference',
  '$clusterTime', 'comment', 'maxTimeMS', 'apiVersion', 'apiStrict', 'apiDeprecationErrors', 'readPreference', '$audit',
]);

/** Fails loudly on command fields we do not implement (rather than silently ignoring them). */
export function allowFields(ctx: Ctx, fields: string[]): void {
  for (const f of Object.keys(ctx.cmd)) {
    if (f === ctx.name || generic.has(f) || fields.includes(f)) continue;
    throw notSupported(`option "${f}" of command ${ctx.name}`);
  }
}

/** `db.collection` from the command's first field. */
export function namespace(ctx: Ctx): string {
  const coll = ctx.cmd[ctx.name];
  if (typeof coll !== 'string' || !coll || coll.includes('\0') || coll.startsWith('$')) {
    throw new CommandError(Codes.InvalidNamespace, `command ${ctx.name} needs a collection name, got ${JSON.stringify(coll)}`);
  }
  return `${ctx.db}.${coll}`;
}

export function reqDocument(v: unknown, what: string): Document {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new CommandError(Codes.TypeMismatch, `${what} must be a document`);
  return v as Document;
}
