/**
 * Namespace and index commands: create, drop, dropDatabase, listCollections, listDatabases,
 * createIndexes, listIndexes, dropIndexes. None runs inside a transaction.
 */
import type { Document } from 'bson';
import { Query } from 'mingo';
import { CommandError, Codes, notSupported } from '../errors';
import { Indexes, type IndexSpec } from '../storage/indexes';
import type { Op } from '../storage/store';
import { allowFields, namespace, type CommandSpec, type Ctx } from './context';
import { mingoOptions } from '../storage/mingo-options';

/** Applies DDL ops outside any transaction and queues them for the journal. */
function commit(ctx: Ctx, ops: Op[]): void {
  ctx.server.store.apply(ops, true);
  ctx.view.ops.push(...ops);
}

function notFound(ns: string): CommandError {
  return new CommandError(Codes.NamespaceNotFound, `ns not found: ${ns}`);
}

const create: CommandSpec = {
  run(ctx) {
    allowFields(ctx, ['idIndex']);
    const ns = namespace(ctx);
    if (ctx.server.store.get(ns)) throw new CommandError(Codes.NamespaceExists, `Collection ${ns} already exists.`);
    commit(ctx, [{ o: 'create', ns, opts: {} }]);
    return { ok: 1 };
  },
};

const drop: CommandSpec = {
  run(ctx) {
    allowFields(ctx, []);
    const ns = namespace(ctx);
    const coll = ctx.server.store.get(ns);
    if (!coll) throw notFound(ns);
    const nIndexesWas = coll.indexes.specs().length;
    commit(ctx, [{ o: 'drop', ns }]);
    return { nIndexesWas, ns, ok: 1 };
  },
};

const dropDatabase: CommandSpec = {
  run(ctx) {
    allowFields(ctx, []);
    commit(ctx, ctx.server.store.namesIn(ctx.db).map((name) => ({ o: 'drop', ns: `${ctx.db}.${name}` }) as Op));
    return { dropped: ctx.db, ok: 1 };
  },
};

const listCollections: CommandSpec = {
  run(ctx) {
    allowFields(ctx, ['filter', 'nameOnly', 'authorizedCollections', 'cursor']);
    const all = ctx.server.store.namesIn(ctx.db).map((name) => {
      const coll = ctx.server.store.get(`${ctx.db}.${name}`)!;
      return ctx.cmd.nameOnly
        ? { name, type: 'collection' }
        : { name, type: 'collection', options: coll.options, info: { readOnly: false }, idIndex: { v: 2, key: { _id: 1 }, name: '_id_' } };
    });
    const filter = ctx.cmd.filter ? new Query(ctx.cmd.filter, mingoOptions) : null;
    const docs = filter ? all.filter((d) => filter.test(d)) : all;
    return ctx.server.cursors.first(`${ctx.db}.$cmd.listCollections`, docs, ctx.cmd.cursor?.batchSize);
  },
};

const listDatabases: CommandSpec = {
  run(ctx) {
    allowFields(ctx, ['filter', 'nameOnly', 'authorizedDatabases']);
    const dbs = ctx.server.store.databases().map((name) => ({ name, sizeOnDisk: 0, empty: false }));
    const filter = ctx.cmd.filter ? new Query(ctx.cmd.filter, mingoOptions) : null;
    const databases = filter ? dbs.filter((d) => filter.test(d)) : dbs;
    return ctx.cmd.nameOnly ? { databases: databases.map(({ name }) => ({ name })), ok: 1 } : { databases, totalSize: 0, totalSizeMb: 0, ok: 1 };
  },
};

