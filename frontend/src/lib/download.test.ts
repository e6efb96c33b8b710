import { describe, expect, it, vi } from 'vitest';
import { downloadFrom, saveTextFile } from './download';

describe('saveTextFile', () => {
  it('clicks a hidden link to a blob with the file name, then lets the blob go', async () => {
    vi.useFakeTimers();
    const createObjectURL = vi.fn(() => 'blob:invite');
    const revokeObjectURL = vi.fn();
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL, revokeObjectURL }));
    const clicked: HTMLAnchorElement[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      clicked.push(this);
    });

    saveTextFile('BEGIN:VCALENDAR', 'rapat-abc-defg-hij.ics', 'text/calendar');

    const blob = (createObjectURL.mock.calls[0] as unknown as [Blob])[0];
    expect(blob.type).toBe('text/calendar');
    expect(await blob.text()).toBe('BEGIN:VCALENDAR');
    expect(clicked[0]?.download).toBe('rapat-abc-defg-hij.ics');
    expect(clicked[0]?.isConnected).toBe(false);
    vi.runAllTimers();
    expect(revokeObjectURL).toHaveBeenCalledWith('blob:invite');
    vi.useRealTimers();
  });
});

describe('downloadFrom', () => {
  it('clicks a hidden download link the client router leaves alone, then removes it', () => {
    const clicked: HTMLAnchorElement[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      clicked.push(this);
    });
    downloadFrom('/api/v1/recordings/r/file?token=t&download=1');
    expect(clicked[0]?.getAttribute('href')).toBe('/api/v1/recordings/r/file?token=t&download=1');
    expect(clicked[0]?.hasAttribute('download')).toBe(true);
    expect(clicked[0]?.hasAttribute('data-native')).toBe(true);
    expect(clicked[0]?.isConnected).toBe(false);
  });
});
