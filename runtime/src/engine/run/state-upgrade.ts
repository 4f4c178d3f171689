/**
 * Stored flow states live for years inside case documents, so the engine reads every shape it
 * ever wrote. Version 1 (`format: 1`) used short keys to save bytes; version 2 spells them out:
 *
 *   token  { el, sc, st }        → { element, scope, resting }
 *   scope  { el, tok }           → { element, token }
 *   wait   { tok, el, k, g }     → { token, element, kind, groups }
 *
 * History entries and incidents keep their keys (`el`, `ev`, `o`, `w`): the server reads them.
 * Every engine operation upgrades the state it is given, so a case stored by an older version
 * continues where it stopped; the next save writes the new shape.
 */
import { EngineError } from '../errors';
import { FLOW_STATE_VERSION, type FlowState, type Scope, type Token, type WaitRecord } from '../types';

type Loose = Record<string, unknown>;

/** Renames `from` → `to` in a copy of `obj` (absent keys stay absent). */
function renamed(obj: Loose, names: Record<string, string>): Loose {
  const out: Loose = {};
  for (const [key, value] of Object.entries(obj)) out[names[key] ?? key] = value;
  return out;
}

const TOKEN_V1 = { el: 'element', sc: 'scope', st: 'resting' };
const SCOPE_V1 = { el: 'element', tok: 'token' };
const WAIT_V1 = { tok: 'token', el: 'element', k: 'kind', g: 'groups' };

/**
 * The state in the current shape. Pure: a state already current is returned as is (not
 * copied); an older one is returned as a new object and the input is left untouched.
 * Throws EngineError `invalid-input` for a state of an unknown (newer) version.
 */
export function upgradeState(state: FlowState): FlowState {
  const stored = state as unknown as Loose | null | undefined;
  if (!stored || stored.version === FLOW_STATE_VERSION) return state;
  if (stored.version === undefined && stored.format === 1) {
    const { format: _format, ...rest } = stored;
    return {
      ...(rest as unknown as FlowState),
      version: FLOW_STATE_VERSION,
      tokens: (stored.tokens as Loose[]).map((t) => renamed(t, TOKEN_V1) as unknown as Token),
      scopes: (stored.scopes as Loose[]).map((s) => renamed(s, SCOPE_V1) as unknown as Scope),
      waits: (stored.waits as Loose[]).map((w) => renamed(w, WAIT_V1) as unknown as WaitRecord),
    };
  }
  throw new EngineError('invalid-input', `无法识别的流程状态版本（${String(stored.version ?? stored.format)}）`);
}
