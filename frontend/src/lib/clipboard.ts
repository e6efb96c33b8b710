/**
 * Puts `text` on the clipboard. False when the browser refuses (no permission, an insecure
 * page, an old browser): the caller then shows the text selected for copying by hand.
 */
export async function copyText(text: string): Promise<boolean> {
  try {
    // Absent on insecure pages and in older browsers, whatever the DOM types say.
    const clipboard = navigator.clipboard as Clipboard | undefined;
    if (!clipboard) {
      return false;
    }
    await clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
