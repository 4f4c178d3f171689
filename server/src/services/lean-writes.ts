/**
 * Hot writes without mongoose documents (issue #24): a submission's new case, a step's update of
 * the case and its side documents are checked against the model's schema by a checker compiled
 * once from that schema, and written by the driver. Building a mongoose document of a 4–5 KB case
 * (every task and timeline entry a sub-document), casting a `$set` of the whole `tasks` array and
 * `toObject` cost about as much server CPU as the rest of the request.
 *
 *   const doc = leanDocument(models.Notification, raw);          // validated, defaults and _id set
 *   await insertCaseLean(models, caseDoc);                        // = models.Case.create(caseDoc)
 *   await updateCaseLean(models, { _id, rev }, { $set, $push, $inc }); // = models.Case.updateOne(…)
 *
 * What is written is what mongoose would write: the same fields (unknown ones dropped, as the
 * schemas' `strict` does; `undefined` left out), the schema's defaults (sub-documents' too), an
 * `_id` when the schema makes one, `updatedAt` on the models with timestamps, and for the case the
 * suspension guard (models/case-suspension.ts: an update of tasks or flow does not apply to a
 * suspended case, and says so). Anything the checker does not accept as already of the schema's
 * type — a value mongoose would cast (a number for a string, a date as text), a missing required
 * field, a value outside an enum, a path it does not know — goes the mongoose way instead, which
 * casts it or refuses it exactly as before: the checker only ever takes the shortcut for values
 * that need no casting. Mixed paths are stored as given, as mongoose does.
 */
import mongoose from 'mongoose';
import type { Models } from '../models';
import { changesWorkWithoutSuspension, SUSPENDED_MESSAGE } from '../models/case-suspension';
import { DomainError } from './errors';

type Raw = Record<string, unknown>;

/** How many writes took the shortcut and how many went the mongoose way (tests: the hot path must not fall back). */
export const leanWriteCounts = { lean: 0, mongoose: 0 };

/** The checker cannot take the value as it is: the mongoose path decides. */
class NeedsMongoose extends Error {
  constructor(readonly path: string) { super(`needs mongoose: ${path}`); }
}

type Node =
  | { kind: 'mongoose' }
  | { kind: 'string'; values?: ReadonlySet<string> }
  | { kind: 'number' | 'date' | 'boolean' | 'mixed' | 'objectId' }
  | { kind: 'array'; of: Node }
  | { kind: 'object'; fields: Map<string, Field> };

/** `nested`: a plain nested path (`matter.key`), not a sub-document: mongoose fills its defaults in. */
interface Field { node: Node; required: boolean; fallback?: () => unknown; nested?: true }

interface SchemaTypeLike {
  instance: string;
  isRequired?: boolean;
  enumValues?: string[];
  defaultValue?: unknown;
  schema?: mongoose.Schema;
  $isMongooseDocumentArray?: boolean;
  $isSingleNested?: boolean;
  embeddedSchemaType?: SchemaTypeLike;
  caster?: SchemaTypeLike;
  options?: Record<string, unknown> & { default?: unknown };
  validators?: { type?: string }[];
}

/** Options by which mongoose changes or checks a value beyond its type: such a path always goes the mongoose way. */
const TRANSFORMS = ['set', 'get', 'validate', 'lowercase', 'uppercase', 'trim', 'match', 'min', 'max', 'minlength', 'maxlength', 'minLength', 'maxLength', 'alias', 'immutable', 'transform'];

function leafOf(t: SchemaTypeLike): Node {
  // a validator other than `required`/`enum`, a setter (`set`, `trim` …) or a limit: not ours to mimic
  if ((t.validators ?? []).some((v) => v.type !== 'required' && v.type !== 'enum') || TRANSFORMS.some((o) => t.options?.[o] !== undefined)) return { kind: 'mongoose' };
  if (t.$isMongooseDocumentArray && t.schema) return { kind: 'array', of: compile(t.schema) };
  if (t.$isSingleNested && t.schema) return compile(t.schema);
  switch (t.instance) {
    case 'String': return t.enumValues?.length ? { kind: 'string', values: new Set(t.enumValues) } : { kind: 'string' };
    case 'Number': return { kind: 'number' };
    case 'Date': return { kind: 'date' };
    case 'Boolean': return { kind: 'boolean' };
    case 'ObjectId': return { kind: 'objectId' };
    case 'Mixed': return { kind: 'mixed' };
    case 'Array': {
      const el = t.embeddedSchemaType ?? t.caster;
      if (!el) throw new Error('lean-writes: an array without an element type');
      return { kind: 'array', of: leafOf(el) };
    }
    default: throw new Error(`lean-writes: schema type ${t.instance} is not supported`);
  }
}

