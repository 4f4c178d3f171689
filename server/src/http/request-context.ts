/**
 * The request id: taken from a well-formed `X-Request-Id` header (a proxy's) or made here, sent
 * back in the answer's `X-Request-Id`, and kept for the duration of the request in an
 * AsyncLocalStorage so the audit records and log lines written while handling it carry it
 * without every service passing it along.
 *
 *   app.use(requestContext);            // early, before anything that logs or audits
 *   currentRequestId();                 // → 'c0a8…' inside a request, undefined outside
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { Context, Next } from 'koa';

interface RequestScope { requestId: string }

const storage = new AsyncLocalStorage<RequestScope>();

/** Ids a client or proxy may hand us: short, no spaces or control characters (they end up in logs). */
const ACCEPTED_ID = /^[A-Za-z0-9._:-]{8,64}$/;

/** The id of the request being handled, if any. */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/** Koa middleware: gives the request its id and runs the rest of the chain inside its scope. */
export async function requestContext(ctx: Context, next: Next): Promise<void> {
  const given = ctx.get('X-Request-Id');
  const requestId = ACCEPTED_ID.test(given) ? given : randomUUID();
  ctx.state.requestId = requestId;
  ctx.set('X-Request-Id', requestId);
  await storage.run({ requestId }, next);
}
