import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_TOAST_MS,
  MAX_TOASTS,
  closeSidebar,
  dismissToast,
  resetUiStore,
  routeChanged,
  showToast,
  toggleSidebar,
  uiStore,
} from './ui-store';

const toasts = () => uiStore.getState().toasts;

beforeEach(() => {
  vi.useFakeTimers();
  resetUiStore();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('sidebar', () => {
  it('toggles and closes', () => {
    toggleSidebar();
    expect(uiStore.getState().sidebarOpen).toBe(true);
    toggleSidebar();
    expect(uiStore.getState().sidebarOpen).toBe(false);
    toggleSidebar();
    closeSidebar();
    expect(uiStore.getState().sidebarOpen).toBe(false);
  });

  it('closes on navigation and remembers the path', () => {
    toggleSidebar();
    routeChanged('/contacts');
    expect(uiStore.getState()).toMatchObject({ sidebarOpen: false, currentPath: '/contacts' });
  });
});

describe('toasts', () => {
  it('adds a toast with an info tone by default', () => {
    const id = showToast({ title: 'Link copied' });
    expect(toasts()).toEqual([{ id, tone: 'info', title: 'Link copied' }]);
  });

  it('dismisses itself after the default duration', () => {
    showToast({ title: 'Saved', tone: 'success' });
    vi.advanceTimersByTime(DEFAULT_TOAST_MS - 1);
    expect(toasts()).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(toasts()).toHaveLength(0);
  });

  it('stays when the duration is 0 until dismissed', () => {
    const id = showToast({ title: 'Offline', tone: 'error', durationMs: 0 });
    vi.advanceTimersByTime(60_000);
    expect(toasts()).toHaveLength(1);
    dismissToast(id);
    expect(toasts()).toHaveLength(0);
  });

  it('dismissing early cancels the timer without touching later toasts', () => {
    const first = showToast({ title: 'one', durationMs: 1000 });
    dismissToast(first);
    const second = showToast({ title: 'two', durationMs: 5000 });
    vi.advanceTimersByTime(1000);
    expect(toasts().map((toast) => toast.id)).toEqual([second]);
  });

  it(`keeps at most ${MAX_TOASTS}, dropping the oldest`, () => {
    const ids = Array.from({ length: MAX_TOASTS + 2 }, (_, i) => showToast({ title: `t${i}` }));
    expect(toasts().map((toast) => toast.id)).toEqual(ids.slice(-MAX_TOASTS));
  });

  it('keeps a description when given', () => {
    showToast({ title: 'Could not join', description: 'The room has ended.', tone: 'error' });
    expect(toasts()[0]).toMatchObject({ description: 'The room has ended.', tone: 'error' });
  });
});
