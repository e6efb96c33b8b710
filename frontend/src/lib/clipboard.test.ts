import { describe, expect, it, vi } from 'vitest';
import { copyText } from './clipboard';

function withClipboard(clipboard: unknown) {
  vi.spyOn(navigator, 'clipboard', 'get').mockReturnValue(clipboard as Clipboard);
}

describe('copyText', () => {
  it('writes to the clipboard', async () => {
    const writeText = vi.fn(() => Promise.resolve());
    withClipboard({ writeText });
    await expect(copyText('https://rapat.example/r/abc-defg-hij')).resolves.toBe(true);
    expect(writeText).toHaveBeenCalledWith('https://rapat.example/r/abc-defg-hij');
  });

  it('reports a refusal', async () => {
    withClipboard({ writeText: () => Promise.reject(new DOMException('denied')) });
    await expect(copyText('x')).resolves.toBe(false);
  });

  it('reports a browser without the clipboard API', async () => {
    withClipboard(undefined);
    await expect(copyText('x')).resolves.toBe(false);
  });
});
