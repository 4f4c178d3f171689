/**
 * Write commands: insert, update (upsert, multi, arrayFilters, $setOnInsert), delete and
 * findAndModify. Each document write is atomic; a batch reports per-statement `writeErrors`
 * (E11000 with keyPattern/keyValue) and stops at the first when ordered. A write outside a
 * transaction that touches a document an open transaction has written waits for it to finish.
 */
import { BSON, type Document } from 'bson';
import { CommandError, Codes, asCommandError } from '../errors';
import { cloneDoc, isPlainDoc } from '../storage/keys';
import { allowFields, namespace, type CommandSpec, type Ctx } from './context';
import { checkFilter, shapeResults } from './read';
import { applyUpdate, checkSize, upsertSeed, withId } from './update-doc';

/** Runs `fn` over the documents `select()` picks, after any transaction holding one of them ends. */
async function withUnlocked<T>(ctx: Ctx, ns: string, select: () => Document[], fn: (docs: Document[]) => T): Promise<T> {
  for (;;) {
    const docs = select();
    const blocker = ctx.view.blocker(ns, docs);
    if (!blocker) return fn(docs);
    ctx.journalSoFar?.();
    await blocker.done;
  }
}

/**
 * A statement's failure as a `writeErrors` entry — except errors that carry labels (WriteConflict
 * in a transaction), which MongoDB reports as the command's error so drivers can retry.
 */
function writeError(err: unknown, index: number): Document {
  const e = asCommandError(err);
  if (e.labels.length) throw e;
  return e.toWriteError(index);
}

function batch(ctx: Ctx, field: string): Document[] {
  const list = ctx.cmd[field];
  if (!Array.isArray(list)) throw new CommandError(Codes.TypeMismatch, `${ctx.name} needs an array "${field}"`);
  return list;
}

const insert: CommandSpec = {
  txn: true,
  retryable: true,
  async run(ctx) {
    allowFields(ctx, ['documents', 'ordered', 'bypassDocumentValidation']);
    const ns = namespace(ctx);
    const docs = batch(ctx, 'documents');
    const ordered = ctx.cmd.ordered !== false;
    ctx.view.ensureCollection(ns);
    const writeErrors: Document[] = [];
    let n = 0;
    for (let i = 0; i < docs.length; i++) {
      try {
        if (!isPlainDoc(docs[i])) throw new CommandError(Codes.TypeMismatch, 'documents to insert must be documents');
        const doc = withId(cloneDoc(docs[i]!));
        if (Array.isArray(doc._id)) throw new CommandError(Codes.BadValue, "can't use an array for _id");
        checkSize(doc);
        await withUnlocked(ctx, ns, () => [doc], () => ctx.view.insert(ns, doc));
        n++;
      } catch (err) {
        writeErrors.push(writeError(err, i));
        if (ordered) break;
      }
    }
    return { n, ...(writeErrors.length ? { writeErrors } : {}), ok: 1 };
  },
};

interface StatementResult {
  matched: number;
  modified: number;
  upsertedId?: unknown;
  /** Documents before and after, for findAndModify. */
  before?: Document;
  after?: Document;
}

/** One update statement (shared by update and findAndModify). */
async function updateStatement(ctx: Ctx, ns: string, s: { q: Document; u: unknown; multi?: boolean; upsert?: boolean; arrayFilters?: Document[]; sort?: Document }): Promise<StatementResult> {
  const filter = checkFilter(s.q, 'q');
  if (s.multi && !Array.isArray(s.u) && isPlainDoc(s.u) && !Object.keys(s.u).some((k) => k.startsWith('$'))) {
    throw new CommandError(Codes.FailedToParse, 'multi update is not supported for replacement-style update');
  }
  const select = () => {
    const found = ctx.view.find(ns, filter);
    const sorted = s.sort ? shapeResults(found, filter, { sort: s.sort }) : found;
    return s.multi ? sorted : sorted.slice(0, 1);
  };
  return withUnlocked(ctx, ns, select, (docs) => {
    if (docs.length === 0) {
      if (!s.upsert) return { matched: 0, modified: 0 };
      ctx.view.ensureCollection(ns);
      const doc = withId(applyUpdate(upsertSeed(filter), s.u, { filter, arrayFilters: s.arrayFilters, inserting: true }));
      ctx.view.insert(ns, doc);
      return { matched: 0, modified: 0, upsertedId: doc._id, after: doc };
    }
    let modified = 0;
    let before: Document | undefined;
    let after: Document | undefined;
    for (const doc of docs) {
      const next = applyUpdate(doc, s.u, { filter, arrayFilters: s.arrayFilters, inserting: false });
      before ??= doc;
      after ??= next;
      if (!sameDoc(doc, next)) {
        ctx.view.replace(ns, next);
        modified++;
      }
    }
    return { matched: docs.length, modified, before, after };
  });
}

/**
 * Whether `a` and `b` would be written as the same BSON (same fields in the same order, same
 * types and values), compared as objects: no serialising of two whole documents per update.
 * Unchanged fields shared by copy-on-write compare by identity at once.
 */
function sameDoc(a: Document, b: Document): boolean {
  return sameValue(a, b, 0);
}

function sameValue(a: unknown, b: unknown, depth: number): boolean {
  if (a === b) return a !== 0 || Object.is(a, b); // 0 and -0 are written differently
  if (depth > 100) return false; // deeper than BSON allows: just write it
  // BSON writes undefined as null (ignoreUndefined is off)
  if ((a === undefined || a === null) && (b === undefined || b === null)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i], depth + 1)) return false;
    return true;
  }
  if (isPlainDoc(a) && isPlainDoc(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i] || !sameValue(a[ka[i]!], b[kb[i]!], depth + 1)) return false;
    return true;
  }
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && Object.is(a.getTime(), b.getTime());
  if (isPlainDoc(a) || isPlainDoc(b)) return false;
  // other BSON values (ObjectId, Long, Decimal128, Binary, RegExp…): small, compare their bytes
  try {
    return Buffer.compare(BSON.serialize({ v: a }), BSON.serialize({ v: b })) === 0;
  } catch {
    return false;
  }
}

