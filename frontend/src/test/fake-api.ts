import { vi } from 'vitest';
import type { Tokens, User } from '@/api';

export interface ReceivedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: unknown;
}

type Reply = Response | ((request: ReceivedRequest) => Response | Promise<Response>);

export function json(status: number, body?: unknown, headers: Record<string, string> = {}) {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

export function apiError(status: number, code: string, message: string, extra: object = {}) {
  return json(status, { error: { code, message, ...extra } });
}

/**
 * Stands in for the server behind the global fetch. Routes are "METHOD /path" under /api/v1;
 * a Response is answered once per request (cloned), a function may look at the request.
 * Anything else answers 404, so a forgotten route shows up as a failed call.
 */
export function fakeApi(routes: Record<string, Reply> = {}) {
  const requests: ReceivedRequest[] = [];
  const table = new Map(Object.entries(routes));
  const fetchMock = vi.fn<typeof fetch>(async (input, init) => {
    const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const url = new URL(href, 'http://app.test');
    const rawBody = init?.body;
    const request: ReceivedRequest = {
      method: init?.method ?? 'GET',
      path: url.pathname.replace(/^\/api\/v1/, ''),
      query: url.searchParams,
      headers: (init?.headers ?? {}) as Record<string, string>,
      body: typeof rawBody === 'string' ? (JSON.parse(rawBody) as unknown) : rawBody,
    };
    requests.push(request);
    const reply = table.get(`${request.method} ${request.path}`);
    if (reply === undefined) {
      return apiError(404, 'not_found', `No route for ${request.method} ${request.path}`);
    }
    return typeof reply === 'function' ? reply(request) : reply.clone();
  });
  vi.stubGlobal('fetch', fetchMock);
  return {
    requests,
    fetchMock,
    /** Adds or replaces a route. */
    on(route: string, reply: Reply) {
      table.set(route, reply);
    },
    called(route: string) {
      return requests.filter((request) => `${request.method} ${request.path}` === route);
    },
  };
}

export function aUser(overrides: Partial<User> = {}): User {
  return {
    id: 'u-ayu',
    email: 'ayu@example.id',
    first_name: 'Ayu',
    last_name: 'Lestari',
    avatar_url: null,
    email_verified: true,
    status: 'active',
    created_at: '2026-01-10T08:00:00Z',
    last_login: null,
    ...overrides,
  };
}

export function tokensFor(user: User = aUser(), n = 1): Tokens {
  return {
    access_token: `access-${n}`,
    refresh_token: `refresh-${n}`,
    token_type: 'bearer',
    expires_in: 86400,
    refresh_expires_in: 604800,
    user,
  };
}
