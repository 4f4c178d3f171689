/**
 * Serialise a stored document once. The journal has to write every new document version as BSON
 * (`records.ts`); the bytes it made are kept here, by document object, for the replies that send
 * the same version back (`find` by id of the case a step just saved, `findAndModify`'s value):
 * `serializeSpliced` copies them into the reply instead of serialising the document again, and
 * `sizeOf` answers its BSON size without walking it (cursor batches, the 16 MB check of updates).
 *
 * Stored documents are never mutated, so bytes made from one stay its bytes. The cache is an LRU
 * bounded in bytes (32 MB): the hot documents — the ones just written — are in it, the rest are
 * serialised as before. Bytes enter only from `BSON.serialize` of the document itself, never from
 * what a client sent (re-serialising a document the wire decoded may change numeric types), so a
 * reply is byte for byte what `BSON.serialize` of the same reply would give.
 */
import { BSON, type Document } from 'bson';
import { isPlainDoc } from './keys';

const MAX_BYTES = 32 * 1024 * 1024;
/** Documents smaller than this are cheap to serialise: not worth an entry. */
const MIN_BYTES = 512;

const cache = new Map<Document, Uint8Array>();
let cachedBytes = 0;
let hits = 0;
let misses = 0;

/** Remembers `bytes` as the BSON of `doc` (which must never be mutated afterwards). */
export function rememberBytes(doc: Document, bytes: Uint8Array): void {
  if (bytes.length < MIN_BYTES || bytes.length > MAX_BYTES / 8 || cache.has(doc)) return;
  cache.set(doc, bytes);
  cachedBytes += bytes.length;
  while (cachedBytes > MAX_BYTES) {
    const [oldest, b] = cache.entries().next().value!;
    cache.delete(oldest);
    cachedBytes -= b.length;
  }
}

/** The BSON of `doc` if it is cached (and marks it recently used). */
export function bytesOf(doc: Document): Uint8Array | undefined {
  const b = cache.get(doc);
  if (b) {
    cache.delete(doc);
    cache.set(doc, b);
    hits++;
  } else misses++;
  return b;
}

/** The cached BSON of `doc`, without marking it used. */
export function peekBytes(doc: Document): Uint8Array | undefined {
  return cache.get(doc);
}

/** Drops `doc`'s entry (it is being frozen: its version keeps the bytes). */
export function forgetBytes(doc: Document): void {
  const b = cache.get(doc);
  if (!b) return;
  cache.delete(doc);
  cachedBytes -= b.length;
}

/** BSON size of `doc`: its cached bytes' length, or computed. */
export function sizeOf(doc: Document): number {
  return cache.get(doc)?.length ?? BSON.calculateObjectSize(doc);
}

/** `doc` serialised, its bytes remembered for replies. */
export function serializeStored(doc: Document): Uint8Array {
  const cached = cache.get(doc);
  if (cached) return cached;
  const bytes = BSON.serialize(doc);
  rememberBytes(doc, bytes);
  return bytes;
}

/** Entries, bytes and how often a reply found its document's bytes (tests, serverStatus). */
export function bytesCacheStats(): { entries: number; bytes: number; hits: number; misses: number } {
  return { entries: cache.size, bytes: cachedBytes, hits, misses };
}

/** Empties the cache (tests). */
export function clearBytesCache(): void {
  cache.clear();
  cachedBytes = 0;
  hits = 0;
  misses = 0;
}

/** How deep `serializeSpliced` looks for cached documents: reply → cursor → firstBatch → document. */
const MAX_DEPTH = 3;

function hasCached(v: unknown, depth: number): boolean {
  if (depth > MAX_DEPTH || v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) {
    for (const x of v) if (x !== null && typeof x === 'object' && (cache.has(x as Document) || hasCached(x, depth + 1))) return true;
    return false;
  }
  if (!isPlainDoc(v)) return false;
  for (const k in v) {
    const x = v[k];
    if (x !== null && typeof x === 'object' && (cache.has(x as Document) || hasCached(x, depth + 1))) return true;
  }
  return false;
}

/**
 * `BSON.serialize(doc)`, with every embedded document whose bytes are cached (down to three
 * levels: a cursor's batch, findAndModify's value) copied from the cache instead of serialised.
 * The result is the same bytes.
 */
export function serializeSpliced(doc: Document): Uint8Array {
  if (!hasCached(doc, 0)) return BSON.serialize(doc);
  const parts: Uint8Array[] = [];
  writeDoc(doc, parts, 0);
  return Buffer.concat(parts);
}

const TYPE_DOC = 0x03;
const TYPE_ARRAY = 0x04;

/** Appends the BSON of `doc` (or an array, its keys "0", "1", …) to `parts`. */
function writeDoc(doc: Document | unknown[], parts: Uint8Array[], depth: number): void {
  const head = Buffer.alloc(4);
  parts.push(head);
  const start = parts.length;
  const entries: [string, unknown][] = Array.isArray(doc) ? doc.map((v, i) => [String(i), v]) : Object.entries(doc);
  for (const [k, v] of entries) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && isPlainDoc(v)) {
      const raw = bytesOf(v);
      if (raw) {
        parts.push(elementHead(TYPE_DOC, k), raw);
        continue;
      }
    }
    if (depth < MAX_DEPTH && v !== null && typeof v === 'object' && (Array.isArray(v) || isPlainDoc(v)) && hasCached(v, depth + 1)) {
      parts.push(elementHead(Array.isArray(v) ? TYPE_ARRAY : TYPE_DOC, k));
      writeDoc(v as Document, parts, depth + 1);
      continue;
    }
    // any other value: BSON's own encoding of the one-field document {k: v}, without its frame
    const one = BSON.serialize({ [k]: v });
    parts.push(one.subarray(4, one.length - 1));
  }
  parts.push(Buffer.from([0]));
  let length = 0;
  for (let i = start; i < parts.length; i++) length += parts[i]!.length;
  head.writeInt32LE(length + 4, 0);
}

function elementHead(type: number, key: string): Buffer {
  if (key.includes('\0')) throw new Error(`key ${JSON.stringify(key)} must not contain null bytes`);
  const name = Buffer.from(key, 'utf8');
  const out = Buffer.alloc(name.length + 2);
  out[0] = type;
  name.copy(out, 1);
  out[name.length + 1] = 0;
  return out;
}
