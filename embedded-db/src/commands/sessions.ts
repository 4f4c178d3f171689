/** Session and transaction commands: endSessions, refreshSessions, commitTransaction, abortTransaction. */
import { Binary, type Document } from 'bson';
import { randomUUID } from 'node:crypto';
import { CommandError, Codes } from '../errors';
import { SESSION_TIMEOUT_MINUTES } from '../txn/sessions';
import type { CommandSpec } from './context';

/** commitTransaction and abortTransaction are run by the engine (they end the transaction it resolved). */
export const sessionCommands: Record<string, CommandSpec> = {
  endSessions: {
    run(ctx) {
      ctx.server.sessions.end(Array.isArray(ctx.cmd.endSessions) ? (ctx.cmd.endSessions as Document[]) : []);
      return { ok: 1 };
    },
  },
  killSessions: {
    run(ctx) {
      ctx.server.sessions.end(Array.isArray(ctx.cmd.killSessions) ? (ctx.cmd.killSessions as Document[]) : []);
      return { ok: 1 };
    },
  },
  refreshSessions: { run: () => ({ ok: 1 }) },
  startSession: {
    run: () => ({ id: { id: new Binary(Buffer.from(randomUUID().replace(/-/g, ''), 'hex'), 4) }, timeoutMinutes: SESSION_TIMEOUT_MINUTES, ok: 1 }),
  },
  commitTransaction: {
    txn: true,
    run() {
      throw new CommandError(Codes.NoSuchTransaction, 'commitTransaction needs a session with a transaction (lsid, txnNumber, autocommit: false)', { labels: ['TransientTransactionError'] });
    },
  },
  abortTransaction: {
    txn: true,
    run() {
      throw new CommandError(Codes.NoSuchTransaction, 'abortTransaction needs a session with a transaction (lsid, txnNumber, autocommit: false)', { labels: ['TransientTransactionError'] });
    },
  },
};
