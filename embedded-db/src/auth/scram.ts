/**
 * The server side of SCRAM-SHA-256 (RFC 5802, RFC 7677) as MongoDB runs it over `saslStart` /
 * `saslContinue` (and `hello.speculativeAuthenticate`): the client proves it knows the password
 * without sending it; the server proves it knows the password's keys in return. The keys are
 * derived once per start from the credentials with a fresh salt; a conversation lives on its
 * connection (`ConnectionAuth`).
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { Binary, type Document } from 'bson';
import { CommandError, Codes } from '../errors';
import type { Credentials } from './credentials';

export const MECHANISM = 'SCRAM-SHA-256';
/** mongod's default scramSHA256IterationCount. */
export const ITERATIONS = 15_000;

/** One connection's authentication state. */
export interface ConnectionAuth {
  /** The authenticated user, once a conversation succeeded. */
  user?: string;
  conversation?: Conversation;
}

interface Conversation {
  id: number;
  user: string;
  gs2Header: string;
  clientFirstBare: string;
  serverFirst: string;
  nonce: string;
  /** The client asked to finish with the server's signature (`options.skipEmptyExchange`). */
  skipEmptyExchange: boolean;
  /** The proof was checked; an empty saslContinue finishes (clients without skipEmptyExchange). */
  verified: boolean;
}

function authFailed(): CommandError {
  return new CommandError(Codes.AuthenticationFailed, 'Authentication failed.');
}

function payloadText(payload: unknown): string {
  if (payload instanceof Binary) return Buffer.from(payload.buffer.subarray(0, payload.position)).toString('utf8');
  if (payload instanceof Uint8Array) return Buffer.from(payload).toString('utf8');
  if (typeof payload === 'string') return payload;
  throw new CommandError(Codes.ProtocolError, 'SASL payload must be BinData or a string');
}

/** `a=1,b=2` → {a:'1', b:'2'} (values may contain '='). */
function attributes(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of text.split(',')) {
    const m = /^([a-zA-Z])=(.*)$/s.exec(part);
    if (m) out.set(m[1]!, m[2]!);
  }
  return out;
}

const hmac = (key: Buffer, text: string) => createHmac('sha256', key).update(text, 'utf8').digest();

export class ScramServer {
  private readonly salt = randomBytes(28);
  private readonly storedKey: Buffer;
  private readonly serverKey: Buffer;
  private nextConversation = 1;

  constructor(private readonly creds: Credentials) {
    // The client applies SASLprep to the password; the generated ASCII key is its own SASLprep form.
    const salted = pbkdf2Sync(Buffer.from(creds.password, 'utf8'), this.salt, ITERATIONS, 32, 'sha256');
    this.storedKey = createHash('sha256').update(hmac(salted, 'Client Key')).digest();
    this.serverKey = hmac(salted, 'Server Key');
  }

  /**
   * `hello.saslSupportedMechs: "<db>.<user>"` → the user's mechanisms. The one mechanism for any
   * name, so that a stranger is refused as AuthenticationFailed, telling nothing about who exists.
   */
  mechanismsFor(_userInDb: unknown): string[] {
    return [MECHANISM];
  }

  /** saslStart: the client's first message → the server's first message. */
  start(auth: ConnectionAuth, db: string, mechanism: unknown, payload: unknown, skipEmptyExchange: boolean): Document {
    auth.conversation = undefined;
    if (mechanism !== MECHANISM) {
      throw new CommandError(Codes.MechanismUnavailable, `Received authentication for mechanism ${String(mechanism)} which is not enabled; this server supports ${MECHANISM} only`);
    }
    const text = payloadText(payload);
    // gs2-header: no channel binding ("n") or "client supports it but thinks the server does not" ("y"); no authzid.
    const m = /^([ny]),,(.*)$/s.exec(text);
    if (!m) throw new CommandError(Codes.ProtocolError, 'SCRAM: unsupported gs2 header (channel binding and authzid are not supported)');
    const clientFirstBare = m[2]!;
    if (clientFirstBare.startsWith('m=')) throw new CommandError(Codes.ProtocolError, 'SCRAM: mandatory extensions are not supported');
    const attrs = attributes(clientFirstBare);
    const rawUser = attrs.get('n');
    const clientNonce = attrs.get('r');
    if (rawUser === undefined || !clientNonce || /[^\x21-\x7e]|,/.test(clientNonce)) throw new CommandError(Codes.ProtocolError, 'SCRAM: malformed client-first message');
    const user = rawUser.replace(/=2C/g, ',').replace(/=3D/g, '=');
    if (db !== 'admin' || user !== this.creds.user) throw authFailed();
    const nonce = clientNonce + randomBytes(24).toString('base64');
    const serverFirst = `r=${nonce},s=${this.salt.toString('base64')},i=${ITERATIONS}`;
    const id = this.nextConversation++;
    auth.conversation = { id, user, gs2Header: `${m[1]},,`, clientFirstBare, serverFirst, nonce, skipEmptyExchange, verified: false };
    return { conversationId: id, done: false, payload: new Binary(Buffer.from(serverFirst, 'utf8')), ok: 1 };
  }

  /** saslContinue: the client's final message (its proof) → the server's signature; or the empty closing step. */
  continue(auth: ConnectionAuth, conversationId: unknown, payload: unknown): Document {
    const conv = auth.conversation;
    if (!conv || Number(conversationId) !== conv.id) {
      auth.conversation = undefined;
      throw new CommandError(Codes.ProtocolError, 'No SASL session state found');
    }
    const text = payloadText(payload);
    if (conv.verified) {
      auth.conversation = undefined;
      if (text !== '') throw authFailed();
      return { conversationId: conv.id, done: true, payload: new Binary(Buffer.alloc(0)), ok: 1 };
    }
    const proofAt = text.lastIndexOf(',p=');
    if (proofAt < 0) return this.fail(auth);
    const withoutProof = text.slice(0, proofAt);
    const attrs = attributes(withoutProof);
    const proof = Buffer.from(text.slice(proofAt + 3), 'base64');
    if (attrs.get('c') !== Buffer.from(conv.gs2Header, 'utf8').toString('base64') || attrs.get('r') !== conv.nonce || proof.length !== 32) return this.fail(auth);
    const authMessage = `${conv.clientFirstBare},${conv.serverFirst},${withoutProof}`;
    const clientSignature = hmac(this.storedKey, authMessage);
    const clientKey = Buffer.alloc(32);
    for (let i = 0; i < 32; i++) clientKey[i] = proof[i]! ^ clientSignature[i]!;
    if (!timingSafeEqual(createHash('sha256').update(clientKey).digest(), this.storedKey)) return this.fail(auth);
    auth.user = conv.user;
    const serverFinal = `v=${hmac(this.serverKey, authMessage).toString('base64')}`;
    if (conv.skipEmptyExchange) auth.conversation = undefined;
    else conv.verified = true;
    return { conversationId: conv.id, done: conv.skipEmptyExchange, payload: new Binary(Buffer.from(serverFinal, 'utf8')), ok: 1 };
  }

  private fail(auth: ConnectionAuth): never {
    auth.conversation = undefined;
    throw authFailed();
  }
}
