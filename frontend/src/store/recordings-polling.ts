// Keeps a recordings list current while something in it is moving (capture, queue, compose).
import type { Recording } from '@/api';
import type { RecordingScope } from './recordings';
import { listOf, recordingsStore, refreshRecordings } from './recordings';

/** Composing moves by the second: people watch the percentage. */
export const COMPOSE_POLL_MS = 2500;
/** A capture under way changes only when it stops: looked at now and then. */
export const CAPTURE_POLL_MS = 15000;

/** How long until the list should be read again; null when nothing in it will change. */
export function pollDelay(items: readonly Recording[]): number | null {
  if (items.some((item) => item.status === 'queued' || item.status === 'composing')) {
    return COMPOSE_POLL_MS;
  }
  return items.some((item) => item.status === 'recording') ? CAPTURE_POLL_MS : null;
}

/**
 * Reads the list again while it holds recordings that are moving and the page is visible;
 * a hidden page stops asking and catches up as soon as it is shown. Returns the stop function.
 */
export function watchRecordings(scope: RecordingScope, doc: Document = document): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let busy = false;
  let stopped = false;

  const clear = () => {
    if (timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
  };
  const schedule = () => {
    clear();
    const delay = pollDelay(listOf(scope).items);
    if (stopped || busy || doc.visibilityState === 'hidden' || delay === null) {
      return;
    }
    timer = setTimeout(() => void refresh(), delay);
  };
  const refresh = async () => {
    clear();
    busy = true;
    await refreshRecordings(scope);
    busy = false;
    schedule();
  };
  const onVisibility = () => {
    if (doc.visibilityState === 'hidden') {
      clear();
    } else if (pollDelay(listOf(scope).items) !== null && !busy) {
      void refresh();
    }
  };

  // A list loaded or changed elsewhere (more loaded, a retry) may start or stop the polling.
  const unsubscribe = recordingsStore.subscribe(() => {
    if (pollDelay(listOf(scope).items) === null) {
      clear();
    } else if (timer === null) {
      schedule();
    }
  });
  doc.addEventListener('visibilitychange', onVisibility);
  schedule();
  return () => {
    stopped = true;
    clear();
    unsubscribe();
    doc.removeEventListener('visibilitychange', onVisibility);
  };
}
