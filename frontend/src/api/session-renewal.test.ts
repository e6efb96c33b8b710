import { describe, expect, it, vi } from 'vitest';
import { createApiClient } from './client';
import { ApiError } from './errors';

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

const unauthenticated = () =>
  jsonResponse(401, { error: { code: 'unauthenticated', message: 'Sign in again.' } });

/** A server that accepts only the current access token; renewing swaps it for the next one. */
function sessionServer() {
  const session = { token: 'access-1', renewals: 0 };
  const fetchMock = vi.fn<typeof fetch>((_input, init) => {
    const headers = (init?.headers ?? {}) as Record<string, string>;
    return Promise.resolve(
      headers.Authorization === `Bearer ${session.token}`
        ? jsonResponse(200, { ok: true })
        : unauthenticated(),
    );
  });
  let heldToken: string | null = 'access-0';
  const renewSession = vi.fn(async () => {
    await Promise.resolve();
    session.renewals += 1;
    heldToken = session.token;
    return true;
  });
  const onSessionExpired = vi.fn();
  const client = createApiClient({
    fetch: fetchMock,
    getAccessToken: () => heldToken,
    renewSession,
    onSessionExpired,
  });
  return {
    client,
    fetchMock,
    renewSession,
    onSessionExpired,
    setHeldToken: (token: string | null) => {
      heldToken = token;
    },
  };
}

function authorizationOf(call: Parameters<typeof fetch>): string | undefined {
  return (call[1]?.headers as Record<string, string>).Authorization;
}

describe('session renewal', () => {
  it('renews once after a 401 and sends the request again with the new token', async () => {
    const { client, fetchMock, renewSession } = sessionServer();
    await expect(client.get('/users/profile')).resolves.toEqual({ ok: true });
    expect(renewSession).toHaveBeenCalledTimes(1);
    expect(fetchMock.mock.calls.map(authorizationOf)).toEqual([
      'Bearer access-0',
      'Bearer access-1',
    ]);
  });

  it('shares one renewal between requests refused at the same time', async () => {
    const { client, fetchMock, renewSession } = sessionServer();
    const replies = await Promise.all([
      client.get('/users/profile'),
      client.get('/users/contacts'),
      client.get('/users/settings'),
    ]);
    expect(replies).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    expect(renewSession).toHaveBeenCalledTimes(1);
    expect(fetchMock).toHaveBeenCalledTimes(6);
  });

  it('does not renew again when another request already did', async () => {
    const renewSession = vi.fn(() => Promise.resolve(true));
    const fetchMock = vi
      .fn<typeof fetch>()
      .mockResolvedValueOnce(unauthenticated())
      .mockResolvedValue(jsonResponse(200, { ok: true }));
    // The request left with an old token; by the time it is refused a new one is held.
    const getAccessToken = vi
      .fn<() => string | null>()
      .mockReturnValueOnce('access-0')
      .mockReturnValue('access-1');
    const client = createApiClient({ fetch: fetchMock, getAccessToken, renewSession });
    await expect(client.get('/users/profile')).resolves.toEqual({ ok: true });
    expect(renewSession).not.toHaveBeenCalled();
    expect(authorizationOf(fetchMock.mock.calls[1]!)).toBe('Bearer access-1');
  });

  it('ends the session once when renewal is refused and reports the original 401', async () => {
    const { client, renewSession, onSessionExpired } = sessionServer();
    renewSession.mockResolvedValue(false);
    const results = await Promise.allSettled([
      client.get('/users/profile'),
      client.get('/users/contacts'),
    ]);
    for (const result of results) {
      expect(result).toMatchObject({
        status: 'rejected',
        reason: { status: 401, code: 'unauthenticated' },
      });
    }
    expect(renewSession).toHaveBeenCalledTimes(1);
    expect(onSessionExpired).toHaveBeenCalledTimes(1);
  });

  it('keeps the session when the server could not be asked', async () => {
    const { client, renewSession, onSessionExpired } = sessionServer();
    const offline = new ApiError(0, 'network_error', 'Cannot reach the server.');
    renewSession.mockRejectedValue(offline);
    await expect(client.get('/users/profile')).rejects.toBe(offline);
    expect(onSessionExpired).not.toHaveBeenCalled();
  });

  it('gives up after one retry instead of looping', async () => {
    const fetchMock = vi.fn<typeof fetch>(() => Promise.resolve(unauthenticated()));
    let token = 'a';
    const renewSession = vi.fn(() => {
      token += 'a';
      return Promise.resolve(true);
    });
    const client = createApiClient({ fetch: fetchMock, getAccessToken: () => token, renewSession });
    await expect(client.get('/users/profile')).rejects.toMatchObject({ status: 401 });
    expect(renewSession).toHaveBeenCalledTimes(1);
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it('never renews for anonymous requests or requests sent without a token', async () => {
    const { client, renewSession, setHeldToken } = sessionServer();
    await expect(
      client.post('/auth/login', { email: 'a@b.c', password: 'x' }, { anonymous: true }),
    ).rejects.toMatchObject({ status: 401 });
    setHeldToken(null);
    await expect(client.get('/users/profile')).rejects.toMatchObject({ status: 401 });
    expect(renewSession).not.toHaveBeenCalled();
  });
});
