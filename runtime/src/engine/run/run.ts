/**
 * One engine step over a (cloned) state: the token machinery the element handlers share.
 *
 * A step moves tokens until every one rests (waiting, joined, or in an incident): arrivals are
 * queued and handled one at a time, then inclusive joins are checked — only at rest, because a
 * token still in flight is by definition upstream. Item status changes are collected and
 * emitted once per item at the end, so `done` then `standalone` in one step yields one effect.
 */
import { EngineError } from '../errors';
import { evalFeel } from '../feel';
import type {
  CompiledElement, CompiledFlow, Definition, Effect, FlowState, HistoryEntry, ItemStatus, Token, WaitKind, WaitRecord,
} from '../types';
import { runtimeIndex, type RuntimeIndex } from './index-cache';

/** What a handler does for its element type. `enter` runs when a token arrives. */
export interface ElementHandler {
  enter(run: Run, tok: Token, el: CompiledElement): void;
  /** An open wait of this element is completed by the server (task done, message, service result). */
  resume?(run: Run, tok: Token, el: CompiledElement, wait: WaitRecord, input: { outcome?: string; variables?: Record<string, unknown> }): void;
  /** Carries on without a wait: an inclusive join fired, or a sub-process's scope finished. */
  proceed?(run: Run, tok: Token, el: CompiledElement): void;
}

const MAX_ARRIVALS = 10_000;
const FINAL: ReadonlySet<ItemStatus> = new Set(['done', 'standalone', 'not-applicable']);

export class Run {
  readonly effects: Effect[] = [];
  readonly idx: RuntimeIndex;
  private readonly queue: Array<{ tok: Token; flow: string }> = [];
  private readonly items = new Map<string, { status: ItemStatus; el?: string }>();
  private arrivals = 0;

  constructor(
    readonly def: Definition,
    readonly state: FlowState,
    readonly handlers: Partial<Record<string, ElementHandler>>,
    readonly now: string,
    readonly actor?: string,
  ) {
    this.idx = runtimeIndex(def);
  }

  // ---- lookups ----------------------------------------------------------------------------
  el(id: string): CompiledElement {
    return this.def.elements[id]!;
  }
  flow(id: string): CompiledFlow {
    return this.def.flows[id]!;
  }
  token(id: string): Token | undefined {
    return this.state.tokens.find((t) => t.id === id);
  }
  nextId(prefix: string): string {
    return prefix + (++this.state.seq).toString(36);
  }
  /** FEEL context for a token: process variables plus a wait's local ones. */
  context(extra?: Record<string, unknown>): Record<string, unknown> {
    return extra ? { ...this.state.vars, ...extra } : this.state.vars;
  }

  // ---- movement ---------------------------------------------------------------------------
  newToken(el: string, sc: string): Token {
    const tok: Token = { id: this.nextId('t'), element: el, scope: sc };
    this.state.tokens.push(tok);
    return tok;
  }

  /** Sends `tok` along `flows` (the first reuses the token, the rest are copies). No flows: the token ends. */
  take(tok: Token, flows: string[]): void {
    if (!flows.length) return this.consume(tok);
    flows.forEach((flow, i) => {
      const t = i === 0 ? tok : this.newToken(tok.element, tok.scope);
      delete t.resting;
      this.queue.push({ tok: t, flow });
    });
  }

  /**
   * Leaves a non-gateway element: unconditional outgoing flows plus conditional ones that hold,
   * and the default flow when no condition held. A failing condition parks the token (incident).
   */
  leave(tok: Token, el: CompiledElement): void {
    const chosen: string[] = [];
    let conditionHeld = false;
    for (const id of el.outgoing) {
      if (id === el.default) continue;
      const f = this.flow(id);
      const ok = this.test(tok, f);
      if (ok === undefined) return;
      if (ok) chosen.push(id);
      if (ok && f.condition) conditionHeld = true;
    }
    if (el.default && !conditionHeld) chosen.push(el.default);
    this.take(tok, chosen);
  }

