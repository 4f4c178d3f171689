/**
 * Runs one command: finds its handler, resolves its session and transaction, de-duplicates
 * retryable writes (lsid + txnNumber), journals what it changed and answers only once that is
 * durable. Every failure becomes an `ok: 0` reply; nothing here may take the process down.
 */
import type { Document } from 'bson';
import { commands, type Ctx, type ServerState } from './commands/index';
import { CommandError, Codes, asCommandError } from './errors';
import type { Session } from './txn/sessions';
import type { Transaction } from './txn/transaction';
import { DataView } from './txn/view';
import type { ConnectionInfo } from './wire/connection';

/** transactionLifetimeLimitSeconds. */
export const TXN_LIFETIME_MS = 60_000;

export class Engine {
  /** Called with every command name received (tests record what drivers send). */
  onCommand?: (name: string) => void;

  constructor(readonly state: ServerState) {}

  async run(db: string, cmd: Document, conn: ConnectionInfo): Promise<Document> {
    const name = Object.keys(cmd)[0] ?? '';
    this.onCommand?.(name);
    try {
      const spec = commands[name];
      if (!spec) throw new CommandError(Codes.CommandNotFound, `no such command: '${name}'`);
      if (!spec.noAuth && !conn.auth.user) throw new CommandError(Codes.Unauthorized, `command ${name} requires authentication`);
      const session = cmd.lsid ? this.state.sessions.get(cmd.lsid) : undefined;
      if (cmd.autocommit === false) return await this.inTransaction(db, cmd, name, conn, session);
      if (cmd.startTransaction) throw new CommandError(Codes.InvalidOptions, 'startTransaction needs autocommit: false');
      if (spec.retryable && session && cmd.txnNumber !== undefined) return await this.retryable(db, cmd, name, conn, session);
      return await this.execute({ server: this.state, db, cmd, name, conn, session, view: new DataView(this.state.store, this.state.txns) });
    } catch (err) {
      return asCommandError(err).toReply();
    }
  }

  /** Runs a command outside transactions and journals its writes, even when it failed half-way. */
  private async execute(ctx: Ctx): Promise<Document> {
    let reply: Document;
    const t0 = performance.now();
    // writes journalled before the command waited half-way (commands/write.ts withUnlocked), in order
    const earlier: Promise<void>[] = [];
    ctx.journalSoFar = () => { if (ctx.view.ops.length) earlier.push(this.log(ctx.view.ops.splice(0))); };
    try {
      reply = await commands[ctx.name]!.run(ctx);
    } catch (err) {
      reply = asCommandError(err).toReply();
    }
    this.state.stats.add(ctx.name, performance.now() - t0);
    await Promise.all([...earlier, this.log(ctx.view.ops)]);
    return reply;
  }

  private async retryable(db: string, cmd: Document, name: string, conn: ConnectionInfo, session: Session): Promise<Document> {
    const number = Number(cmd.txnNumber);
    if (session.retry && session.retry.number === number) {
      const first = await session.retry.reply;
      return { ...first, retriedStmtIds: [] };
    }
    if (number < session.txnNumber) throw new CommandError(Codes.TransactionTooOld, `Retryable write with txnNumber ${number} is prohibited on session because a newer txnNumber ${session.txnNumber} has already started`);
    session.txnNumber = number;
    const reply = this.execute({ server: this.state, db, cmd, name, conn, session, view: new DataView(this.state.store, this.state.txns) });
    session.retry = { number, reply };
    return reply;
  }

  private async inTransaction(db: string, cmd: Document, name: string, conn: ConnectionInfo, session: Session | undefined): Promise<Document> {
    if (!session || cmd.txnNumber === undefined) throw new CommandError(Codes.InvalidOptions, 'transactions need lsid and txnNumber');
    const number = Number(cmd.txnNumber);
    const { txns } = this.state;
    if (number < session.txnNumber) throw new CommandError(Codes.TransactionTooOld, `txnNumber ${number} is older than the session's ${session.txnNumber}`);
    let txn: Transaction | undefined = session.txn?.number === number ? session.txn : undefined;
    if (cmd.startTransaction) {
      if (txn) throw new CommandError(Codes.NoSuchTransaction, `Given transaction number ${number} does not match any in-progress transactions`, { labels: ['TransientTransactionError'] });
      if (session.txn) txns.abort(session.txn, 'a newer transaction started');
      session.txnNumber = number;
      txn = session.txn = txns.begin(session.key, number);
    }
    if (name === 'commitTransaction') return this.commit(txn, number);
    if (name === 'abortTransaction') {
      if (!txn || txn.state !== 'active') throw noSuchTransaction(number, txn);
      txns.abort(txn, 'aborted by the client');
      return { ok: 1 };
    }
    if (!txn || txn.state !== 'active') throw noSuchTransaction(number, txn);
    if (!commands[name]!.txn) {
      txns.abort(txn, `${name} is not allowed in a transaction`);
      throw new CommandError(Codes.OperationNotSupportedInTransaction, `Cannot run '${name}' in a multi-document transaction.`);
    }
    const view = new DataView(this.state.store, txns, txn);
    let reply: Document;
    const t0 = performance.now();
    try {
      reply = await commands[name]!.run({ server: this.state, db, cmd, name, conn, session, view });
    } catch (err) {
      txns.abort(txn, (err as Error).message);
      throw err;
    } finally {
      this.state.stats.add(`${name} (in txn)`, performance.now() - t0);
    }
    // DDL done implicitly (collection creation) is committed at once, like MongoDB does.
    await this.log(view.ops);
    // As in MongoDB, a failed write aborts the transaction; the reply still carries its writeErrors.
    if (reply.writeErrors) txns.abort(txn, `a write failed: ${reply.writeErrors[0]?.errmsg}`);
    return reply;
  }

  private async commit(txn: Transaction | undefined, number: number): Promise<Document> {
    if (txn?.state === 'committed') return { ok: 1 }; // a retried commit
    if (!txn || txn.state !== 'active') throw noSuchTransaction(number, txn);
    const t0 = performance.now();
    let ops;
    try {
      ops = this.state.txns.commit(txn);
    } finally {
      this.state.stats.add('commitTransaction', performance.now() - t0);
    }
    await this.log(ops);
    return { ok: 1 };
  }

  /** Journals `ops` (resolves once durable); the time to frame the record counts as `(journal)`. */
  private log(ops: Parameters<ServerState['durable']['log']>[0]): Promise<void> {
    if (!ops.length) return Promise.resolve();
    const t0 = performance.now();
    const done = this.state.durable.log(ops);
    this.state.stats.add('(journal: encode)', performance.now() - t0);
    return done;
  }
}

function noSuchTransaction(number: number, txn: Transaction | undefined): CommandError {
  const why = txn?.abortReason ? ` (aborted: ${txn.abortReason})` : '';
  return new CommandError(Codes.NoSuchTransaction, `Transaction with { txnNumber: ${number} } has been aborted or does not exist${why}.`, { labels: ['TransientTransactionError'] });
}
