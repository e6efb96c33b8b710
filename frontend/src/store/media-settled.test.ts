import { afterEach, describe, expect, it, vi } from 'vitest';
import { mediaStore, resetMediaStore, whenDevicesSettled } from '@/store/media';

afterEach(() => {
  vi.useRealTimers();
  resetMediaStore();
});

describe('whenDevicesSettled', () => {
  it('resolves at once when nothing is starting', async () => {
    await expect(whenDevicesSettled()).resolves.toBeUndefined();
  });

  it('waits for a camera that is still starting', async () => {
    mediaStore.setState({ acquiring: { audio: false, video: true } });
    let settled = false;
    const waiting = whenDevicesSettled().then(() => {
      settled = true;
    });
    await Promise.resolve();
    expect(settled).toBe(false);
    mediaStore.setState({ acquiring: { audio: false, video: false } });
    await waiting;
    expect(settled).toBe(true);
  });

  it('gives up after the limit', async () => {
    vi.useFakeTimers();
    mediaStore.setState({ acquiring: { audio: true, video: false } });
    const waiting = whenDevicesSettled(500);
    vi.advanceTimersByTime(500);
    await expect(waiting).resolves.toBeUndefined();
  });
});
