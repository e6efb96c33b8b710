import { act, renderHook, waitFor } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { useResource } from './use-resource';

describe('useResource', () => {
  it('loads, updates locally and reloads', async () => {
    const load = vi.fn().mockResolvedValueOnce([1, 2]).mockResolvedValueOnce([3]);
    const { result } = renderHook(() => useResource<number[]>(load));
    expect(result.current.state).toBe('loading');
    await waitFor(() => {
      expect(result.current.data).toEqual([1, 2]);
    });
    await act(() => {
      result.current.update((numbers) => numbers.filter((n) => n !== 1));
    });
    expect(result.current.data).toEqual([2]);
    await act(() => result.current.reload());
    expect(result.current).toMatchObject({ state: 'ready', data: [3] });
  });

  it('reports a failure', async () => {
    const problem = new Error('offline');
    const { result } = renderHook(() => useResource(() => Promise.reject(problem)));
    await waitFor(() => {
      expect(result.current).toMatchObject({ state: 'failed', error: problem });
    });
    await act(() => {
      result.current.update((data) => data);
    });
    expect(result.current.state).toBe('failed');
  });

  it('drops an answer that arrives after unmounting', async () => {
    let finish: (value: string) => void = () => undefined;
    const { result, unmount } = renderHook(() =>
      useResource(() => new Promise<string>((resolve) => (finish = resolve))),
    );
    unmount();
    finish('late');
    await Promise.resolve();
    expect(result.current.state).toBe('loading');
  });
});