const createIndexes: CommandSpec = {
  run(ctx) {
    allowFields(ctx, ['indexes', 'commitQuorum']);
    const ns = namespace(ctx);
    const specs = ctx.cmd.indexes;
    if (!Array.isArray(specs) || !specs.length) throw new CommandError(Codes.BadValue, 'createIndexes needs a non-empty "indexes" array');
    const created = !ctx.server.store.get(ns);
    if (created) commit(ctx, [{ o: 'create', ns, opts: {} }]);
    const coll = ctx.server.store.get(ns)!;
    const before = coll.indexes.specs().length;
    for (const raw of specs as IndexSpec[]) {
      const spec: IndexSpec = { v: 2, ...raw };
      delete spec.background;
      delete spec.ns;
      Indexes.validate(spec);
      if (spec.name === '_id_' || (Object.keys(spec.key).length === 1 && spec.key._id === 1)) continue;
      const existing = coll.indexes.specs().find((s) => s.name === spec.name || sameKey(s.key, spec.key));
      if (existing) {
        if (existing.name !== spec.name) throw new CommandError(Codes.IndexOptionsConflict, `Index already exists with a different name: ${existing.name}`);
        if (!sameKey(existing.key, spec.key)) throw new CommandError(Codes.IndexKeySpecsConflict, `An existing index has the same name as the requested index but a different key: ${existing.name}`);
        if (optionsOf(existing) !== optionsOf(spec)) throw new CommandError(Codes.IndexOptionsConflict, `An equivalent index already exists with the same name but different options: ${spec.name}`);
        continue;
      }
      commit(ctx, [{ o: 'index', ns, spec }]);
    }
    return { numIndexesBefore: before, numIndexesAfter: coll.indexes.specs().length, createdCollectionAutomatically: created, ok: 1 };
  },
};

const listIndexes: CommandSpec = {
  run(ctx) {
    allowFields(ctx, ['cursor']);
    const ns = namespace(ctx);
    const coll = ctx.server.store.get(ns);
    if (!coll) throw notFound(ns);
    return ctx.server.cursors.first(ns, coll.indexes.specs(), ctx.cmd.cursor?.batchSize);
  },
};

const dropIndexes: CommandSpec = {
  run(ctx) {
    allowFields(ctx, ['index']);
    const ns = namespace(ctx);
    const coll = ctx.server.store.get(ns);
    if (!coll) throw notFound(ns);
    const nIndexesWas = coll.indexes.specs().length;
    const which = ctx.cmd.index;
    const secondary = coll.indexes.specs().slice(1);
    let names: string[];
    if (which === '*') names = secondary.map((s) => s.name);
    else if (typeof which === 'string') names = [which];
    else if (Array.isArray(which)) names = which;
    else if (which && typeof which === 'object') names = secondary.filter((s) => sameKey(s.key, which)).map((s) => s.name);
    else throw new CommandError(Codes.BadValue, 'dropIndexes needs "index"');
    if (!names.length) throw new CommandError(Codes.IndexNotFound, `can't find index with key: ${JSON.stringify(which)}`);
    for (const name of names) {
      if (name === '_id_') throw new CommandError(Codes.InvalidOptions, 'cannot drop _id index');
      if (!coll.indexes.has(name)) throw new CommandError(Codes.IndexNotFound, `index not found with name [${name}]`);
    }
    commit(ctx, names.map((name) => ({ o: 'dropIndex', ns, name }) as Op));
    return { nIndexesWas, ok: 1 };
  },
};

function sameKey(a: Document, b: Document): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function optionsOf(s: IndexSpec): string {
  return JSON.stringify([!!s.unique, !!s.sparse, s.partialFilterExpression ?? null, s.expireAfterSeconds ?? null]);
}

const unsupported = (name: string): CommandSpec => ({ run: () => { throw notSupported(`command ${name}`); } });

export const ddlCommands: Record<string, CommandSpec> = {
  create, drop, dropDatabase, listCollections, listDatabases, createIndexes, listIndexes, dropIndexes, deleteIndexes: dropIndexes,
  renameCollection: unsupported('renameCollection'), collMod: unsupported('collMod'), validate: unsupported('validate'),
  mapReduce: unsupported('mapReduce'), compact: unsupported('compact'), cloneCollectionAsCapped: unsupported('cloneCollectionAsCapped'),
  convertToCapped: unsupported('convertToCapped'), bulkWrite: unsupported('bulkWrite'), explain: unsupported('explain'),
};
