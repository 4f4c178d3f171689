/**
 * aggregate through mingo's pipeline. A leading `$match` is answered with the indexes first;
 * `$lookup`/`$graphLookup`/`$unionWith` read other collections of the same database (as the
 * command's transaction sees them). Stages that write or inspect the server fail loudly.
 */
import type { Document } from 'bson';
import { Aggregator } from 'mingo/aggregator';
import { CommandError, Codes, notSupported } from '../errors';
import { cloneDoc, isPlainDoc } from '../storage/keys';
import { allowFields, namespace, type CommandSpec } from './context';
import { mingoOptions } from '../storage/mingo-options';
import { aggregationContext } from './aggregate-operators';

const serverStages = new Set([
  '$out', '$merge', '$changeStream', '$collStats', '$indexStats', '$currentOp', '$listLocalSessions', '$listSessions',
  '$planCacheStats', '$search', '$searchMeta', '$vectorSearch', '$geoNear', '$listSearchIndexes', '$documents', '$changeStreamSplitLargeEvent',
]);

/** MongoDB's own limit on the stages of one pipeline. */
const MAX_STAGES = 1000;

/**
 * The top-level fields a `$project` stage reads — inclusions and the `$field` paths of its
 * expressions — or null when it may read the whole document (an exclusion projection, `$$ROOT`,
 * `$$CURRENT`).
 */
export function projectReads(spec: Document): Set<string> | null {
  const reads = new Set<string>(['_id']);
  let whole = false;
  let includes = false; // only `_id: 0`: an exclusion projection, which keeps everything else
  const visit = (v: unknown, depth: number): void => {
    if (whole || depth > 100) { whole = true; return; }
    if (typeof v === 'string') {
      if (v === '$$ROOT' || v === '$$CURRENT' || v.startsWith('$$ROOT.') || v.startsWith('$$CURRENT.')) whole = true;
      else if (v.startsWith('$') && !v.startsWith('$$')) reads.add(v.slice(1).split('.')[0]!);
      return;
    }
    if (Array.isArray(v)) { for (const x of v) visit(x, depth + 1); return; }
    if (isPlainDoc(v)) for (const [k, x] of Object.entries(v)) if (k !== '$literal') visit(x, depth + 1);
  };
  for (const [key, value] of Object.entries(spec)) {
    const top = key.split('.')[0]!;
    if (typeof value === 'number' || typeof value === 'boolean') {
      if (value) { reads.add(top); includes = true; } else if (key !== '_id') return null; // an exclusion: everything but the excluded
      continue;
    }
    includes = true;
    // a sub-document of inclusions ({a: {b: 1}}) reads its field; an expression reads its paths
    if (isPlainDoc(value) && !Object.keys(value).some((k) => k.startsWith('$'))) reads.add(top);
    visit(value, 0);
  }
  return whole || !includes ? null : reads;
}

/**
 * Whether a `$project` only includes top-level fields (`{a: 1, b: true}`, `_id` kept): then its
 * result is the document with just those fields, in the document's order — what `pickFields`
 * makes.
 */
function topLevelInclusions(spec: Document): boolean {
  const keys = Object.keys(spec);
  return keys.length > 0 && keys.every((k) => !k.includes('.') && !k.startsWith('$') && (spec[k] === 1 || spec[k] === true));
}

/** How many aggregates were answered as a count without mingo (tests). */
export const aggregateCounts = { counted: 0 };

/**
 * The pipeline after a leading `$match` when it only counts — what the driver's `countDocuments`
 * sends: optional `$skip` and `$limit` (non-negative integers) then `{$group: {_id: <number,
 * string or null>, <field>: {$sum: 1}}}` — or null. Such a count used to copy every matching
 * document out of the store for mingo's `$group` (#24: the metrics' outbox backlog, a scan of
 * every unacknowledged item, held the database for 70+ ms at each scrape).
 */
