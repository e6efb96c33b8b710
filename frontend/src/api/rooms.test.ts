import { describe, expect, it, vi } from 'vitest';
import { createApiClient } from './client';
import { isApiError } from './errors';
import { roomEndpoints } from './rooms';

function reply(status: number, body: string | null, type = 'application/json') {
  return new Response(body, { status, headers: { 'Content-Type': type } });
}

function recordingRooms(answer: () => Response = () => reply(200, '{}')) {
  const fetchMock = vi.fn<typeof fetch>(() => Promise.resolve(answer()));
  const rooms = roomEndpoints(createApiClient({ fetch: fetchMock, getAccessToken: () => 'tok' }));
  const sent = () => {
    const [url, init] = fetchMock.mock.calls.at(-1)!;
    const headers = init?.headers as Record<string, string>;
    const body = init?.body;
    return {
      call: `${init?.method ?? ''} ${url as string}`,
      body: typeof body === 'string' ? (JSON.parse(body) as unknown) : body,
      headers,
    };
  };
  return { rooms, sent };
}

describe('room endpoints', () => {
  const { rooms, sent } = recordingRooms();

  it.each([
    [
      () => rooms.create({ name: 'Weekly sync', max_users: 5, settings: { allow_chat: false } }),
      'POST /api/v1/rooms',
      { name: 'Weekly sync', max_users: 5, settings: { allow_chat: false } },
    ],
    [() => rooms.list(), 'GET /api/v1/rooms', null],
    [
      () => rooms.list({ scope: 'hosted', status: 'active', upcoming: true, limit: 5, offset: 10 }),
      'GET /api/v1/rooms?scope=hosted&status=active&upcoming=true&limit=5&offset=10',
      null,
    ],
    [() => rooms.myHistory({ limit: 10 }), 'GET /api/v1/rooms/history?limit=10', null],
    [() => rooms.myHistory(), 'GET /api/v1/rooms/history', null],
    [() => rooms.get('abc-defg-hij'), 'GET /api/v1/rooms/abc-defg-hij', null],
    [
      () => rooms.update('r 1', { name: 'New name', password: null }),
      'PUT /api/v1/rooms/r%201',
      { name: 'New name', password: null },
    ],
    [() => rooms.cancel('r1'), 'PUT /api/v1/rooms/r1', { status: 'cancelled' }],
    [() => rooms.remove('r1'), 'DELETE /api/v1/rooms/r1', null],
    [() => rooms.join('r1'), 'POST /api/v1/rooms/r1/join', {}],
    [
      () => rooms.join('r1', { password: 'secret', as_observer: true }),
      'POST /api/v1/rooms/r1/join',
      { password: 'secret', as_observer: true },
    ],
    [() => rooms.signaling('abc-defg-hij'), 'GET /api/v1/rooms/abc-defg-hij/signaling', null],
    [() => rooms.leave('r1'), 'POST /api/v1/rooms/r1/leave', null],
    [() => rooms.end('r1'), 'POST /api/v1/rooms/r1/end', null],
    [() => rooms.participants('r1'), 'GET /api/v1/rooms/r1/participants?include_left=false', null],
    [
      () => rooms.participants('r1', true),
      'GET /api/v1/rooms/r1/participants?include_left=true',
      null,
    ],
    [
      () => rooms.assignRole('r1', 'u 2', 'moderator'),
      'PUT /api/v1/rooms/r1/participants/u%202',
      { role: 'moderator' },
    ],
    [
      () => rooms.history('r1', { limit: 5, offset: 5 }),
      'GET /api/v1/rooms/r1/history?limit=5&offset=5',
      null,
    ],
    [() => rooms.history('r1'), 'GET /api/v1/rooms/r1/history', null],
    [
      () => rooms.messages('r1', { before: 'c1', limit: 50 }),
      'GET /api/v1/rooms/r1/messages?before=c1&limit=50',
      null,
    ],
    [() => rooms.messages('r1'), 'GET /api/v1/rooms/r1/messages', null],
    [() => rooms.settings('r1'), 'GET /api/v1/rooms/r1/settings', null],
    [
      () => rooms.updateSettings('r1', { lobby_enabled: true }),
      'PUT /api/v1/rooms/r1/settings',
      { lobby_enabled: true },
    ],
  ])('%#: %s', async (call, expected, body) => {
    await call();
    const request = sent();
    expect({ call: request.call, body: request.body ?? null }).toEqual({ call: expected, body });
    expect(request.headers.Authorization).toBe('Bearer tok');
  });
});

describe('calendar invitation', () => {
  it('fetches the .ics text with the bearer token and names the file after the code', async () => {
    const { rooms, sent } = recordingRooms(() =>
      reply(200, 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n', 'text/calendar; charset=utf-8'),
    );
    const invitation = await rooms.invitation('abc-defg-hij');
    expect(invitation).toEqual({
      filename: 'rapat-abc-defg-hij.ics',
      text: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n',
    });
    const request = sent();
    expect(request.call).toBe('GET /api/v1/rooms/abc-defg-hij/invite.ics');
    expect(request.headers).toMatchObject({ Accept: 'text/calendar', Authorization: 'Bearer tok' });
  });

  it('turns "not scheduled" into an ApiError', async () => {
    const { rooms } = recordingRooms(() =>
      reply(
        409,
        JSON.stringify({ error: { code: 'not_scheduled', message: 'No scheduled time.' } }),
      ),
    );
    const failure: unknown = await rooms.invitation('r1').catch((error: unknown) => error);
    expect(isApiError(failure) && failure.code).toBe('not_scheduled');
  });
});

describe('join refusals', () => {
  it.each([
    [403, 'wrong_password'],
    [409, 'room_full'],
    [409, 'room_ended'],
    [409, 'room_cancelled'],
  ])('%i %s arrives as the ApiError code', async (status, code) => {
    const { rooms } = recordingRooms(() =>
      reply(status, JSON.stringify({ error: { code, message: 'No.' } })),
    );
    const failure: unknown = await rooms.join('r1').catch((error: unknown) => error);
    expect(isApiError(failure) && [failure.status, failure.code]).toEqual([status, code]);
  });
});