  /** Evaluates a flow's condition; undefined means an incident was raised (token parked). */
  test(tok: Token, f: CompiledFlow): boolean | undefined {
    if (!f.condition) return true;
    const r = evalFeel(f.condition, this.context(), this.now);
    if ('error' in r) {
      this.incident(tok, 'condition-error', `顺序流 ${f.id} 的条件「${f.condition.expr}」求值出错：${r.error}`, f.id);
      return undefined;
    }
    if (r.value === true) return true;
    if (r.value === false || r.value === null || r.value === undefined) return false;
    this.incident(tok, 'condition-not-boolean', `顺序流 ${f.id} 的条件「${f.condition.expr}」结果不是布尔值（${JSON.stringify(r.value)}）`, f.id);
    return undefined;
  }

  /** Removes a token that reached its end; completes its scope when it was the last one. */
  consume(tok: Token): void {
    this.state.tokens = this.state.tokens.filter((t) => t !== tok);
    this.closeScopeIfEmpty(tok.scope);
  }

  /** Moves queued tokens until all rest, firing inclusive joins that became ready. */
  settle(): void {
    for (;;) {
      while (this.queue.length) {
        const { tok, flow } = this.queue.shift()!;
        if (++this.arrivals > MAX_ARRIVALS) {
          throw new EngineError('runaway', `流程在一步内推进超过 ${MAX_ARRIVALS} 次仍未停下（可能存在无等待的循环）`, tok.element);
        }
        if (!this.state.tokens.includes(tok)) continue; // cancelled while queued
        const f = this.flow(flow);
        const key = f.linkedItem ?? this.el(f.source).lb.linkedItem;
        if (f.itemStatus && key) this.setItem(key, f.itemStatus, f.id);
        tok.element = f.target;
        tok.via = flow;
        this.enter(tok);
        if (tok.resting !== 'join') delete tok.via;
      }
      if (!this.fireReadyJoin()) break;
    }
    this.flushItems();
  }

  /** Lets the element's handler take a token that has just arrived. */
  enter(tok: Token): void {
    const el = this.el(tok.element);
    const handler = this.handlers[el.type];
    if (!handler) throw new EngineError('invalid-input', `没有处理器：${el.type}`, el.id);
    handler.enter(this, tok, el);
  }

  /** Fires at most one inclusive join whose empty incoming flows no token can still reach. */
  private fireReadyJoin(): boolean {
    for (const tok of this.state.tokens) {
      if (tok.resting !== 'join') continue;
      const el = this.el(tok.element);
      if (el.type !== 'inclusiveGateway') continue;
      const waiting = this.state.tokens.filter((t) => t.resting === 'join' && t.element === el.id && t.scope === tok.scope);
      const filled = new Set(waiting.map((t) => t.via!));
      const others = this.state.tokens.filter((t) => t.scope === tok.scope && !(t.resting === 'join' && t.element === el.id));
      const upstream = this.idx.upstream.get(el.id)!;
      const blocked = el.incoming.some((f) => !filled.has(f) && others.some((t) => upstream.get(f)!.has(t.element)));
      if (blocked) continue;
      const merged = this.merge(waiting);
      this.handlers.inclusiveGateway!.proceed!(this, merged, el);
      return true;
    }
    return false;
  }

  /** Joins: keeps the first token per filled flow's group, drops one token per other flow. */
  merge(waiting: Token[]): Token {
    const seen = new Set<string>();
    const drop = new Set<Token>();
    for (const t of waiting) {
      if (seen.has(t.via!)) continue;
      seen.add(t.via!);
      drop.add(t);
    }
    const keep = waiting[0]!;
    drop.delete(keep);
    this.state.tokens = this.state.tokens.filter((t) => !drop.has(t));
    delete keep.resting;
    delete keep.via;
    return keep;
  }

  // ---- waits, items, history, incidents ---------------------------------------------------
  addWait(tok: Token, el: string, k: WaitKind, extra: Partial<WaitRecord> = {}): WaitRecord {
    const w: WaitRecord = { id: this.nextId('w'), token: tok.id, element: el, kind: k, ...extra };
    this.state.waits.push(w);
    return w;
  }