/** The default mongoose gives a path when the value is absent (undefined: none). */
function defaultOf(t: SchemaTypeLike): (() => unknown) | undefined {
  const d = t.defaultValue;
  if (t.instance === 'Array') {
    // mongoose's arrays default to [] unless the path says `default: undefined`
    if (t.options && Object.hasOwn(t.options, 'default') && t.options.default === undefined) return undefined;
    if (d === undefined || typeof d === 'function') return () => [];
  }
  if (d === undefined) return undefined;
  if (t.instance === 'ObjectId' && typeof d === 'function') return () => new mongoose.Types.ObjectId();
  // mongoose wraps a literal object default (`default: {}`) in a function that returns a fresh one;
  // a computed default that needs the document (`this`) throws here and goes the mongoose way
  if (typeof d === 'function') {
    return () => {
      try { return (d as () => unknown).call(undefined); } catch { throw new NeedsMongoose('(computed default)'); }
    };
  }
  if (d === null || typeof d !== 'object') return () => d;
  return () => structuredClone(d);
}

const compiled = new WeakMap<mongoose.Schema, Node & { kind: 'object' }>();

/** The checker of `schema`, built once per schema. */
function compile(schema: mongoose.Schema): Node & { kind: 'object' } {
  const hit = compiled.get(schema);
  if (hit) return hit;
  const root: Node & { kind: 'object' } = { kind: 'object', fields: new Map() };
  compiled.set(schema, root);
  for (const [path, type] of Object.entries(schema.paths as Record<string, SchemaTypeLike>)) {
    const parts = path.split('.');
    let obj = root;
    for (const part of parts.slice(0, -1)) {
      let f = obj.fields.get(part);
      if (!f) obj.fields.set(part, (f = { node: { kind: 'object', fields: new Map() }, required: false, nested: true }));
      if (f.node.kind !== 'object') throw new Error(`lean-writes: ${path} nests under a leaf`);
      obj = f.node;
    }
    obj.fields.set(parts.at(-1)!, { node: leafOf(type), required: !!type.isRequired, fallback: defaultOf(type) });
  }
  return root;
}

const isPlain = (v: unknown): v is Raw => {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

/** `value` as mongoose would store it under `node` (copies of objects and arrays; Mixed as given), or NeedsMongoose. */
function cast(node: Node, value: unknown, path: string, defaults: boolean): unknown {
  if (value === null) return null;
  switch (node.kind) {
    case 'mongoose': throw new NeedsMongoose(path);
    case 'mixed': return value;
    case 'string':
      if (typeof value !== 'string' || (node.values && !node.values.has(value))) throw new NeedsMongoose(path);
      return value;
    case 'number': if (typeof value !== 'number' || !Number.isFinite(value)) throw new NeedsMongoose(path); return value;
    case 'boolean': if (typeof value !== 'boolean') throw new NeedsMongoose(path); return value;
    case 'date': if (!(value instanceof Date) || Number.isNaN(+value)) throw new NeedsMongoose(path); return value;
    case 'objectId': if (!(value instanceof mongoose.Types.ObjectId)) throw new NeedsMongoose(path); return value;
    case 'array': {
      if (!Array.isArray(value)) throw new NeedsMongoose(path);
      const out = new Array(value.length);
      for (let i = 0; i < value.length; i++) {
        if (value[i] === undefined || (value[i] === null && node.of.kind === 'object')) throw new NeedsMongoose(`${path}.${i}`);
        out[i] = cast(node.of, value[i], `${path}.${i}`, true);
      }
      return out;
    }
    case 'object': return castObject(node, value, path, defaults);
  }
}

function castObject(node: Node & { kind: 'object' }, value: unknown, path: string, defaults: boolean): Raw {
  if (!isPlain(value)) throw new NeedsMongoose(path);
  const out: Raw = {};
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (v === undefined) continue;
    const f = node.fields.get(key);
    if (!f) continue; // strict: mongoose drops what the schema does not name
    out[key] = cast(f.node, v, path ? `${path}.${key}` : key, defaults);
  }
  for (const [key, f] of node.fields) {
    if (out[key] === undefined) {
      if (defaults && f.fallback) out[key] = f.fallback();
      else if (defaults && f.nested && f.node.kind === 'object') {
        // a nested path (not a sub-document): mongoose fills its own defaults in, or leaves it out
        const inner = castObject(f.node, {}, `${path ? `${path}.` : ''}${key}`, true);
        if (Object.keys(inner).length) out[key] = inner;
      }
    }
    if (f.required && (out[key] === undefined || out[key] === null)) throw new NeedsMongoose(path ? `${path}.${key}` : key);
  }
  return out;
}

/**
 * What mongoose's `minimize` does on save (schemas without `minimize: false`, its `clone` with
 * `minimize`): empty plain objects left out at every level, except an array's own elements —
 * on copies (Mixed values are the caller's: never changed in place). Undefined for an empty object.
 */
function minimized(value: unknown, arrayChild: boolean): unknown {
  if (Array.isArray(value)) return value.map((v) => minimized(v, true));
  if (!isPlain(value)) return value;
  const out: Raw = {};
  let empty = true;
  for (const key of Object.keys(value)) {
    const v = minimized(value[key], false);
    if (v === undefined) continue;
    out[key] = v;
    empty = false;
  }
  return empty && !arrayChild ? undefined : out;
}

/** What `leanDocument` uses of a model: its schema. */
export interface WithSchema { schema: unknown }

