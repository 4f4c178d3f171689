/**
 * MongoDB wire protocol messages (https://www.mongodb.com/docs/manual/reference/mongodb-wire-protocol/):
 * the 16-byte header, OP_MSG (body section, document sequences, optional CRC-32C checksum,
 * moreToCome) and the legacy OP_QUERY / OP_REPLY pair drivers and mongosh use for the first
 * handshake. Parsing is strict: anything malformed throws a `ProtocolError`, and the connection
 * that sent it is closed.
 */
import { BSON, Long, type Document } from 'bson';
import { serializeSpliced } from '../storage/bson-bytes';
import { crc32c } from './crc32c';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_COMPRESSED = 2012;
export const OP_MSG = 2013;

const CHECKSUM_PRESENT = 1 << 0;
const MORE_TO_COME = 1 << 1;
const EXHAUST_ALLOWED = 1 << 16;
/** Flag bits 0-15 are required-to-understand: unknown ones there must fail. */
const KNOWN_REQUIRED = CHECKSUM_PRESENT | MORE_TO_COME;

/** The largest message we accept or announce (maxMessageSizeBytes). */
export const MAX_MESSAGE_BYTES = 48_000_000;
export const MAX_BSON_BYTES = 16 * 1024 * 1024;

export class ProtocolError extends Error {}

export interface Header {
  length: number;
  requestId: number;
  responseTo: number;
  opCode: number;
}

export interface Request {
  header: Header;
  kind: 'msg' | 'query';
  /** The command, with document-sequence sections merged in as arrays. */
  command: Document;
  /** OP_QUERY: the target database from `db.$cmd`. OP_MSG: from `$db`. */
  db: string;
  /** OP_MSG moreToCome: the client wants no reply. */
  noReply: boolean;
}

export function readHeader(buf: Buffer): Header {
  return { length: buf.readInt32LE(0), requestId: buf.readInt32LE(4), responseTo: buf.readInt32LE(8), opCode: buf.readInt32LE(12) };
}

const bsonOptions = { validation: { utf8: false } } as const;

/** Parses one whole message (header included). */
export function parseMessage(msg: Buffer): Request {
  const header = readHeader(msg);
  if (header.opCode === OP_MSG) return parseOpMsg(header, msg);
  if (header.opCode === OP_QUERY) return parseOpQuery(header, msg);
  if (header.opCode === OP_COMPRESSED) throw new ProtocolError('OP_COMPRESSED received although no compression was negotiated');
  throw new ProtocolError(`unsupported opCode ${header.opCode}`);
}

function parseOpMsg(header: Header, msg: Buffer): Request {
  if (msg.length < 21) throw new ProtocolError('OP_MSG too short');
  const flags = msg.readUInt32LE(16);
  if (flags & 0xffff & ~KNOWN_REQUIRED) throw new ProtocolError(`OP_MSG has unknown required flag bits 0x${(flags & 0xffff).toString(16)}`);
  let end = msg.length;
  if (flags & CHECKSUM_PRESENT) {
    end -= 4;
    if (end < 21) throw new ProtocolError('OP_MSG too short for its checksum');
    if (crc32c(msg.subarray(0, end)) !== msg.readUInt32LE(end)) throw new ProtocolError('OP_MSG checksum mismatch');
  }
  let pos = 20;
  let body: Document | null = null;
  const sequences: [string, Document[]][] = [];
  while (pos < end) {
    const kind = msg[pos++];
    if (kind === 0) {
      const size = docSize(msg, pos, end);
      if (body) throw new ProtocolError('OP_MSG has two body sections');
      body = BSON.deserialize(msg.subarray(pos, pos + size), bsonOptions);
      pos += size;
    } else if (kind === 1) {
      if (pos + 4 > end) throw new ProtocolError('truncated document sequence');
      const size = msg.readInt32LE(pos);
      const seqEnd = pos + size;
      if (size < 5 || seqEnd > end) throw new ProtocolError('bad document sequence size');
      const nul = msg.indexOf(0, pos + 4);
      if (nul < 0 || nul >= seqEnd) throw new ProtocolError('unterminated document sequence identifier');
      const id = msg.toString('utf8', pos + 4, nul);
      const docs: Document[] = [];
      let p = nul + 1;
      while (p < seqEnd) {
        const s = docSize(msg, p, seqEnd);
        docs.push(BSON.deserialize(msg.subarray(p, p + s), bsonOptions));
        p += s;
      }
      sequences.push([id, docs]);
      pos = seqEnd;
    } else {
      throw new ProtocolError(`unknown OP_MSG section kind ${kind}`);
    }
  }
  if (!body) throw new ProtocolError('OP_MSG without a body section');
  for (const [id, docs] of sequences) {
    if (id in body) throw new ProtocolError(`document sequence "${id}" duplicates a body field`);
    body[id] = docs;
  }
  const db = body.$db;
  if (typeof db !== 'string' || !db) throw new ProtocolError('OP_MSG command without $db');
  return { header, kind: 'msg', command: body, db, noReply: (flags & MORE_TO_COME) !== 0 };
}

