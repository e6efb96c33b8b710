import { describe, expect, it, vi } from 'vitest';
import type { VideoName } from './video-visibility';
import { VisibilityReporter } from './video-visibility';

type Send = (hidden: VideoName[]) => Promise<unknown>;

function reporter(send = vi.fn<Send>(() => Promise.resolve({}))) {
  return { send, reporter: new VisibilityReporter({ send, delayMs: 300, retryMs: 2000 }) };
}

describe('VisibilityReporter', () => {
  it('debounces changes and sends the whole hidden set once', () => {
    vi.useFakeTimers();
    const { send, reporter: visibility } = reporter();
    visibility.tile('u-budi:camera', true);
    visibility.tile('u-citra:camera', false);
    visibility.tile('u-dewi:camera', false);
    vi.advanceTimersByTime(200);
    visibility.tile('u-dewi:camera', true); // scrolled past: back in view before the flush
    expect(send).not.toHaveBeenCalled();
    vi.advanceTimersByTime(300);
    expect(send.mock.calls).toEqual([[['u-citra:camera']]]);
    vi.useRealTimers();
  });

  it('sends only changes', () => {
    vi.useFakeTimers();
    const { send, reporter: visibility } = reporter();
    visibility.tile('u-budi:camera', true);
    vi.advanceTimersByTime(300);
    expect(send).not.toHaveBeenCalled(); // nothing hidden, as the server starts
    visibility.tile('u-budi:camera', false);
    vi.advanceTimersByTime(300);
    visibility.tile('u-budi:camera', false); // (again)
    visibility.tile('u-budi:screen', true);
    vi.advanceTimersByTime(300);
    visibility.tile('u-budi:camera', true);
    vi.advanceTimersByTime(300);
    visibility.forget('u-budi:screen');
    vi.advanceTimersByTime(300);
    expect(send.mock.calls).toEqual([[['u-budi:camera']], [[]]]);
    vi.useRealTimers();
  });

  it('hides every video while the tab is hidden', () => {
    vi.useFakeTimers();
    const { send, reporter: visibility } = reporter();
    visibility.tile('u-budi:camera', true);
    visibility.tile('u-budi:screen', true);
    visibility.tile('u-citra:camera', false);
    vi.advanceTimersByTime(300);
    visibility.page(true);
    vi.advanceTimersByTime(300);
    visibility.page(false);
    vi.advanceTimersByTime(300);
    expect(send.mock.calls).toEqual([
      [['u-citra:camera']],
      [['u-budi:camera', 'u-budi:screen', 'u-citra:camera']],
      [['u-citra:camera']],
    ]);
    vi.useRealTimers();
  });

  it('sends the set again after a reconnect, and nothing when nothing is hidden', () => {
    vi.useFakeTimers();
    const { send, reporter: visibility } = reporter();
    visibility.tile('u-budi:camera', false);
    vi.advanceTimersByTime(300);
    visibility.reconnected();
    vi.advanceTimersByTime(300);
    expect(send.mock.calls).toEqual([[['u-budi:camera']], [['u-budi:camera']]]);
    visibility.tile('u-budi:camera', true);
    vi.advanceTimersByTime(300);
    visibility.reconnected();
    vi.advanceTimersByTime(300);
    expect(send).toHaveBeenCalledTimes(3); // the fresh session shows everything already
    vi.useRealTimers();
  });

  it('tries again later when a send fails, and never after stop', async () => {
    vi.useFakeTimers();
    const send = vi
      .fn<Send>(() => Promise.resolve({}))
      .mockRejectedValueOnce(new Error('rate_limited'));
    const { reporter: visibility } = reporter(send);
    visibility.tile('u-budi:camera', false);
    await vi.advanceTimersByTimeAsync(300);
    expect(send).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(2000);
    expect(send).toHaveBeenCalledTimes(2);
    expect(send.mock.calls[1]).toEqual([['u-budi:camera']]);
    visibility.stop();
    visibility.tile('u-citra:camera', false);
    await vi.advanceTimersByTimeAsync(5000);
    expect(send).toHaveBeenCalledTimes(2);
    vi.useRealTimers();
  });
});
