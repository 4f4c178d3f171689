/**
 * One client socket: cuts the byte stream into messages, runs them one at a time in order,
 * and writes the replies. A malformed or oversized message closes this connection only —
 * never the server, never the journal (nothing of a bad message is ever applied).
 */
import type net from 'node:net';
import type { Document } from 'bson';
import type { ConnectionAuth } from '../auth/scram';
import type { CommandStats } from '../stats';
import { MAX_MESSAGE_BYTES, ProtocolError, encodeReply, parseMessage, type Request } from './protocol';

/** Runs one parsed command and returns its reply document. */
export type CommandRunner = (req: Request, conn: ConnectionInfo) => Promise<Document>;

export interface ConnectionInfo {
  id: number;
  remote: string;
  /** Who this connection authenticated as, and its SCRAM conversation in progress. */
  auth: ConnectionAuth;
}

export function serveConnection(socket: net.Socket, info: ConnectionInfo, run: CommandRunner, onProblem: (msg: string) => void, stats?: CommandStats): void {
  let buffered: Buffer[] = [];
  let bufferedBytes = 0;
  let busy = false;
  let closed = false;
  socket.setNoDelay(true);

  const fail = (why: string) => {
    if (closed) return;
    closed = true;
    onProblem(`connection ${info.id} (${info.remote}) closed: ${why}`);
    socket.destroy();
  };

  /** Length of the next message, read from its header without copying the buffered data. */
  const peekLength = (): number | null => {
    if (bufferedBytes < 4) return null;
    if (buffered[0]!.length < 4) buffered = [Buffer.concat(buffered)];
    const length = buffered[0]!.readInt32LE(0);
    if (length < 16 || length > MAX_MESSAGE_BYTES) throw new ProtocolError(`message length ${length} outside 16..${MAX_MESSAGE_BYTES}`);
    return length;
  };

  const nextMessage = (): Buffer | null => {
    const length = peekLength();
    if (length === null || bufferedBytes < length) return null;
    const all = buffered.length === 1 ? buffered[0]! : Buffer.concat(buffered);
    const msg = all.subarray(0, length);
    const rest = all.subarray(length);
    buffered = rest.length ? [rest] : [];
    bufferedBytes = rest.length;
    return msg;
  };

  const pump = async () => {
    if (busy) return;
    busy = true;
    try {
      for (let msg = nextMessage(); msg && !closed; msg = nextMessage()) {
        let req: Request;
        const t0 = performance.now();
        try {
          req = parseMessage(msg);
        } catch (err) {
          throw err instanceof ProtocolError ? err : new ProtocolError(`malformed message: ${(err as Error).message}`);
        }
        stats?.add('(wire: decode)', performance.now() - t0);
        const reply = await run(req, info);
        const t1 = performance.now();
        if (!req.noReply && !closed) socket.write(encodeOrFail(req, reply));
        stats?.add('(wire: encode + write)', performance.now() - t1);
      }
    } catch (err) {
      fail(err instanceof ProtocolError ? err.message : `internal error: ${(err as Error).stack ?? err}`);
    } finally {
      busy = false;
    }
  };

  socket.on('data', (chunk: Buffer) => {
    if (closed) return;
    buffered.push(chunk);
    bufferedBytes += chunk.length;
    try {
      peekLength(); // refuse an oversized message before buffering all of it
    } catch (err) {
      return fail((err as Error).message);
    }
    void pump();
  });
  socket.on('error', () => (closed = true));
  socket.on('close', () => (closed = true));
}

/** Encodes the reply; a reply too large for BSON becomes an error reply instead of a dead connection. */
function encodeOrFail(req: Request, reply: Document): Buffer {
  try {
    return encodeReply(req, reply);
  } catch (err) {
    return encodeReply(req, { ok: 0, code: 10334, codeName: 'BSONObjectTooLarge', errmsg: `reply cannot be encoded: ${(err as Error).message}` });
  }
}
