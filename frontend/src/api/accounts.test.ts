import { describe, expect, it, vi } from 'vitest';
import { rapatApi } from './accounts';
import { createApiClient } from './client';

function recordingApi() {
  const fetchMock = vi.fn<typeof fetch>(() =>
    Promise.resolve(
      new Response('{}', { status: 200, headers: { 'Content-Type': 'application/json' } }),
    ),
  );
  const api = rapatApi(createApiClient({ fetch: fetchMock, getAccessToken: () => 'tok' }));
  const sent = () => {
    const [url, init] = fetchMock.mock.calls.at(-1)!;
    const headers = init?.headers as Record<string, string>;
    const body = init?.body;
    return {
      call: `${init?.method ?? ''} ${url as string}`,
      body: typeof body === 'string' ? (JSON.parse(body) as unknown) : body,
      signedIn: headers.Authorization === 'Bearer tok',
    };
  };
  return { api, sent };
}

describe('accounts endpoints', () => {
  const { api, sent } = recordingApi();

  it.each([
    [
      () => api.auth.register({ email: 'a@b.c', password: 'p', first_name: 'A', last_name: 'B' }),
      'POST /api/v1/auth/register',
      { email: 'a@b.c', password: 'p', first_name: 'A', last_name: 'B' },
      false,
    ],
    [
      () => api.auth.login({ email: 'a@b.c', password: 'p' }),
      'POST /api/v1/auth/login',
      { email: 'a@b.c', password: 'p' },
      false,
    ],
    [() => api.auth.refresh('r1'), 'POST /api/v1/auth/refresh', { refresh_token: 'r1' }, false],
    [() => api.auth.logout('r1'), 'POST /api/v1/auth/logout', { refresh_token: 'r1' }, true],
    [() => api.auth.logout(), 'POST /api/v1/auth/logout', null, true],
    [() => api.auth.verifyEmail('t'), 'POST /api/v1/auth/verify-email', { token: 't' }, false],
    [() => api.auth.resendVerification(), 'POST /api/v1/auth/resend-verification', null, true],
    [
      () => api.auth.forgotPassword('a@b.c'),
      'POST /api/v1/auth/forgot-password',
      { email: 'a@b.c' },
      false,
    ],
    [
      () => api.auth.resetPassword('t', 'new one'),
      'POST /api/v1/auth/reset-password',
      { token: 't', password: 'new one' },
      false,
    ],
    [() => api.auth.sessions(), 'GET /api/v1/auth/sessions', null, true],
    [() => api.auth.revokeSession('s 1'), 'DELETE /api/v1/auth/sessions/s%201', null, true],
    [() => api.users.profile(), 'GET /api/v1/users/profile', null, true],
    [
      () => api.users.updateProfile({ first_name: 'A' }),
      'PUT /api/v1/users/profile',
      { first_name: 'A' },
      true,
    ],
    [() => api.users.removeAvatar(), 'DELETE /api/v1/users/profile/avatar', null, true],
    [
      () => api.users.changePassword({ current_password: 'a', new_password: 'b' }),
      'PUT /api/v1/users/password',
      { current_password: 'a', new_password: 'b' },
      true,
    ],
    [() => api.users.contacts(), 'GET /api/v1/users/contacts', null, true],
    [() => api.users.addContact('u2'), 'POST /api/v1/users/contacts', { user_id: 'u2' }, true],
    [() => api.users.removeContact('u2'), 'DELETE /api/v1/users/contacts/u2', null, true],
    [
      () => api.users.search({ q: 'an', limit: 5 }),
      'GET /api/v1/users/search?q=an&limit=5',
      null,
      true,
    ],
    [() => api.users.settings(), 'GET /api/v1/users/settings', null, true],
    [
      () => api.users.updateSettings({ theme: 'dark' }),
      'PUT /api/v1/users/settings',
      { settings: { theme: 'dark' } },
      true,
    ],
    [() => api.dev.mailbox(), 'GET /api/v1/dev/mailbox', null, true],
    [() => api.dev.mailboxStatus(), 'GET /api/v1/dev/mailbox/status', null, false],
  ])('%#: %s', async (call, expected, body, signedIn) => {
    await call();
    expect(sent()).toEqual({ call: expected, body, signedIn });
  });

  it('uploads the avatar as the multipart field "file"', async () => {
    await api.users.uploadAvatar(new File(['png'], 'me.png', { type: 'image/png' }));
    const { call, body } = sent();
    expect(call).toBe('PUT /api/v1/users/profile/avatar');
    expect(body).toBeInstanceOf(FormData);
    const file = (body as FormData).get('file');
    expect(file).toBeInstanceOf(File);
    expect((file as File).name).toBe('me.png');
  });
});
