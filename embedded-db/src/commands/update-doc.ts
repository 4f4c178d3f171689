/**
 * Applying one update to one document, with MongoDB's rules: operator updates (through mingo,
 * plus `$setOnInsert`), replacements, aggregation-pipeline updates, `_id` immutability, and
 * the seed document of an upsert built from the filter's equality conditions.
 */
import { BSON, ObjectId, type Document } from 'bson';
import { update as mingoUpdate, updateOne as mingoUpdateOne } from 'mingo';
import { CommandError, Codes } from '../errors';
import { cloneDoc, isPlainDoc, keyOf } from '../storage/keys';
import { sizeOf } from '../storage/bson-bytes';
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
  /** The top-level update applied without mingo, and the modifier it applied (for the size check). */
  let fast: { modifier: Document } | null = null;
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
    const quick = opts.arrayFilters?.length ? null : topLevelUpdate(doc, modifier);
    if (quick) fast = { modifier };
    out = quick ?? copyOnWrite(doc, modifier);
    if (!fast && Object.keys(modifier).length) {
      try {
        // The filter is the condition for positional operators; an upsert's seed need not match it
        // (`{_id, until: {$lt: now}}` seeds only `_id`), so it must not gate the insert. Without a
        // positional `$` in any path it is not needed at all (mingo would compile it for nothing).
        const condition = opts.inserting || !hasPositional(modifier) ? {} : opts.filter;
        mingoUpdate(out, modifier as never, opts.arrayFilters, condition as never, { cloneMode: 'deep', queryOptions: mingoOptions });
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
  if (fast) checkGrowth(doc, out, fast.modifier);
  else checkSize(out);
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

/** Whether a path of `modifier` has a positional `$` segment (`a.$.b`; not `$[]`/`$[id]`, which arrayFilters answer). */
function hasPositional(modifier: Document): boolean {
  for (const fields of Object.values(modifier)) {
    if (!isPlainDoc(fields)) return true;
    for (const path of Object.keys(fields)) if (path === '$' || path.startsWith('$.') || path.includes('.$.') || path.endsWith('.$')) return true;
  }
  return false;
}

/**
 * The common update of a whole document — `$set`, `$unset`, `$inc` and `$push` (a value or
 * `{$each: [...]}`) of top-level fields, as a case's revision-guarded save sends it — applied
 * without mingo: a new top-level object whose untouched fields are shared with `doc` (stored
 * documents are never mutated; the values set come from the command, which nothing else holds),
 * with mingo's results: operators applied in the modifier's order, fields in theirs, a field
 * replaced in place or appended when new, `$inc` adding numbers, `$push` appending to a copy of
 * the array. Null when any part is outside that (dotted or positional paths, `_id`, a path used
 * twice, other operators or `$push` modifiers, `$inc` of a non-number, `$push` to a non-array):
 * mingo applies those, errors included.
 */
export function topLevelUpdate(doc: Document, modifier: Document): Document | null {
  const seen = new Set<string>();
  const ops = Object.keys(modifier);
  if (!ops.length) return null;
  for (const op of ops) {
    if (op !== '$set' && op !== '$unset' && op !== '$inc' && op !== '$push') return null;
    const fields = modifier[op];
    if (!isPlainDoc(fields)) return null;
    const paths = Object.keys(fields);
    if (!paths.length) return null;
    for (const path of paths) {
      if (!path || path === '_id' || path.includes('.') || path.startsWith('$') || seen.has(path) || path === '__proto__') return null;
      seen.add(path);
      const v = fields[path];
      const cur = doc[path];
      if (op === '$inc' && (typeof v !== 'number' || (cur !== undefined && typeof cur !== 'number'))) return null;
      if (op === '$push') {
        if (cur !== undefined && !Array.isArray(cur)) return null;
        if (isPlainDoc(v) && Object.keys(v).some((k) => k.startsWith('$')) && !(Object.keys(v).length === 1 && Array.isArray(v.$each))) return null;
      }
    }
  }
  const out: Document = { ...doc };
  for (const op of ops) {
    const fields = modifier[op] as Document;
    for (const path of Object.keys(fields)) {
      const v = fields[path];
      if (op === '$set') out[path] = v;
      else if (op === '$unset') delete out[path];
      else if (op === '$inc') out[path] = out[path] === undefined ? v : (out[path] as number) + (v as number);
      else {
        const items: unknown[] = isPlainDoc(v) && Array.isArray(v.$each) ? v.$each : [v];
        out[path] = out[path] === undefined ? [...items] : [...(out[path] as unknown[]), ...items];
      }
    }
  }
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

/**
 * The 16 MB check of a top-level update without walking the whole new document: the old size
 * (cached with its bytes when the document was written or read recently) plus the size of every
 * value the update sets or pushes bounds the new one; only a bound over the limit is checked exactly.
 */
function checkGrowth(doc: Document, out: Document, modifier: Document): void {
  let bound = sizeOf(doc);
  for (const op of Object.keys(modifier)) {
    if (op === '$unset') continue;
    const fields = modifier[op] as Document;
    bound += BSON.calculateObjectSize(fields);
    // slack for what the size of the update's own document does not count: longer array indexes
    // of pushed elements, an $inc turning an int32 into a double
    for (const v of Object.values(fields)) bound += 16 * (isPlainDoc(v) && Array.isArray(v.$each) ? v.$each.length + 1 : 1);
  }
  if (bound > MAX_BSON_BYTES) checkSize(out);
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
