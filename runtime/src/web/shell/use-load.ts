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
  return { ...state, reload: () => setTick((n) => n + 1) };
}
