import { act, render, screen } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { useStore } from './use-store';

describe('useStore', () => {
  it('re-renders with the selected slice when the store changes', async () => {
    const store = createStore<{ count: number; other: string }>()(() => ({ count: 0, other: 'a' }));
    let renders = 0;
    function Counter() {
      renders++;
      const count = useStore(store, (state) => state.count);
      return <p>count {count}</p>;
    }
    render(<Counter />);
    expect(screen.getByText('count 0')).toBeInTheDocument();

    await act(() => {
      store.setState({ count: 2 });
    });
    expect(screen.getByText('count 2')).toBeInTheDocument();

    const before = renders;
    await act(() => {
      store.setState({ other: 'b' });
    });
    expect(renders).toBe(before);
  });
});
