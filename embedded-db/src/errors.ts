/**
 * MongoDB server errors as the embedded server reports them. A `CommandError` becomes the
 * `{ok: 0, errmsg, code, codeName, errorLabels?}` reply drivers turn into `MongoServerError`.
 */
import type { Document } from 'bson';

/** The codes we raise, with MongoDB's names (src/mongo/base/error_codes.yml). */
export const Codes = {
  InternalError: 1,
  Unauthorized: 13,
  ProtocolError: 17,
  AuthenticationFailed: 18,
  MechanismUnavailable: 334,
  BadValue: 2,
  NoSuchKey: 4,
  FailedToParse: 9,
  TypeMismatch: 14,
  InvalidLength: 16,
  IllegalOperation: 20,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  CursorNotFound: 43,
  NamespaceExists: 48,
  CommandNotFound: 59,
  ImmutableField: 66,
  InvalidOptions: 72,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  WriteConflict: 112,
  CommandNotSupported: 115,
  InvalidNamespace: 73,
  TransactionTooOld: 225,
  NoSuchTransaction: 251,
  TransactionCommitted: 256,
  OperationNotSupportedInTransaction: 263,
  TransactionExceededLifetimeLimitSeconds: 290,
  Location40324: 40324,
  DuplicateKey: 11000,
} as const;

export type CodeName = keyof typeof Codes;

const names = new Map<number, string>(Object.entries(Codes).map(([k, v]) => [v, k]));

/** An error that answers a command with `ok: 0` (or a write error entry) instead of crashing. */
export class CommandError extends Error {
  readonly code: number;
  readonly codeName: string;
  readonly labels: string[];
  /** Extra reply fields, e.g. keyPattern/keyValue of a duplicate key. */
  readonly extra: Document;

  constructor(code: number, message: string, opts: { labels?: string[]; extra?: Document } = {}) {
    super(message);
    this.code = code;
    this.codeName = names.get(code) ?? 'UnknownError';
    this.labels = opts.labels ?? [];
    this.extra = opts.extra ?? {};
  }

  /** The `ok: 0` reply document. */
  toReply(): Document {
    const reply: Document = { ok: 0, errmsg: this.message, code: this.code, codeName: this.codeName, ...this.extra };
    if (this.labels.length) reply.errorLabels = this.labels;
    return reply;
  }

  /** The `writeErrors[]` entry for a failed write at `index` of a batch. */
  toWriteError(index: number): Document {
    return { index, code: this.code, errmsg: this.message, ...this.extra };
  }
}

/** Thrown for a write that touches a document another transaction is writing (MongoDB: WriteConflict). */
export function writeConflict(detail: string): CommandError {
  return new CommandError(Codes.WriteConflict, `WriteConflict error: this operation conflicted with another operation. Please retry your operation or multi-document transaction. (${detail})`, {
    labels: ['TransientTransactionError'],
  });
}

/** Something we deliberately do not implement: fail loudly, naming it. */
export function notSupported(what: string): CommandError {
  return new CommandError(Codes.CommandNotSupported, `${what} is not supported by the Lianban embedded MongoDB-compatible server (see embedded-db/README.md); use a real MongoDB via MONGODB_URI`);
}

export function badValue(message: string): CommandError {
  return new CommandError(Codes.BadValue, message);
}

/** Turns anything thrown (mingo errors, bugs) into a CommandError so the connection survives. */
export function asCommandError(err: unknown): CommandError {
  if (err instanceof CommandError) return err;
  const message = err instanceof Error ? err.message : String(err);
  // mingo reports bad operators and expressions as plain Errors: the caller's input was wrong.
  return new CommandError(Codes.BadValue, message);
}
