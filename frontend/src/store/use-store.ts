import { useSyncExternalStore } from 'preact/compat';
import type { StoreApi } from 'zustand/vanilla';

/**
 * Reads a slice of a store and re-renders when it changes. The selector must return a value
 * that stays identical while the state is unchanged (a field, not a freshly built object).
 */
export function useStore<S, T>(store: StoreApi<S>, selector: (state: S) => T): T {
  return useSyncExternalStore(store.subscribe, () => selector(store.getState()));
}
