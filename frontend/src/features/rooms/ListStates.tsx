import type { ComponentChildren } from 'preact';
import { errorMessage } from '@/api';
import type { ListState } from '@/store';
import { Alert, Spinner } from '@/ui';

export interface ListStatesProps<Item> {
  list: ListState<Item>;
  /** "your rooms", "upcoming meetings": used in the loading and error messages. */
  what: string;
  onRetry: () => void;
  empty: ComponentChildren;
  children: ComponentChildren;
}

/** Loading, failed and empty states around a list that comes from the server. */
export function ListStates<Item>({ list, what, onRetry, empty, children }: ListStatesProps<Item>) {
  if (list.items.length === 0 && (list.status === 'idle' || list.status === 'loading')) {
    return (
      <p role="status" class="flex items-center gap-2 py-6 text-sm text-gray-600">
        <Spinner /> Loading {what}…
      </p>
    );
  }
  if (list.status === 'failed' && list.items.length === 0) {
    return (
      <Alert tone="error" title={`Could not load ${what}`}>
        {errorMessage(list.error)}{' '}
        <button type="button" class="font-medium text-green-700 underline" onClick={onRetry}>
          Try again
        </button>
      </Alert>
    );
  }
  return <>{list.items.length === 0 ? empty : children}</>;
}
