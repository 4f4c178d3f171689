/** Read commands: find, getMore, killCursors, count, distinct. */
import type { Document } from 'bson';
import { Query } from 'mingo';
import { CommandError, Codes, notSupported } from '../errors';
import { isPlainDoc, keyOf, valuesAtPath } from '../storage/keys';
import { allowFields, namespace, type CommandSpec, type Ctx } from './context';
import { mingoOptions } from '../storage/mingo-options';

/** The empty filter, compiled once: sorting and projecting through it matches everything. */
const matchAll = new Query({}, mingoOptions);

/** Sorts, skips, limits and projects `docs` (already filtered by `filter`) as find does. */
export function shapeResults(docs: Document[], filter: Document, opts: { sort?: Document; skip?: number; limit?: number; projection?: Document; collation?: Document }): Document[] {
  let out = docs;
  const sort = opts.sort && Object.keys(opts.sort).length ? opts.sort : undefined;
  if (sort && '$natural' in sort) {
    if (Object.keys(sort).length > 1) throw new CommandError(Codes.BadValue, '$natural sort cannot be combined with other fields');
    if (sort.$natural < 0) out = [...out].reverse();
  }
  const useSort = sort && !('$natural' in sort) ? sort : undefined;
  if (useSort) for (const v of Object.values(useSort)) if (v !== 1 && v !== -1) throw notSupported(`sort specification ${JSON.stringify(v)}`);
  const projection = opts.projection && Object.keys(opts.projection).length ? opts.projection : undefined;
  // The positional projection (`a.$`) needs the query; otherwise do not filter twice.
  const positional = projection && Object.keys(projection).some((k) => k.endsWith('.$'));
  if (!useSort && !projection && !opts.skip && !opts.limit) return out;
  // skip and limit alone (a find by a field with limit 1): a slice of the stored documents
  if (!useSort && !projection) return out.slice(opts.skip ?? 0, opts.limit ? (opts.skip ?? 0) + opts.limit : undefined);
  const fields = projection && !positional ? topLevelInclusion(projection) : null;
  if (fields) {
    // sort, skip and limit first (mingo, on the stored documents), then pick the fields
    const picked = useSort || opts.skip || opts.limit ? shapeResults(out, filter, { ...opts, projection: undefined }) : out;
    return picked.map((d) => pick(d, fields.names, fields.withId));
  }
  const tree = projection && !positional ? inclusionTree(projection) : null;
  if (tree) {
    const picked = useSort || opts.skip || opts.limit ? shapeResults(out, filter, { ...opts, projection: undefined }) : out;
    return picked.map((d) => projectTree(d, tree) ?? (matchAll.find([d], projection).all()[0] as Document));
  }
  // mingo's `find()` merges its whole operator table into a new context on every call; a
  // `Query` built without a context uses the shared one, and `{}` compiles to nothing.
  let cursor = positional
    ? new Query(filter, { ...mingoOptions, ...(opts.collation ? { collation: opts.collation as never } : {}) }).find(out, projection)
    : (opts.collation ? new Query({}, { ...mingoOptions, collation: opts.collation as never }) : matchAll).find(out, projection);
  if (useSort) cursor = cursor.sort(useSort as never);
  if (opts.skip) cursor = cursor.skip(opts.skip);
  if (opts.limit) cursor = cursor.limit(opts.limit);
  return cursor.all() as Document[];
}

/**
 * A projection that only includes top-level fields (`{a: 1, b: true}`, optionally `_id: 0` or `_id: 1`), as
 * mongoose's `select` sends it: answered without mingo, the way mingo answers it — the fields in
 * the projection's order, missing or undefined ones left out, `_id` last unless excluded, the
 * values shared with the stored document (never mutated). Null for any other projection.
 */
function topLevelInclusion(projection: Document): { names: string[]; withId: boolean } | null {
  const names: string[] = [];
  let withId = true;
  for (const [k, v] of Object.entries(projection)) {
    if (k === '_id') {
      if (v === 0 || v === false) withId = false;
      else if (v !== 1 && v !== true) return null;
      continue;
    }
    if ((v !== 1 && v !== true) || k.includes('.') || k.startsWith('$') || !k || k in Object.prototype) return null;
    names.push(k);
  }
  return names.length ? { names, withId } : null;
}

/** An inclusion projection with dotted paths, as a tree: field → true (the whole value) or the subtree below it. */
interface Tree { fields: Map<string, true | Tree>; withId: boolean }

/**
 * `{a: 1, 'b.c': 1, 'b.d.e': 1}` (optionally `_id: 0` or `_id: 1`; `{_id: 1}` alone too) as a tree,
 * or null for anything else: exclusions, expressions, `$` paths, `_id.x`, or one path inside
 * another (MongoDB's path collision, left to mingo). An explicit `_id: 1` used to send the find
 * to mingo, whose projection walks every document (#24: the statistics folder's fingerprint read
 * `{_id: 1, updatedAt: 1, rev: 1}` of a few hundred cases was a 20–70 ms stretch of the database).
 */
