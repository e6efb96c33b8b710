/** What the server needs in the signaling socket's query. */
export interface SignalingParams {
  roomId: string;
  userId: string;
  token: string;
}

type PageLocation = Pick<Location, 'protocol' | 'host'>;

/** The signaling endpoint on the page's own origin: `ws:` for `http:`, `wss:` for `https:`. */
export function signalingUrl(
  params: SignalingParams,
  location: PageLocation = window.location,
): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const query = new URLSearchParams({ ...params });
  return `${scheme}://${location.host}/ws?${query.toString()}`;
}

const WS_SCHEME: Partial<Record<string, string>> = { 'http:': 'ws:', 'https:': 'wss:' };

/**
 * The socket's URL at `base`, the node's WebSocket URL from `GET /rooms/{id}/signaling`, with
 * the room, user and token set in its query (a query it already has is kept); null `base`
 * means `/ws` on the page's own origin. A relative or `http(s):` base is read as a WebSocket
 * URL on that origin, so a proxy that answers with a path still works.
 */
export function signalingUrlAt(
  base: string | null,
  params: SignalingParams,
  location: PageLocation = window.location,
): string {
  if (base === null) {
    return signalingUrl(params, location);
  }
  const url = new URL(base, `${location.protocol}//${location.host}`);
  url.protocol = WS_SCHEME[url.protocol] ?? url.protocol;
  for (const [name, value] of new URLSearchParams({ ...params })) {
    url.searchParams.set(name, value);
  }
  url.hash = ''; // WebSocket URLs may not carry a fragment
  return url.href;
}
