/** The signaling endpoint on the page's own origin: `ws:` for `http:`, `wss:` for `https:`. */
export function signalingUrl(
  params: { roomId: string; userId: string; token: string },
  location: Pick<Location, 'protocol' | 'host'> = window.location,
): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const query = new URLSearchParams(params);
  return `${scheme}://${location.host}/ws?${query.toString()}`;
}