export function inclusionTree(projection: Document): Tree | null {
  const root: Tree = { fields: new Map(), withId: true };
  let idAsked = false;
  for (const [k, v] of Object.entries(projection)) {
    if (k === '_id') {
      if (v === 0 || v === false) root.withId = false;
      else if (v === 1 || v === true) idAsked = true;
      else return null;
      continue;
    }
    if (v !== 1 && v !== true) return null;
    if (k === '__proto__') return null;
    const parts = k.split('.');
    let node = root;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      if (!part || part.startsWith('$') || part === '_id' || part in Object.prototype) return null;
      const last = i === parts.length - 1;
      const existing = node.fields.get(part);
      if (last) {
        if (existing !== undefined) return null; // a path inside another, or twice
        node.fields.set(part, true);
      } else {
        if (existing === true) return null;
        let next = existing;
        if (!next) node.fields.set(part, (next = { fields: new Map(), withId: false }));
        node = next;
      }
    }
  }
  // `{_id: 1}` alone is the _id only; `{_id: 0}` alone excludes it from everything (mingo's)
  return root.fields.size || idAsked ? root : null;
}

/**
 * `doc` projected by `tree`, the values shared with it: the fields in the document's order (as
 * MongoDB answers; the order is not significant to drivers),
 * embedded documents projected by their subtree, arrays element by element (documents projected,
 * other elements dropped, as MongoDB does), a subtree over a scalar leaves the field out, `_id`
 * last unless excluded. Null when the document has an array inside an array on a projected path:
 * the caller asks mingo then.
 */
export function projectTree(doc: Document, tree: Tree): Document | null {
  const out = projectFields(doc, tree);
  if (!out) return null;
  if (tree.withId && doc._id !== undefined) out._id = doc._id;
  return out;
}

function projectFields(doc: Document, tree: Tree): Document | null {
  const out: Document = {};
  for (const k of Object.keys(doc)) {
    const sub = tree.fields.get(k);
    if (sub === undefined) continue;
    const v = doc[k];
    if (v === undefined) continue;
    if (sub === true) {
      out[k] = v;
    } else if (isPlainDoc(v)) {
      const inner = projectFields(v, sub);
      if (!inner) return null;
      out[k] = inner;
    } else if (Array.isArray(v)) {
      const items: Document[] = [];
      for (const el of v) {
        if (Array.isArray(el)) return null;
        if (!isPlainDoc(el)) continue;
        const inner = projectFields(el, sub);
        if (!inner) return null;
        items.push(inner);
      }
      out[k] = items;
    }
  }
  return out;
}

function pick(doc: Document, names: string[], withId: boolean): Document {
  const out: Document = {};
  for (const k of names) if (Object.prototype.hasOwnProperty.call(doc, k) && doc[k] !== undefined) out[k] = doc[k];
  if (withId && doc._id !== undefined) out._id = doc._id;
  return out;
}

const find: CommandSpec = {
  txn: true,
  run(ctx) {
    allowFields(ctx, ['filter', 'projection', 'sort', 'skip', 'limit', 'batchSize', 'singleBatch', 'hint', 'collation', 'let', 'allowDiskUse', 'noCursorTimeout', 'allowPartialResults']);
    const ns = namespace(ctx);
    const { cmd } = ctx;
    const filter = (cmd.filter ?? {}) as Document;
    if (cmd.let) throw notSupported('find option "let"');
    const limit = Math.abs(Number(cmd.limit ?? 0));
    const docs = shapeResults(ctx.view.find(ns, filter), filter, { sort: cmd.sort, skip: cmd.skip, limit, projection: cmd.projection, collation: cmd.collation });
    const single = cmd.singleBatch === true || Number(cmd.limit) < 0;
    return ctx.server.cursors.first(ns, docs, cmd.batchSize ?? (limit || undefined), single);
  },
};

const getMore: CommandSpec = {
  txn: true,
  run(ctx) {
    allowFields(ctx, ['collection', 'batchSize', 'maxTimeMS']);
    return ctx.server.cursors.more(ctx.cmd.getMore, `${ctx.db}.${ctx.cmd.collection}`, ctx.cmd.batchSize);
  },
};

const killCursors: CommandSpec = {
  txn: true,
  run(ctx) {
    allowFields(ctx, ['cursors']);
    return ctx.server.cursors.kill(Array.isArray(ctx.cmd.cursors) ? ctx.cmd.cursors : []);
  },
};

const count: CommandSpec = {
  txn: true,
  run(ctx) {
    allowFields(ctx, ['query', 'limit', 'skip', 'hint', 'collation', 'fields']);
    const ns = namespace(ctx);
    let n = ctx.view.find(ns, ctx.cmd.query ?? {}).length;
    n = Math.max(0, n - Number(ctx.cmd.skip ?? 0));
    const limit = Math.abs(Number(ctx.cmd.limit ?? 0));
    if (limit) n = Math.min(n, limit);
    return { n, ok: 1 };
  },
};

const distinct: CommandSpec = {
  txn: true,
  run(ctx) {
    allowFields(ctx, ['key', 'query', 'collation', 'hint']);
    const ns = namespace(ctx);
    const key = ctx.cmd.key;
    if (typeof key !== 'string' || !key) throw new CommandError(Codes.TypeMismatch, 'distinct needs a string "key"');
    const seen = new Map<string, unknown>();
    for (const doc of ctx.view.find(ns, ctx.cmd.query ?? {})) {
      // Arrays are unwound one level: their elements count, the array itself does not.
      for (const v of valuesAtPath(doc, key, false)) if (v !== undefined) seen.set(keyOf(v), v);
    }
    return { values: [...seen.values()], ok: 1 };
  },
};

/** Checks the filter is a document (mingo accepts odd input silently). */
export function checkFilter(filter: unknown, what = 'filter'): Document {
  if (filter === undefined || filter === null) return {};
  if (!isPlainDoc(filter)) throw new CommandError(Codes.TypeMismatch, `${what} must be a document`);
  return filter;
}

export const readCommands: Record<string, CommandSpec> = { find, getMore, killCursors, count, distinct };
export type { Ctx };