function parseOpQuery(header: Header, msg: Buffer): Request {
  const nul = msg.indexOf(0, 20);
  if (nul < 0) throw new ProtocolError('OP_QUERY without collection name');
  const fullName = msg.toString('utf8', 20, nul);
  const pos = nul + 1 + 8; // numberToSkip, numberToReturn
  const size = docSize(msg, pos, msg.length);
  // An optional returnFieldsSelector may follow; commands never need it.
  let command = BSON.deserialize(msg.subarray(pos, pos + size), bsonOptions);
  if (!fullName.endsWith('.$cmd')) throw new ProtocolError(`OP_QUERY is only supported for commands, not on ${fullName}`);
  // Legacy wrapped form: {$query: {...}, $readPreference: ...}
  if (command.$query && typeof command.$query === 'object') command = command.$query;
  return { header, kind: 'query', command, db: fullName.slice(0, -5), noReply: false };
}

function docSize(buf: Buffer, pos: number, end: number): number {
  if (pos + 5 > end) throw new ProtocolError('truncated BSON document');
  const size = buf.readInt32LE(pos);
  if (size < 5 || pos + size > end || buf[pos + size - 1] !== 0) throw new ProtocolError('bad BSON document size');
  return size;
}

let nextRequestId = 1;

/** The reply to `req` in the form it was asked in. */
export function encodeReply(req: Request, reply: Document): Buffer {
  // stored documents the journal serialised are copied in, not serialised again (storage/bson-bytes.ts)
  const body = serializeSpliced(reply);
  const responseTo = req.header.requestId;
  if (req.kind === 'query') {
    const head = Buffer.alloc(36);
    head.writeInt32LE(36 + body.length, 0);
    head.writeInt32LE(nextRequestId++, 4);
    head.writeInt32LE(responseTo, 8);
    head.writeInt32LE(OP_REPLY, 12);
    head.writeInt32LE(0, 16); // responseFlags
    head.writeBigInt64LE(Long.ZERO.toBigInt(), 20); // cursorID
    head.writeInt32LE(0, 28); // startingFrom
    head.writeInt32LE(1, 32); // numberReturned
    return Buffer.concat([head, body]);
  }
  const head = Buffer.alloc(21);
  head.writeInt32LE(21 + body.length, 0);
  head.writeInt32LE(nextRequestId++, 4);
  head.writeInt32LE(responseTo, 8);
  head.writeInt32LE(OP_MSG, 12);
  head.writeUInt32LE(0, 16); // flags: no checksum, no moreToCome (we never stream replies)
  head[20] = 0; // body section
  return Buffer.concat([head, body]);
}

/** Whether the client allowed exhaust replies (we answer normally either way). */
export function exhaustAllowed(msg: Buffer): boolean {
  return (msg.readUInt32LE(16) & EXHAUST_ALLOWED) !== 0;
}
