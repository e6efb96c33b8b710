/** Hands `text` to the browser as a file download, e.g. a calendar invitation. */
export function saveTextFile(text: string, filename: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.rel = 'noopener';
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The click has started the download; the URL may go once the browser picked it up.
  setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 1000);
}
