import { fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LOBBY_CHECK_MS, WaitingForHost } from './WaitingForHost';

afterEach(() => {
  vi.useRealTimers();
});

describe('WaitingForHost', () => {
  it('says who lets them in, checks the place every few seconds, and cancels', () => {
    vi.useFakeTimers();
    const onCheck = vi.fn();
    const onCancel = vi.fn();
    const { unmount } = render(
      <WaitingForHost
        hostName="Ana Lim"
        since="2026-12-01T09:00:00Z"
        onCheck={onCheck}
        onCancel={onCancel}
      />,
    );
    expect(screen.getByRole('status')).toHaveTextContent('Waiting for the host to let you in');
    expect(screen.getByRole('status')).toHaveTextContent('Ana Lim or a moderator');
    expect(screen.getByText(/^Asked at /)).toBeInTheDocument();
    vi.advanceTimersByTime(LOBBY_CHECK_MS * 2);
    expect(onCheck).toHaveBeenCalledTimes(2);
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onCancel).toHaveBeenCalledOnce();
    unmount();
    vi.advanceTimersByTime(LOBBY_CHECK_MS * 2);
    expect(onCheck).toHaveBeenCalledTimes(2); // no checking once the screen is gone
  });
});
