import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export type Resource<T> =
  | { state: 'loading'; data?: undefined; error?: undefined }
  | { state: 'ready'; data: T; error?: undefined }
  | { state: 'failed'; data?: undefined; error: unknown };

/**
 * Loads data when a component mounts: its state, a way to load again, and a way to replace
 * the data after a local change (e.g. a removed row) without asking the server.
 */
export function useResource<T>(load: () => Promise<T>) {
  const [resource, setResource] = useState<Resource<T>>({ state: 'loading' });
  const loadRef = useRef(load);
  loadRef.current = load;
  const generation = useRef(0);

  const reload = useCallback(async () => {
    const mine = ++generation.current;
    try {
      const data = await loadRef.current();
      if (mine === generation.current) setResource({ state: 'ready', data });
    } catch (error) {
      if (mine === generation.current) setResource({ state: 'failed', error });
    }
  }, []);

  useEffect(() => {
    void reload();
    return () => {
      // Answers arriving after unmount are dropped.
      generation.current += 1;
    };
  }, [reload]);

  const update = useCallback((change: (data: T) => T) => {
    setResource((current) =>
      current.state === 'ready' ? { state: 'ready', data: change(current.data) } : current,
    );
  }, []);

  return { ...resource, reload, update };
}
