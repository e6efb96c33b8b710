import { createStore } from 'zustand/vanilla';

export type ToastTone = 'success' | 'error' | 'info' | 'warning';

export interface Toast {
  id: number;
  tone: ToastTone;
  title: string;
  description?: string;
}

export interface UiState {
  /** Only matters on narrow screens, where the sidebar is a drawer. */
  sidebarOpen: boolean;
  currentPath: string;
  toasts: Toast[];
}

export const DEFAULT_TOAST_MS = 5000;
/** Older toasts give way so the stack never covers the page. */
export const MAX_TOASTS = 4;

const initialState = (): UiState => ({ sidebarOpen: false, currentPath: '/', toasts: [] });

export const uiStore = createStore<UiState>()(initialState);

const dismissTimers = new Map<number, ReturnType<typeof setTimeout>>();
let nextToastId = 1;

export function toggleSidebar(): void {
  uiStore.setState((state) => ({ sidebarOpen: !state.sidebarOpen }));
}

export function closeSidebar(): void {
  uiStore.setState({ sidebarOpen: false });
}

/** Called by the router on every navigation; a drawer left open would hide the new page. */
export function routeChanged(path: string): void {
  uiStore.setState({ currentPath: path, sidebarOpen: false });
}

export interface ToastInput {
  title: string;
  tone?: ToastTone;
  description?: string;
  /** 0 keeps the toast until it is dismissed. */
  durationMs?: number;
}

export function showToast(input: ToastInput): number {
  const id = nextToastId++;
  const toast: Toast = { id, tone: input.tone ?? 'info', title: input.title };
  if (input.description) {
    toast.description = input.description;
  }
  uiStore.setState((state) => {
    const toasts = [...state.toasts, toast];
    for (const dropped of toasts.slice(0, Math.max(0, toasts.length - MAX_TOASTS))) {
      clearTimer(dropped.id);
    }
    return { toasts: toasts.slice(-MAX_TOASTS) };
  });
  const duration = input.durationMs ?? DEFAULT_TOAST_MS;
  if (duration > 0) {
    dismissTimers.set(
      id,
      setTimeout(() => {
        dismissToast(id);
      }, duration),
    );
  }
  return id;
}

export function dismissToast(id: number): void {
  clearTimer(id);
  uiStore.setState((state) => ({ toasts: state.toasts.filter((toast) => toast.id !== id) }));
}

function clearTimer(id: number): void {
  const timer = dismissTimers.get(id);
  if (timer !== undefined) {
    clearTimeout(timer);
    dismissTimers.delete(id);
  }
}

export function resetUiStore(): void {
  for (const id of [...dismissTimers.keys()]) {
    clearTimer(id);
  }
  uiStore.setState(initialState(), true);
}