  /** Drops the waits of a token (except `keep`), telling the server which ones it should withdraw. */
  dropWaits(tokId: string, keep?: string): void {
    this.state.waits = this.state.waits.filter((w) => {
      if (w.token !== tokId) return true;
      if (w.id !== keep) this.effects.push({ type: 'cancelled', waitId: w.id, elementId: w.element });
      return false;
    });
  }

  setItem(key: string, status: ItemStatus, el?: string): void {
    this.items.set(key, el ? { status, el } : { status });
  }

  private flushItems(): void {
    for (const [key, { status, el }] of this.items) {
      if (this.state.items[key] === status) continue;
      this.state.items[key] = status;
      this.effects.push({ type: 'itemStatus', linkedItem: key, status, ...(el ? { elementId: el } : {}) });
    }
    this.items.clear();
  }

  log(el: string, ev: HistoryEntry['ev'], extra: Partial<HistoryEntry> = {}): void {
    this.state.history.push({ at: this.now, el, ev, ...(this.actor && !extra.by ? { by: this.actor } : {}), ...extra });
  }

  /** Parks the token in an incident: the case needs an administrator; nothing crashes. */
  incident(tok: Token, code: string, message: string, flow?: string): void {
    tok.resting = 'incident';
    this.state.incidents.push({ el: tok.element, ...(flow ? { flow } : {}), code, message, at: this.now });
    this.effects.push({ type: 'incident', elementId: tok.element, ...(flow ? { flowId: flow } : {}), code, message });
    this.log(tok.element, 'incident', { o: code });
  }

  // ---- scopes -----------------------------------------------------------------------------
  /** Removes a token with its waits and, for a sub-process, everything inside it. */
  cancel(tok: Token): void {
    this.dropWaits(tok.id);
    this.state.tokens = this.state.tokens.filter((t) => t !== tok);
    const child = this.state.scopes.find((s) => s.token === tok.id);
    if (child) this.cancelScope(child.id);
  }

  /** Removes every token of a scope (recursively) and the scope itself. */
  cancelScope(sc: string): void {
    for (const t of this.state.tokens.filter((x) => x.scope === sc)) this.cancel(t);
    this.state.scopes = this.state.scopes.filter((s) => s.id !== sc);
  }

  /** Terminate end event: ends the whole case at process level, else just its sub-process. */
  terminateScope(sc: string): void {
    const scope = this.state.scopes.find((s) => s.id === sc);
    if (!scope?.token) return this.endCase(this.state.status === 'rejected' ? 'rejected' : 'completed');
    const owner = this.token(scope.token);
    this.cancelScope(sc);
    if (owner) this.handlers.subProcess!.proceed!(this, owner, this.el(owner.element));
  }

  /** The token resting on the sub-process that holds scope `sc` (undefined at process level). */
  ownerOf(sc: string): Token | undefined {
    const tok = this.state.scopes.find((s) => s.id === sc)?.token;
    return tok ? this.token(tok) : undefined;
  }

  private closeScopeIfEmpty(sc: string): void {
    if (this.state.tokens.some((t) => t.scope === sc)) return;
    const scope = this.state.scopes.find((s) => s.id === sc);
    if (!scope?.token) return this.endCase(this.state.status === 'rejected' ? 'rejected' : 'completed');
    this.state.scopes = this.state.scopes.filter((s) => s !== scope);
    const owner = this.token(scope.token);
    if (owner) this.handlers.subProcess!.proceed!(this, owner, this.el(owner.element));
  }

  /** Ends the case: cancels what still runs, settles the items, reports the result. */
  endCase(result: 'completed' | 'rejected'): void {
    for (const t of [...this.state.tokens]) this.cancel(t);
    this.state.scopes = this.state.scopes.filter((s) => !s.token);
    this.state.status = result;
    // Items the case never finished lapse: the case is over, nobody will handle them in it.
    for (const key of new Set([...Object.keys(this.state.items), ...this.items.keys()])) {
      const status = this.items.get(key)?.status ?? this.state.items[key]!;
      if (!FINAL.has(status)) this.setItem(key, 'not-applicable');
    }
    this.flushItems();
    this.effects.push({ type: 'caseEnded', status: result });
  }
}
