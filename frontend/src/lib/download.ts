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

/** Starts the download of a file the server serves as an attachment (no new tab). */
export function downloadFrom(url: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = '';
  // The client router takes clicks on in-app links: this one is the browser's to follow.
  link.setAttribute('data-native', '');
  link.rel = 'noopener';
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
}
