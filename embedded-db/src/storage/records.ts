/**
 * Record framing shared by the journal and snapshots: `[u32 length][u32 crc32][payload]`,
 * little-endian, the payload a run of BSON documents. A record whose length runs past the end
 * of the file or whose checksum does not match is a torn write: reading stops there and
 * reports the offset, so the tail can be cut off and never replayed half.
 */
import { crc32 } from 'node:zlib';
import { BSON, type Document } from 'bson';
import { bytesOf, serializeStored } from './bson-bytes';
import { isPlainDoc } from './keys';

const HEADER = 8;
/** Refuse absurd lengths from a corrupt header instead of allocating them. */
const MAX_RECORD = 1 << 30;

/**
 * Frames `docs` as one record. A document carried in a doc's `d` (a journal op's new version,
 * a snapshot's document) is serialised once through `bson-bytes.ts`: a journal op's bytes are
 * kept for the replies that send that version back, cached bytes are reused. The bytes written
 * are `BSON.serialize` of each doc, with `d` moved last (fields are read by name).
 */
export function encodeRecord(docs: Document[]): Buffer {
  const parts = docs.map(encodeDoc);
  const payload = Buffer.concat(parts);
  const header = Buffer.alloc(HEADER);
  header.writeUInt32LE(payload.length, 0);
  header.writeUInt32LE(crc32(payload), 4);
  return Buffer.concat([header, payload]);
}

function encodeDoc(doc: Document): Uint8Array {
  const d = doc.d;
  if (!isPlainDoc(d)) return BSON.serialize(doc);
  const { d: _d, ...rest } = doc;
  const inner = doc.o === 'put' ? serializeStored(d) : (bytesOf(d) ?? BSON.serialize(d));
  return withDocD(BSON.serialize(rest), inner);
}

/** The BSON document `head` (serialised) with a last field `d`: the embedded document whose bytes are `d`. */
export function withDocD(head: Uint8Array, d: Uint8Array): Buffer {
  // a self-check of the cached or frozen bytes (O(1)): a snapshot or journal record must never hold a malformed document
  const declared = d.length >= 4 ? d[0]! | (d[1]! << 8) | (d[2]! << 16) | (d[3]! << 24) : -1;
  if (d.length < 5 || declared !== d.length || d[d.length - 1] !== 0) throw new Error(`malformed BSON document bytes: ${d.length} bytes, length field ${declared}`);
  const out = Buffer.allocUnsafe(head.length + 3 + d.length);
  out.set(head.subarray(0, head.length - 1), 0);
  let pos = head.length - 1;
  out[pos++] = 0x03; // embedded document "d"
  out[pos++] = 0x64;
  out[pos++] = 0;
  out.set(d, pos);
  pos += d.length;
  out[pos++] = 0;
  out.writeInt32LE(pos, 0);
  return out;
}

export interface ReadResult {
  records: Document[][];
  /** Bytes of whole, valid records from the start of the buffer. */
  validLength: number;
  /** True when bytes after `validLength` were dropped (torn or corrupt tail). */
  torn: boolean;
}

/** Reads every whole record of `buf`, stopping at the first torn or corrupt one. */
export function decodeRecords(buf: Buffer): ReadResult {
  const records: Document[][] = [];
  let pos = 0;
  while (pos < buf.length) {
    if (buf.length - pos < HEADER) break;
    const len = buf.readUInt32LE(pos);
    const sum = buf.readUInt32LE(pos + 4);
    if (len > MAX_RECORD || pos + HEADER + len > buf.length) break;
    const payload = buf.subarray(pos + HEADER, pos + HEADER + len);
    if (crc32(payload) !== sum) break;
    const docs = splitDocs(payload);
    if (!docs) break;
    records.push(docs);
    pos += HEADER + len;
  }
  return { records, validLength: pos, torn: pos < buf.length };
}

function splitDocs(payload: Buffer): Document[] | null {
  const docs: Document[] = [];
  let p = 0;
  try {
    while (p < payload.length) {
      const size = payload.readInt32LE(p);
      if (size < 5 || p + size > payload.length) return null;
      docs.push(BSON.deserialize(payload.subarray(p, p + size)));
      p += size;
    }
  } catch {
    return null;
  }
  return docs;
}
