/**
 * Evidence of whether the process named in a data-directory lock still holds it (used by
 * `lockfile.ts`). A pid alone is poor evidence: a SIGKILLed holder stays a zombie until its
 * parent reaps it (never, where PID 1 does not reap orphans), and after a crash the pid may
 * belong to someone else. So we also look at the process itself (Linux `/proc`: zombie state,
 * start time, boot id) and, above all, ask the holder's advertised URI whether this very data
 * directory is served there (`hello` answers the directory's id).
 */
import fs from 'node:fs';
import net from 'node:net';
import { BSON } from 'bson';

/** How a process looks in `/proc`; undefined where `/proc` is absent (non-Linux) or unreadable. */
export interface ProcInfo {
  /** Field 3 of /proc/<pid>/stat: R, S, D, … — 'Z' zombie, 'X' dead. */
  state: string;
  /** Field 22 of /proc/<pid>/stat: start time in clock ticks since boot. */
  startTicks: string;
}

/** Reads the state and start time of `pid` from `/proc` (undefined when not available). */
export function procInfo(pid: number | 'self'): ProcInfo | undefined {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may itself contain spaces or ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const startTicks = fields[19];
  if (!state || !startTicks || !/^\d+$/.test(startTicks)) return undefined;
  return { state, startTicks };
}

/** The kernel's id of this boot (Linux); a lock from an earlier boot is stale whatever its pid. */
export function bootId(): string | undefined {
  try {
    return fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Whether a process with this pid exists at all (a zombie does, to `kill(pid, 0)`). */
export function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * What answered at a URI: `this` — a Lianban embedded database serving the data directory with
 * `dirId`; `other` — something else (another directory, not the wire protocol); `nothing` —
 * connection refused or reset. Not proof either way: `silent` — no answer in time (a live holder
 * busy with a long synchronous step, e.g. writing a snapshot); `unidentified` — a wire-protocol
 * reply without a directory id (an older version of this server, or a real mongod).
 */
export type ProbeResult = 'this' | 'other' | 'nothing' | 'silent' | 'unidentified';

/** Field of the `hello` reply that carries the data directory's id. */
export const DATA_DIR_ID_FIELD = 'lianbanDataDirId';

const OP_MSG = 2013;

/** Sends `hello` to the server of a `mongodb://host:port/…` URI and classifies the answer. */
export function probeHolder(uri: string, dirId: string, timeoutMs = 2000): Promise<ProbeResult> {
  let host: string;
  let port: number;
  try {
    const url = new URL(uri);
    host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    port = Number(url.port || 27017);
  } catch {
    return Promise.resolve('nothing');
  }
  return new Promise((resolve) => {
    let answered = false;
    let buf = Buffer.alloc(0);
    const done = (result: ProbeResult) => {
      if (answered) return;
      answered = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const socket = net.connect({ host, port });
    const timer = setTimeout(() => done('silent'), timeoutMs);
    socket.on('connect', () => socket.write(helloMessage()));
    socket.on('error', () => done('nothing'));
    socket.on('close', () => done(buf.length ? 'other' : 'nothing'));
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length < 4) return;
      const length = buf.readInt32LE(0);
      if (length < 21 || length > 16 * 1024 * 1024) return done('other');
      if (buf.length < length) return;
      const id = replyDirId(buf.subarray(0, length));
      done(id === dirId ? 'this' : id === null ? 'unidentified' : 'other');
    });
  });
}

function helloMessage(): Buffer {
  const body = BSON.serialize({ hello: 1, $db: 'admin' });
  const head = Buffer.alloc(21);
  head.writeInt32LE(21 + body.length, 0);
  head.writeInt32LE(1, 4); // requestId
  head.writeInt32LE(0, 8); // responseTo
  head.writeInt32LE(OP_MSG, 12);
  head.writeUInt32LE(0, 16); // flags
  head[20] = 0; // body section
  return Buffer.concat([head, body]);
}

/** The data directory id in an OP_MSG `hello` reply; null for a reply without one, undefined for no reply at all. */
function replyDirId(msg: Buffer): unknown {
  if (msg.readInt32LE(12) !== OP_MSG || msg[20] !== 0) return undefined;
  try {
    const reply = BSON.deserialize(msg.subarray(21, 21 + msg.readInt32LE(21)));
    if (reply.ok !== 1 || !('maxWireVersion' in reply)) return undefined;
    return reply[DATA_DIR_ID_FIELD] ?? null;
  } catch {
    return undefined;
  }
}
