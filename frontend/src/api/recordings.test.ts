import { describe, expect, it, vi } from 'vitest';
import { createApiClient } from './client';
import { downloadUrlOf, recordingEndpoints, serverEndpoints } from './recordings';

function recordingClient() {
  const fetchMock = vi.fn<typeof fetch>(() =>
    Promise.resolve(new Response('{}', { headers: { 'Content-Type': 'application/json' } })),
  );
  const client = createApiClient({ fetch: fetchMock, getAccessToken: () => 'tok' });
  const sent = () => {
    const [url, init] = fetchMock.mock.calls.at(-1)!;
    const headers = init?.headers as Record<string, string>;
    return { call: `${init?.method ?? ''} ${url as string}`, auth: headers.Authorization };
  };
  return { recordings: recordingEndpoints(client), server: serverEndpoints(client), sent };
}

describe('recording endpoints', () => {
  const { recordings, server, sent } = recordingClient();

  it.each([
    [() => recordings.list(), 'GET /api/v1/recordings'],
    [() => recordings.list({ limit: 20, offset: 40 }), 'GET /api/v1/recordings?limit=20&offset=40'],
    [
      () => recordings.ofRoom('room 1', { limit: 5 }),
      'GET /api/v1/rooms/room%201/recordings?limit=5',
    ],
    [() => recordings.get('rec-1'), 'GET /api/v1/recordings/rec-1'],
    [() => recordings.remove('rec-1'), 'DELETE /api/v1/recordings/rec-1'],
    [() => recordings.retry('rec-1'), 'POST /api/v1/recordings/rec-1/retry'],
    [() => recordings.link('rec-1'), 'GET /api/v1/recordings/rec-1/link'],
  ])('%# sends %s', async (call, expected) => {
    await call();
    expect(sent()).toEqual({ call: expected, auth: 'Bearer tok' });
  });

  it('asks for the server features without the token', async () => {
    await server.features();
    expect(sent()).toEqual({ call: 'GET /api/v1/server/features', auth: undefined });
  });
});

describe('downloadUrlOf', () => {
  const expires_at = '2026-12-07T10:05:00Z';

  it('asks the server for an attachment on its own links', () => {
    expect(downloadUrlOf({ url: '/api/v1/recordings/r/file?token=t', expires_at })).toBe(
      '/api/v1/recordings/r/file?token=t&download=1',
    );
    expect(downloadUrlOf({ url: '/api/v1/recordings/r/file', expires_at })).toBe(
      '/api/v1/recordings/r/file?download=1',
    );
  });

  it('leaves a presigned storage link alone: its query is signed', () => {
    const url = 'https://s3.example.test/bucket/r.mp4?X-Amz-Signature=abc';
    expect(downloadUrlOf({ url, expires_at })).toBe(url);
  });
});