const schemaOf = (model: WithSchema) => model.schema as mongoose.Schema & { options: { timestamps?: unknown; minimize?: boolean } };

const timestamped = (model: WithSchema) => {
  const ts = schemaOf(model).options.timestamps;
  return ts && typeof ts === 'object' && typeof (ts as { updatedAt?: unknown }).updatedAt === 'string' ? (ts as { updatedAt: string }).updatedAt : ts === true ? 'updatedAt' : null;
};

/**
 * `raw` as `new model(raw)` would store it (defaults, `_id`, unknown fields dropped, no
 * `undefined`), checked against the schema; null when only mongoose can say (it needs casting,
 * or is invalid: build it the mongoose way, which casts or throws its validation error).
 */
export function leanDocument<T = Raw>(model: WithSchema, raw: Raw): T | null {
  try {
    let doc = castObject(compile(schemaOf(model)), raw, '', true);
    if (schemaOf(model).options.minimize !== false) doc = (minimized(doc, false) as Raw | undefined) ?? {};
    const updatedAt = timestamped(model);
    if (updatedAt) doc[updatedAt] = new Date();
    leanWriteCounts.lean++;
    return doc as T;
  } catch (err) {
    if (err instanceof NeedsMongoose) { leanWriteCounts.mongoose++; return null; }
    throw err;
  }
}

/** Inserts a new case (a submission's), as `models.Case.create(doc)` would store it. */
export async function insertCaseLean(models: Models, doc: Raw): Promise<void> {
  const lean = leanDocument<Raw>(models.Case, doc);
  if (!lean) {
    await models.Case.create(doc as never);
    return;
  }
  await models.Case.collection.insertOne(lean);
}

/** The node of a dotted update path (`taskForms.x` under a Mixed path), or null when the checker does not know it. */
function nodeAt(root: Node & { kind: 'object' }, path: string): Node | null {
  let node: Node = root;
  for (const part of path.split('.')) {
    if (node.kind === 'mixed') return node;
    if (node.kind !== 'object') return null;
    const f = node.fields.get(part);
    if (!f) return null;
    node = f.node;
  }
  return node;
}

interface CaseUpdate { $set?: Raw; $push?: Record<string, { $each: unknown[] }>; $inc?: Record<string, number> }

/** The update as mongoose would send it (cast, `updatedAt` set), or null when it needs mongoose. */
function leanUpdate(models: Models, update: CaseUpdate): Raw | null {
  const root = compile(schemaOf(models.Case));
  const out: Raw = {};
  try {
    for (const op of Object.keys(update) as (keyof CaseUpdate)[]) {
      const body = update[op];
      if (body === undefined) continue;
      if (op !== '$set' && op !== '$push' && op !== '$inc') return null;
      const cooked: Raw = {};
      for (const [path, value] of Object.entries(body)) {
        if (value === undefined) continue;
        const node = nodeAt(root, path);
        if (!node) return null;
        if (op === '$set') cooked[path] = cast(node, value, path, true);
        else if (op === '$inc') { if (node.kind !== 'number' || typeof value !== 'number') return null; cooked[path] = value; }
        else {
          const each = (value as { $each?: unknown }).$each;
          if (node.kind !== 'array' || !isPlain(value) || Object.keys(value).length !== 1 || !Array.isArray(each)) return null;
          cooked[path] = { $each: cast(node, each, path, true) };
        }
      }
      out[op] = cooked;
    }
  } catch (err) {
    if (err instanceof NeedsMongoose) return null;
    throw err;
  }
  leanWriteCounts.lean++;
  out.$set = { ...(out.$set as Raw | undefined), updatedAt: new Date() };
  return out;
}

/**
 * `models.Case.updateOne(filter, update)` for an engine step's update of the case (`$set`,
 * `$push: {path: {$each}}`, `$inc`): the same write through the driver, with the suspension
 * guard of models/case-suspension.ts. Returns how many cases matched (0: the revision moved on).
 */
export async function updateCaseLean(models: Models, filter: { _id: unknown; rev: number }, update: CaseUpdate, session?: mongoose.mongo.ClientSession): Promise<number> {
  const lean = leanUpdate(models, update);
  if (!lean) leanWriteCounts.mongoose++;
  if (!lean) return (await models.Case.updateOne(filter as never, update as never, { session })).matchedCount;
  const guarded = changesWorkWithoutSuspension(lean);
  const res = await models.Case.collection.updateOne((guarded ? { ...filter, status: { $ne: 'suspended' } } : filter) as mongoose.mongo.Filter<mongoose.mongo.Document>, lean, { session });
  if (res.matchedCount === 0 && guarded) {
    const doc = await models.Case.findOne({ _id: filter._id }).select({ status: 1 }).lean<{ status?: string } | null>();
    if (doc?.status === 'suspended') throw new DomainError('case-suspended', SUSPENDED_MESSAGE);
  }
  return res.matchedCount;
}

/** For tests: the checker's verdict on a case update (null: it goes the mongoose way). */
export const leanCaseUpdateForTest = (models: Models, update: CaseUpdate) => leanUpdate(models, update);
