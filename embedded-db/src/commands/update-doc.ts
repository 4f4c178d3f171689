/**
 * Applying one update to one document, with MongoDB's rules: operator updates (through mingo,
 * plus `$setOnInsert`), replacements, aggregation-pipeline updates, `_id` immutability, and
 * the seed document of an upsert built from the filter's equality conditions.
 */
import { BSON, ObjectId, type Document } from 'bson';
import { update as mingoUpdate, updateOne as mingoUpdateOne } from 'mingo';
import { CommandError, Codes } from '../errors';
import { cloneDoc, isPlainDoc, keyOf } from '../storage/keys';
import { MAX_BSON_BYTES } from '../wire/protocol';
import { mingoOptions } from '../storage/mingo-options';

const operators = new Set(['$set', '$unset', '$inc', '$mul', '$min', '$max', '$rename', '$push', '$pull', '$pullAll', '$addToSet', '$pop', '$currentDate', '$bit', '$setOnInsert']);

export interface UpdateOptions {
  filter: Document;
  arrayFilters?: Document[];
  /** The document is being created by an upsert ($setOnInsert applies). */
  inserting: boolean;
}

/** Returns the updated copy of `doc` (the stored document is not touched). */
export function applyUpdate(doc: Document, u: unknown, opts: UpdateOptions): Document {
  let out: Document;
  if (Array.isArray(u)) {
    const copy = [cloneDoc(doc)];
    mingoUpdateOne(copy, {}, u as never, {}, mingoOptions);
    out = copy[0]!;
  } else if (isPlainDoc(u) && Object.keys(u).some((k) => k.startsWith('$'))) {
    const keys = Object.keys(u);
    for (const k of keys) {
      if (!k.startsWith('$')) throw new CommandError(Codes.FailedToParse, `Unknown modifier: ${k}. Expected a valid update modifier or pipeline-style update specified as an array`);
      if (!operators.has(k)) throw new CommandError(Codes.FailedToParse, `Unknown modifier: ${k}. Expected a valid update modifier or pipeline-style update specified as an array`);
    }
    const { $setOnInsert, ...rest } = u as Document;
    const modifier: Document = { ...rest };
    if (opts.inserting && $setOnInsert) modifier.$set = { ...(modifier.$set ?? {}), ...$setOnInsert };
    out = copyOnWrite(doc, modifier);
    if (Object.keys(modifier).length) {
      try {
        // The filter is the condition for positional operators; an upsert's seed need not match it
        // (`{_id, until: {$lt: now}}` seeds only `_id`), so it must not gate the insert.
        mingoUpdate(out, modifier as never, opts.arrayFilters, (opts.inserting ? {} : opts.filter) as never, { cloneMode: 'deep', queryOptions: mingoOptions });
      } catch (err) {
        if (/immutable field/.test((err as Error).message)) throw immutableId();
        throw new CommandError(Codes.BadValue, (err as Error).message);
      }
    }
  } else if (isPlainDoc(u)) {
    if ('_id' in u && keyOf(u._id) !== keyOf(doc._id) && !opts.inserting) throw immutableId();
    out = { _id: doc._id, ...cloneDoc(u) };
    if (out._id === undefined) delete out._id;
  } else {
    throw new CommandError(Codes.FailedToParse, 'update must be a document or a pipeline');
  }
  if (!opts.inserting && keyOf(out._id) !== keyOf(doc._id)) throw immutableId();
  checkSize(out);
  return out;
}

/**
 * A copy of `doc` that `modifier` may change in place: the top-level fields its paths start
 * with (and `$rename`'s targets) are deep-copied, every other field is shared with the stored
 * document — stored documents are never mutated, so sharing them between versions is safe.
 * A modifier that is not the plain `{$op: {path: value}}` form gets a whole copy.
 */
function copyOnWrite(doc: Document, modifier: Document): Document {
  const touched = new Set<string>();
  for (const fields of Object.values(modifier)) {
    if (!isPlainDoc(fields)) return cloneDoc(doc);
    for (const [path, v] of Object.entries(fields)) {
      touched.add(path.split('.')[0]!);
      if (typeof v === 'string') touched.add(v.split('.')[0]!); // $rename's target
    }
  }
  const out: Document = {};
  for (const k of Object.keys(doc)) out[k] = touched.has(k) ? cloneDoc(doc[k]) : doc[k];
  return out;
}

/** The document an upsert starts from: the filter's equality conditions (and `_id`). */
export function upsertSeed(filter: Document): Document {
  const seed: Document = {};
  const visit = (f: Document) => {
    for (const [k, v] of Object.entries(f)) {
      if (k === '$and' && Array.isArray(v)) v.forEach((sub) => isPlainDoc(sub) && visit(sub));
      if (k.startsWith('$')) continue;
      if (isPlainDoc(v) && Object.keys(v).some((x) => x.startsWith('$'))) {
        if ('$eq' in v) setPath(seed, k, cloneDoc(v.$eq));
        continue;
      }
      setPath(seed, k, cloneDoc(v));
    }
  };
  visit(filter);
  return seed;
}

/** Gives `doc` an `_id` (first field) if it has none. */
export function withId(doc: Document): Document {
  if (doc._id !== undefined) return doc;
  return { _id: new ObjectId(), ...doc };
}

export function checkSize(doc: Document): void {
  const size = BSON.calculateObjectSize(doc);
  if (size > MAX_BSON_BYTES) throw new CommandError(10334, `document is ${size} bytes, over the ${MAX_BSON_BYTES}-byte BSON limit`);
}

function setPath(doc: Document, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur = doc;
  for (const p of parts.slice(0, -1)) {
    if (!isPlainDoc(cur[p])) cur[p] = {};
    cur = cur[p];
  }
  cur[parts.at(-1)!] = value;
}

function immutableId(): CommandError {
  return new CommandError(Codes.ImmutableField, "Performing an update on the path '_id' would modify the immutable field '_id'");
}