const update: CommandSpec = {
  txn: true,
  retryable: true,
  async run(ctx) {
    allowFields(ctx, ['updates', 'ordered', 'bypassDocumentValidation', 'let']);
    if (ctx.cmd.let) throw new CommandError(Codes.CommandNotSupported, 'update option "let" is not supported by the embedded server');
    const ns = namespace(ctx);
    const ordered = ctx.cmd.ordered !== false;
    const writeErrors: Document[] = [];
    const upserted: Document[] = [];
    let n = 0;
    let nModified = 0;
    const statements = batch(ctx, 'updates');
    for (let i = 0; i < statements.length; i++) {
      const s = statements[i]!;
      try {
        for (const k of Object.keys(s)) if (!['q', 'u', 'multi', 'upsert', 'arrayFilters', 'hint', 'collation', 'upsertSupplied'].includes(k)) throw new CommandError(Codes.CommandNotSupported, `update statement option "${k}" is not supported by the embedded server`);
        if (s.collation) throw new CommandError(Codes.CommandNotSupported, 'update statement option "collation" is not supported by the embedded server');
        const r = await updateStatement(ctx, ns, s as never);
        n += r.matched + (r.upsertedId !== undefined ? 1 : 0);
        nModified += r.modified;
        if (r.upsertedId !== undefined) upserted.push({ index: i, _id: r.upsertedId });
      } catch (err) {
        writeErrors.push(writeError(err, i));
        if (ordered) break;
      }
    }
    return { n, nModified, ...(upserted.length ? { upserted } : {}), ...(writeErrors.length ? { writeErrors } : {}), ok: 1 };
  },
};

const del: CommandSpec = {
  txn: true,
  retryable: true,
  async run(ctx) {
    allowFields(ctx, ['deletes', 'ordered', 'let']);
    if (ctx.cmd.let) throw new CommandError(Codes.CommandNotSupported, 'delete option "let" is not supported by the embedded server');
    const ns = namespace(ctx);
    const ordered = ctx.cmd.ordered !== false;
    const writeErrors: Document[] = [];
    let n = 0;
    const statements = batch(ctx, 'deletes');
    for (let i = 0; i < statements.length; i++) {
      const s = statements[i]!;
      try {
        for (const k of Object.keys(s)) if (!['q', 'limit', 'hint', 'collation'].includes(k)) throw new CommandError(Codes.CommandNotSupported, `delete statement option "${k}" is not supported by the embedded server`);
        if (s.collation) throw new CommandError(Codes.CommandNotSupported, 'delete statement option "collation" is not supported by the embedded server');
        const filter = checkFilter(s.q, 'q');
        const select = () => {
          const found = ctx.view.find(ns, filter);
          return s.limit === 1 ? found.slice(0, 1) : found;
        };
        n += await withUnlocked(ctx, ns, select, (docs) => {
          for (const d of docs) ctx.view.remove(ns, d);
          return docs.length;
        });
      } catch (err) {
        writeErrors.push(writeError(err, i));
        if (ordered) break;
      }
    }
    return { n, ...(writeErrors.length ? { writeErrors } : {}), ok: 1 };
  },
};

const findAndModify: CommandSpec = {
  txn: true,
  retryable: true,
  async run(ctx) {
    allowFields(ctx, ['query', 'sort', 'remove', 'update', 'new', 'fields', 'upsert', 'arrayFilters', 'bypassDocumentValidation', 'hint', 'collation', 'let']);
    if (ctx.cmd.let || ctx.cmd.collation) throw new CommandError(Codes.CommandNotSupported, 'findAndModify options "let"/"collation" are not supported by the embedded server');
    const ns = namespace(ctx);
    const { cmd } = ctx;
    const filter = checkFilter(cmd.query, 'query');
    const project = (doc: Document | undefined | null) => (doc && cmd.fields ? shapeResults([doc], filter, { projection: cmd.fields })[0] : doc) ?? null;
    if (cmd.remove) {
      if (cmd.update !== undefined) throw new CommandError(Codes.FailedToParse, 'Cannot specify both an update and remove=true');
      const removed = await withUnlocked(ctx, ns, () => shapeResults(ctx.view.find(ns, filter), filter, { sort: cmd.sort, limit: 1 }), (docs) => {
        if (docs[0]) ctx.view.remove(ns, docs[0]);
        return docs[0];
      });
      return { lastErrorObject: { n: removed ? 1 : 0 }, value: project(removed), ok: 1 };
    }
    if (cmd.update === undefined) throw new CommandError(Codes.FailedToParse, 'Either an update or remove=true must be specified');
    const r = await updateStatement(ctx, ns, { q: filter, u: cmd.update, upsert: cmd.upsert, arrayFilters: cmd.arrayFilters, sort: cmd.sort });
    const lastErrorObject: Document = { n: r.matched || (r.upsertedId !== undefined ? 1 : 0), updatedExisting: r.matched > 0 };
    if (r.upsertedId !== undefined) lastErrorObject.upserted = r.upsertedId;
    const value = cmd.new ? r.after : r.before;
    return { lastErrorObject, value: project(value), ok: 1 };
  },
};

export const writeCommands: Record<string, CommandSpec> = { insert, update, delete: del, findAndModify, findandmodify: findAndModify };
