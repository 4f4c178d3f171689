/**
 * BPMN error propagation: from the failing activity (or the scope of an error end event)
 * outwards through the enclosing sub-processes to the first error boundary event that
 * matches the code (or catches all). The catching activity is cancelled with everything in it.
 */
import type { Token } from '../types';
import type { Run } from './run';

/**
 * Throws error `code` from `from`; `atActivity` when `from` rests on the failing activity itself.
 * @returns false when nothing catches it (the caller raises an incident).
 */
export function throwError(run: Run, from: Token, code: string | undefined, atActivity: boolean): boolean {
  let host = atActivity ? from : run.ownerOf(from.scope);
  while (host) {
    const boundary = (run.el(host.element).boundaries ?? [])
      .map((id) => run.el(id))
      .find((b) => b.event?.kind === 'error' && (!b.event.errorCode || b.event.errorCode === code));
    if (boundary) {
      run.cancel(host);
      const tok = run.newToken(boundary.id, host.scope);
      run.log(boundary.id, 'error', code ? { o: code } : {});
      run.leave(tok, boundary);
      return true;
    }
    host = run.ownerOf(host.scope);
  }
  return false;
}
