/** `useLoad(fn, deps)`: runs an async loader, with loading/error state and `reload()`. */
import { useCallback, useEffect, useState, type DependencyList } from 'react';
import { ApiError } from '../api/index';

export interface Loaded<T> { data?: T; error?: string; loading: boolean; reload(): void }

export function useLoad<T>(load: () => Promise<T>, deps: DependencyList): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const run = useCallback(load, deps);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    run().then(
      (data) => { if (live) setState({ data, loading: false }); },
      (e: unknown) => { if (live) setState({ error: e instanceof ApiError ? e.message : String((e as Error).message ?? e), loading: false }); },
    );
    return () => { live = false; };
  }, [run, tick]);
  return { ...state, reload: () => setTick((n) => n + 1) };
}
