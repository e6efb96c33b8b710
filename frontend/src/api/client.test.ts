import { describe, expect, it, vi } from 'vitest';
import { buildUrl, createApiClient } from './client';
import { ApiError, NETWORK_ERROR } from './errors';

function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

function clientWith(reply: () => Promise<Response>, token: string | null = null) {
  const fetchMock = vi.fn<typeof fetch>(reply);
  const client = createApiClient({ fetch: fetchMock, getAccessToken: () => token });
  return { client, fetchMock };
}

function lastCall(fetchMock: ReturnType<typeof vi.fn<typeof fetch>>): [string, RequestInit] {
  const call = fetchMock.mock.calls.at(-1);
  if (!call) {
    throw new Error('fetch was not called');
  }
  const [input, init] = call;
  if (typeof input !== 'string') {
    throw new Error('expected a URL string');
  }
  return [input, init ?? {}];
}

describe('buildUrl', () => {
  it('joins base and path and drops empty query values', () => {
    expect(buildUrl('/api/v1/', '/rooms', { page: 2, q: 'a b', skip: undefined, none: null })).toBe(
      '/api/v1/rooms?page=2&q=a+b',
    );
  });
});

describe('createApiClient', () => {
  it('sends JSON with the bearer token to /api/v1 and returns the parsed body', async () => {
    const { client, fetchMock } = clientWith(
      () => Promise.resolve(jsonResponse(201, { id: 'r1' })),
      'tok',
    );
    const room = await client.post<{ id: string }>('/rooms', { name: 'Standup' });

    expect(room).toEqual({ id: 'r1' });
    const [url, init] = lastCall(fetchMock);
    expect(url).toBe('/api/v1/rooms');
    expect(init.method).toBe('POST');
    expect(init.body).toBe('{"name":"Standup"}');
    const headers = init.headers as Record<string, string>;
    expect(headers.Authorization).toBe('Bearer tok');
    expect(headers['Content-Type']).toBe('application/json');
  });

  it('sends no Authorization header or body when there is none', async () => {
    const { client, fetchMock } = clientWith(() =>
      Promise.resolve(new Response(null, { status: 204 })),
    );
    await expect(client.delete('/users/contacts/c1')).resolves.toBeUndefined();
    const [, init] = lastCall(fetchMock);
    const headers = init.headers as Record<string, string>;
    expect(headers.Authorization).toBeUndefined();
    expect(headers['Content-Type']).toBeUndefined();
    expect(init.body).toBeNull();
  });

  it('throws an ApiError parsed from the error envelope', async () => {
    const { client } = clientWith(() =>
      Promise.resolve(
        jsonResponse(
          429,
          { error: { code: 'rate_limited', message: 'Too many attempts.' } },
          { 'Retry-After': '7' },
        ),
      ),
    );
    const failure = client.post('/auth/login', { email: 'a@b.c', password: 'x' });
    await expect(failure).rejects.toBeInstanceOf(ApiError);
    await expect(failure).rejects.toMatchObject({
      status: 429,
      code: 'rate_limited',
      message: 'Too many attempts.',
      retryAfterSeconds: 7,
    });
  });

  it('handles an error reply that is not JSON', async () => {
    const { client } = clientWith(() =>
      Promise.resolve(
        new Response('upstream down', { status: 503, headers: { 'Content-Type': 'text/plain' } }),
      ),
    );
    await expect(client.get('/rooms')).rejects.toMatchObject({ status: 503, code: 'unavailable' });
  });

  it('reports a failed connection as a network error', async () => {
    const { client } = clientWith(() => Promise.reject(new TypeError('Failed to fetch')));
    await expect(client.get('/rooms')).rejects.toMatchObject({ status: 0, code: NETWORK_ERROR });
  });

  it('lets an aborted request reject with the AbortError itself', async () => {
    const abort = new DOMException('aborted', 'AbortError');
    const { client } = clientWith(() => Promise.reject(abort));
    await expect(client.get('/rooms')).rejects.toBe(abort);
  });
});

describe('request bodies and rate limits', () => {
  it('sends FormData as multipart without a JSON content type', async () => {
    const { client, fetchMock } = clientWith(() => Promise.resolve(jsonResponse(200, {})), 't');
    const form = new FormData();
    form.append('file', new Blob(['x'], { type: 'image/png' }), 'a.png');
    await client.put('/users/profile/avatar', form);
    const [, init] = lastCall(fetchMock);
    expect(init.body).toBe(form);
    expect((init.headers as Record<string, string>)['Content-Type']).toBeUndefined();
  });

  it('leaves the token out of anonymous requests', async () => {
    const { client, fetchMock } = clientWith(() => Promise.resolve(jsonResponse(200, {})), 't');
    await client.post('/auth/login', {}, { anonymous: true });
    const [, init] = lastCall(fetchMock);
    expect((init.headers as Record<string, string>).Authorization).toBeUndefined();
  });

  it('takes the wait from X-RateLimit-Reset when Retry-After is missing', async () => {
    const { client } = clientWith(() =>
      Promise.resolve(jsonResponse(429, {}, { 'X-RateLimit-Reset': '9' })),
    );
    await expect(client.get('/users/search')).rejects.toMatchObject({ retryAfterSeconds: 9 });
  });
});