function countShape(rest: unknown[]): { skip: number; limit: number; id: unknown; field: string } | null {
  let skip = 0;
  let limit = Infinity;
  let i = 0;
  const whole = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  if (isPlainDoc(rest[i]) && '$skip' in (rest[i] as Document)) {
    const v = (rest[i] as Document).$skip;
    if (!whole(v)) return null;
    skip = v as number;
    i++;
  }
  if (isPlainDoc(rest[i]) && '$limit' in (rest[i] as Document)) {
    const v = (rest[i] as Document).$limit;
    if (!whole(v) || v === 0) return null;
    limit = v as number;
    i++;
  }
  if (i !== rest.length - 1 || !isPlainDoc(rest[i]) || !isPlainDoc((rest[i] as Document).$group)) return null;
  const group = (rest[i] as Document).$group as Document;
  const keys = Object.keys(group);
  if (keys.length !== 2 || keys[0] !== '_id') return null;
  const id = group._id;
  if (!(id === null || typeof id === 'number' || (typeof id === 'string' && !id.startsWith('$')))) return null;
  const field = keys[1]!;
  const acc = group[field];
  if (field.startsWith('$') || field.includes('.') || !isPlainDoc(acc) || Object.keys(acc).length !== 1 || acc.$sum !== 1) return null;
  return { skip, limit, id, field };
}

/** A copy of `doc` with only the top-level `fields` (each deep-copied). */
function pickFields(doc: Document, fields: Set<string>): Document {
  const out: Document = {};
  for (const k of Object.keys(doc)) if (fields.has(k)) out[k] = cloneDoc(doc[k]); // in the document's order
  return out;
}

const aggregate: CommandSpec = {
  txn: true,
  run(ctx) {
    allowFields(ctx, ['pipeline', 'cursor', 'allowDiskUse', 'hint', 'collation', 'let', 'bypassDocumentValidation', 'explain']);
    const { cmd } = ctx;
    if (cmd.aggregate === 1) throw notSupported('database-level aggregate (aggregate: 1)');
    if (cmd.explain) throw notSupported('aggregate explain');
    const ns = namespace(ctx);
    const pipeline = cmd.pipeline;
    if (!Array.isArray(pipeline)) throw new CommandError(Codes.TypeMismatch, "'pipeline' option must be specified as an array");
    if (pipeline.length > MAX_STAGES) throw new CommandError(Codes.FailedToParse, `Pipeline length must be no longer than ${MAX_STAGES} stages.`);
    for (const stage of pipeline) {
      if (!isPlainDoc(stage) || Object.keys(stage).length !== 1) throw new CommandError(Codes.Location40324, 'A pipeline stage specification object must contain exactly one field.');
      const name = Object.keys(stage)[0]!;
      if (serverStages.has(name)) throw notSupported(`aggregation stage ${name}`);
    }
    if (!isPlainDoc(cmd.cursor)) throw new CommandError(Codes.FailedToParse, "The 'cursor' option is required, except for aggregate with the explain argument");
    // A leading $match goes through the planner (indexes) instead of a full scan.
    const first = pipeline[0] as Document | undefined;
    const leadingMatch = first && '$match' in first && isPlainDoc(first.$match) ? first.$match : undefined;
    // A $project right after it reads only some top-level fields: only those are copied out of
    // the store (a case's data, flow state and history stay where they are).
    const next = pipeline[leadingMatch ? 1 : 0] as Document | undefined;
    const reads = next && '$project' in next && isPlainDoc(next.$project) ? projectReads(next.$project) : null;
    const rest = leadingMatch ? pipeline.slice(1) : pipeline;
    const count = countShape(rest);
    // A $project of top-level inclusions only is done by that copy itself: mingo is not asked to
    // do it again (#24: the staff queue's projection was a sixth of its time in mingo).
    const stages = reads && topLevelInclusions(next!.$project as Document) ? rest.slice(1) : rest;
    if (count) {
      // the driver's countDocuments: counted, nothing copied out of the store
      const n = ctx.view.find(ns, leadingMatch ?? {}).length;
      const counted = Math.max(0, Math.min(n - count.skip, count.limit));
      aggregateCounts.counted++;
      return ctx.server.cursors.first(ns, counted ? [{ _id: count.id, [count.field]: counted }] : [], (cmd.cursor as Document).batchSize as number | undefined);
    }
    const input = ctx.view.find(ns, leadingMatch ?? {}).map(reads ? (d: Document) => pickFields(d, reads) : cloneDoc);
    const agg = new Aggregator(stages, {
      ...mingoOptions,
      context: aggregationContext,
      collectionResolver: (name: string) => ctx.view.find(`${ctx.db}.${name}`).map(cloneDoc),
      ...(cmd.collation ? { collation: cmd.collation } : {}),
      ...(cmd.let ? { variables: cmd.let } : {}),
    });
    const out = agg.run(input) as Document[];
    return ctx.server.cursors.first(ns, out, (cmd.cursor as Document).batchSize as number | undefined);
  },
};

export const aggregateCommands: Record<string, CommandSpec> = { aggregate };
