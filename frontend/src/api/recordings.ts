import type { ApiClient } from './client';
import type {
  Recording,
  RecordingLink,
  RecordingPage,
  RecordingQuery,
  ServerFeatures,
} from './schema';

const recordingPath = (id: string, rest = '') => `/recordings/${encodeURIComponent(id)}${rest}`;

/** `/recordings/*`: the recordings of one's rooms, links to watch them, delete and retry. */
export function recordingEndpoints(client: ApiClient) {
  return {
    /** Every room the caller is a member of, newest first. */
    list: (query: RecordingQuery = {}) =>
      client.get<RecordingPage>('/recordings', { query: { ...query } }),
    ofRoom: (roomId: string, query: RecordingQuery = {}) =>
      client.get<RecordingPage>(`/rooms/${encodeURIComponent(roomId)}/recordings`, {
        query: { ...query },
      }),
    get: (id: string) => client.get<Recording>(recordingPath(id)),
    remove: (id: string) => client.delete<undefined>(recordingPath(id)),
    /** Composes a failed recording again. */
    retry: (id: string) => client.post<Recording>(recordingPath(id, '/retry')),
    /** A link that works for a few minutes: ask again each time the player opens. */
    link: (id: string) => client.get<RecordingLink>(recordingPath(id, '/link')),
  };
}

export type RecordingEndpoints = ReturnType<typeof recordingEndpoints>;

/** `/server/features`: what this server offers; asked without signing in. */
export function serverEndpoints(client: ApiClient) {
  return {
    features: () => client.get<ServerFeatures>('/server/features', { anonymous: true }),
  };
}

export type ServerEndpoints = ReturnType<typeof serverEndpoints>;

/**
 * The address that saves the file rather than plays it. The server's own links take
 * `download=1`; a storage service's presigned link is used as it is (its query is signed).
 */
export function downloadUrlOf(link: RecordingLink): string {
  if (!link.url.startsWith('/api/')) {
    return link.url;
  }
  return `${link.url}${link.url.includes('?') ? '&' : '?'}download=1`;
}
