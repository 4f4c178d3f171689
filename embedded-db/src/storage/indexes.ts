/**
 * The secondary indexes of one collection: their definitions (as `listIndexes` shows them),
 * unique enforcement (E11000 with keyPattern/keyValue) honouring `sparse` and
 * `partialFilterExpression`, and the per-field lookup structures the query planner uses.
 */
import type { Document } from 'bson';
import { Query } from 'mingo';
import { CommandError, Codes, notSupported } from '../errors';
import { FieldIndex } from './field-index';
import { keyOf, valuesAtPath } from './keys';
import { mingoOptions } from './mingo-options';

export interface IndexSpec {
  v?: number;
  key: Record<string, number>;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Document;
  expireAfterSeconds?: number;
  [option: string]: unknown;
}

/** Options we accept on createIndexes; anything else fails loudly rather than being ignored. */
const knownOptions = new Set(['v', 'key', 'name', 'unique', 'sparse', 'partialFilterExpression', 'expireAfterSeconds', 'background', 'ns', 'hidden']);
/** Most product keys a compound multikey unique index may produce for one document. */
const maxUniqueKeys = 1000;

class IndexDef {
  readonly spec: IndexSpec;
  readonly fields: string[];
  readonly partial: Query | null;
  /** unique: tuple key → owning id. */
  readonly owners: Map<string, string> | null;

  constructor(spec: IndexSpec) {
    this.spec = spec;
    this.fields = Object.keys(spec.key);
    this.partial = spec.partialFilterExpression ? new Query(spec.partialFilterExpression, mingoOptions) : null;
    this.owners = spec.unique ? new Map() : null;
  }

  /** The unique tuple keys of `doc` with the values behind them, or [] when the doc is not in this index. */
  tuples(doc: Document): { key: string; values: unknown[] }[] {
    if (this.partial && !this.partial.test(doc)) return [];
    const perField = this.fields.map((f) => {
      const vals = valuesAtPath(doc, f, false);
      return vals.length ? vals : [undefined];
    });
    if (this.spec.sparse && perField.every((vals) => vals.every((v) => v === undefined))) return [];
    let combos: unknown[][] = [[]];
    for (const vals of perField) {
      combos = combos.flatMap((c) => vals.map((v) => [...c, v]));
      if (combos.length > maxUniqueKeys) throw new CommandError(Codes.BadValue, `index ${this.spec.name}: document produces more than ${maxUniqueKeys} keys`);
    }
    return combos.map((values) => ({ key: values.map((v) => keyOf(v ?? null)).join('|'), values }));
  }
}

export class Indexes {
  private readonly defs = new Map<string, IndexDef>();
  /** Lookup structures by field path, shared by every non-partial index on that field. */
  private readonly fields = new Map<string, { index: FieldIndex; users: number }>();

  constructor(private readonly ns: string) {}

  /** Definitions in creation order, `_id_` first, as listIndexes reports them. */
  specs(): IndexSpec[] {
    return [{ v: 2, key: { _id: 1 }, name: '_id_' }, ...[...this.defs.values()].map((d) => d.spec)];
  }

  has(name: string): boolean {
    return name === '_id_' || this.defs.has(name);
  }

  find(name: string): IndexSpec | undefined {
    return this.defs.get(name)?.spec;
  }

  /**
   * Lookup structures of the fields a partial index's filter names (`{'pending.at': {$type:
   * 'date'}}`): only the documents with a value there, never answering `{path: null}`. Used when
   * no plain index covers the path — a superset of the matches like every lookup here (the
   * partial filter itself is not needed for that), so a sweep for `{'pending.at': {$lt: now}}`
   * looks at the few cases with something pending instead of scanning them all.
   */
  private readonly partialFields = new Map<string, { index: FieldIndex; users: number }>();

  /** The lookup structure for `path`, if some plain index (or a partial index's filtered field) covers it. */
  field(path: string): FieldIndex | undefined {
    return this.fields.get(path)?.index ?? this.partialFields.get(path)?.index;
  }

  /** Checks a spec without adding it. */
  static validate(spec: IndexSpec): void {
    if (!spec || typeof spec.key !== 'object' || !Object.keys(spec.key).length) throw new CommandError(Codes.BadValue, 'index spec needs a non-empty key');
    if (typeof spec.name !== 'string' || !spec.name) throw new CommandError(Codes.BadValue, 'index spec needs a name');
    for (const [f, dir] of Object.entries(spec.key)) {
      if (dir !== 1 && dir !== -1) throw notSupported(`index type ${JSON.stringify(dir)} on field "${f}" (only ascending/descending indexes)`);
    }
    for (const opt of Object.keys(spec)) if (!knownOptions.has(opt)) throw notSupported(`index option "${opt}"`);
  }

