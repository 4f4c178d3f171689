/** `useLoad(fn, deps)`: runs an async loader, with loading/error state and `reload()`. */
import { useCallback, useEffect, useState, type DependencyList } from 'react';
import { ApiError } from '../api/index';

export interface Loaded<T> {
  data?: T;
  error?: string;
  loading: boolean;
  /** `data` is what has arrived so far of the answer being loaded (not the last whole answer). */
  partial?: boolean;
  reload(): void;
  /** Changes the whole answer on screen in place (e.g. one row after a claim); a load under way is reloaded instead, so it cannot bring the old row back. */
  patch(change: (data: T) => T): void;
}

/**
 * `load` may report what it has so far (`partial`, e.g. the first pages of a long list): shown
 * while nothing is shown yet, `loading` staying true until the whole arrives. A reload keeps
 * the last whole answer on screen instead.
 */
export function useLoad<T>(load: (partial: (data: T) => void) => Promise<T>, deps: DependencyList): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean; partial?: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const run = useCallback(load, deps);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    const first = (data: T) => { if (live) setState((s) => (s.data === undefined || s.partial ? { data, loading: true, partial: true } : s)); };
    run(first).then(
      (data) => { if (live) setState({ data, loading: false }); },
      (e: unknown) => { if (live) setState({ error: e instanceof ApiError ? e.message : String((e as Error).message ?? e), loading: false }); },
    );
    return () => { live = false; };
  }, [run, tick]);
  const reload = () => setTick((n) => n + 1);
  const patch = (change: (data: T) => T) => {
    if (state.loading || state.data === undefined) reload();
    else setState((s) => (s.data === undefined || s.loading ? s : { ...s, data: change(s.data) }));
  };
  return { ...state, reload, patch };
}
