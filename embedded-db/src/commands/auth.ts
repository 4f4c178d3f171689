/**
 * Authentication: `saslStart` / `saslContinue` with SCRAM-SHA-256 (auth/scram.ts). Until a
 * connection has authenticated, the engine refuses every command not marked `noAuth` with
 * Unauthorized (13), as mongod with access control does.
 */
import type { Document } from 'bson';
import type { CommandSpec, Ctx } from './context';

function skipEmptyExchange(cmd: Document): boolean {
  const options = cmd.options as Document | undefined;
  return Boolean(options && typeof options === 'object' && options.skipEmptyExchange);
}

/** `hello.speculativeAuthenticate`: the saslStart reply to embed in the hello reply, or nothing (the client then runs saslStart itself). */
export function speculativeAuthenticate(ctx: Ctx): Document | undefined {
  const spec = ctx.cmd.speculativeAuthenticate as Document | undefined;
  if (!spec || typeof spec !== 'object' || spec.saslStart === undefined) return undefined;
  try {
    const { ok: _ok, ...reply } = ctx.server.scram.start(ctx.conn.auth, String(spec.db ?? ctx.db), spec.mechanism, spec.payload, skipEmptyExchange(spec));
    return reply;
  } catch {
    return undefined;
  }
}

export const authCommands: Record<string, CommandSpec> = {
  saslStart: { noAuth: true, run: (ctx) => ctx.server.scram.start(ctx.conn.auth, ctx.db, ctx.cmd.mechanism, ctx.cmd.payload, skipEmptyExchange(ctx.cmd)) },
  saslContinue: { noAuth: true, run: (ctx) => ctx.server.scram.continue(ctx.conn.auth, ctx.cmd.conversationId, ctx.cmd.payload) },
};
