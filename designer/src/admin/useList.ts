/** Loads a list from the API and reloads it on demand: `{ data, error, loading, reload }`. */
import { useCallback, useEffect, useState } from 'react';
import { api, errorText } from '../api/client';

export function useList<T>(path: string) {
  const [data, setData] = useState<T[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const reload = useCallback(async () => {
    setLoading(true);
    try {
      setData(await api.get<T[]>(path));
      setError(null);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setLoading(false);
    }
  }, [path]);
  useEffect(() => { void reload(); }, [reload]);
  return { data, error, loading, reload };
}