  /** Adds an index over the existing `docs`; throws E11000 when they violate a new unique index. */
  create(spec: IndexSpec, docs: Iterable<[string, Document]>): void {
    const def = new IndexDef(spec);
    if (def.owners) for (const [id, doc] of docs) this.claim(def, id, doc);
    this.defs.set(spec.name, def);
    const structures = def.partial ? this.partialFields : this.fields;
    for (const f of def.partial ? filteredFields(def) : def.fields) {
      const entry = structures.get(f);
      if (entry) entry.users++;
      else {
        const index = new FieldIndex(f, !def.partial);
        for (const [id, doc] of docs) index.add(id, doc);
        structures.set(f, { index, users: 1 });
      }
    }
  }

  drop(name: string): void {
    const def = this.defs.get(name);
    if (!def) return;
    this.defs.delete(name);
    const structures = def.partial ? this.partialFields : this.fields;
    for (const f of def.partial ? filteredFields(def) : def.fields) {
      const entry = structures.get(f)!;
      if (--entry.users === 0) structures.delete(f);
    }
  }

  /** Whether some index (other than `_id_`) is unique. */
  get hasUnique(): boolean {
    for (const def of this.defs.values()) if (def.owners) return true;
    return false;
  }

  /** Throws E11000 if `doc` (to be stored under `id`) would duplicate another document's unique key. */
  checkUnique(id: string, doc: Document, ignore?: (ownerId: string) => boolean): void {
    for (const def of this.defs.values()) {
      if (!def.owners) continue;
      for (const t of def.tuples(doc)) {
        const owner = def.owners.get(t.key);
        if (owner !== undefined && owner !== id && !ignore?.(owner)) throw this.duplicate(def, t.values);
      }
    }
  }

  /** Throws E11000 if `a` and `b` (two different documents) share a unique key. */
  checkPair(a: Document, b: Document): void {
    for (const def of this.defs.values()) {
      if (!def.owners) continue;
      const keys = new Set(def.tuples(b).map((t) => t.key));
      for (const t of def.tuples(a)) if (keys.has(t.key)) throw this.duplicate(def, t.values);
    }
  }

  /** Records `doc` in every index (unique keys must have been checked). */
  insertDoc(id: string, doc: Document): void {
    for (const def of this.defs.values()) if (def.owners) for (const t of def.tuples(doc)) def.owners.set(t.key, id);
    for (const { index } of this.fields.values()) index.add(id, doc);
    for (const { index } of this.partialFields.values()) index.add(id, doc);
  }

  /** `id`'s document changes from `before` to `after` (unique keys of `after` must have been checked). */
  replaceDoc(id: string, before: Document, after: Document): void {
    for (const def of this.defs.values()) {
      if (!def.owners) continue;
      for (const t of def.tuples(before)) if (def.owners.get(t.key) === id) def.owners.delete(t.key);
      for (const t of def.tuples(after)) def.owners.set(t.key, id);
    }
    for (const { index } of this.fields.values()) index.replace(id, before, after);
    for (const { index } of this.partialFields.values()) index.replace(id, before, after);
  }

  removeDoc(id: string, doc: Document): void {
    for (const def of this.defs.values()) {
      if (!def.owners) continue;
      for (const t of def.tuples(doc)) if (def.owners.get(t.key) === id) def.owners.delete(t.key);
    }
    for (const { index } of this.fields.values()) index.remove(id, doc);
    for (const { index } of this.partialFields.values()) index.remove(id, doc);
  }

  /** The E11000 error for `_id`. */
  duplicateId(idValue: unknown): CommandError {
    return this.duplicate({ spec: { key: { _id: 1 }, name: '_id_' }, fields: ['_id'] } as unknown as IndexDef, [idValue]);
  }

  private claim(def: IndexDef, id: string, doc: Document): void {
    for (const t of def.tuples(doc)) {
      const owner = def.owners!.get(t.key);
      if (owner !== undefined && owner !== id) throw this.duplicate(def, t.values);
      def.owners!.set(t.key, id);
    }
  }

  private duplicate(def: IndexDef, values: unknown[]): CommandError {
    const keyValue: Document = {};
    def.fields.forEach((f, i) => (keyValue[f] = values[i] ?? null));
    const shown = def.fields.map((f, i) => `${f}: ${JSON.stringify(values[i] ?? null)}`).join(', ');
    return new CommandError(Codes.DuplicateKey, `E11000 duplicate key error collection: ${this.ns} index: ${def.spec.name} dup key: { ${shown} }`, {
      extra: { keyPattern: def.spec.key, keyValue },
    });
  }
}

/**
 * The key fields of a partial index its filter requires a value of (`{f: {$type: …}}`,
 * `{f: {$exists: true}}`, at the top of the filter): the documents in the index all have one, so
 * a lookup structure of just the documents with a value there costs what the partial index does.
 */
function filteredFields(def: IndexDef): string[] {
  const filter = def.spec.partialFilterExpression ?? {};
  return def.fields.filter((f) => {
    const cond = (filter as Record<string, unknown>)[f];
    if (!cond || typeof cond !== 'object' || Array.isArray(cond)) return false;
    const c = cond as Record<string, unknown>;
    return '$type' in c || c.$exists === true;
  });
}
