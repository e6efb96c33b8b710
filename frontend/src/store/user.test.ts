import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aUser, apiError, fakeApi, json, tokensFor } from '@/test/fake-api';
import { resetSession } from '@/test/session';
import {
  SESSION_STORAGE_KEY,
  api,
  displayNameOf,
  keptSessionFrom,
  login,
  logout,
  noticeSeen,
  refreshProfile,
  register,
  restoreSession,
  sessionExpired,
  signedIn,
  userStore,
} from './user';

const ayu = aUser();

function storedSession(): unknown {
  return (JSON.parse(localStorage.getItem(SESSION_STORAGE_KEY) ?? 'null') as { state: unknown })
    .state;
}

let stopRestoring: () => void = () => undefined;

beforeEach(() => {
  resetSession();
});

afterEach(() => {
  stopRestoring();
});

describe('signing in and out', () => {
  it('logs in, keeps the tokens and persists them for the next visit', async () => {
    const server = fakeApi({ 'POST /auth/login': json(200, tokensFor(ayu)) });
    await expect(login({ email: ayu.email, password: 'correct horse' })).resolves.toEqual(ayu);
    expect(userStore.getState()).toMatchObject({
      status: 'signed-in',
      user: ayu,
      accessToken: 'access-1',
      refreshToken: 'refresh-1',
    });
    expect(server.called('POST /auth/login')[0]?.body).toEqual({
      email: ayu.email,
      password: 'correct horse',
    });
    expect(storedSession()).toEqual({
      user: ayu,
      accessToken: 'access-1',
      refreshToken: 'refresh-1',
    });
  });

  it('stays signed out when the credentials are refused', async () => {
    fakeApi({
      'POST /auth/login': apiError(401, 'invalid_credentials', 'Wrong email or password.'),
    });
    await expect(login({ email: ayu.email, password: 'nope' })).rejects.toMatchObject({
      code: 'invalid_credentials',
    });
    expect(userStore.getState().status).toBe('anonymous');
  });

  it('registers without signing in', async () => {
    fakeApi({ 'POST /auth/register': json(201, { user: { ...ayu, email_verified: false } }) });
    const user = await register({
      email: ayu.email,
      password: 'long enough',
      first_name: 'Ayu',
      last_name: 'Lestari',
    });
    expect(user.email_verified).toBe(false);
    expect(userStore.getState().status).toBe('anonymous');
  });

  it('logs out on the server with the refresh token and forgets the session', async () => {
    const server = fakeApi({ 'POST /auth/logout': json(204) });
    signedIn(tokensFor(ayu));
    await logout();
    const [request] = server.called('POST /auth/logout');
    expect(request?.body).toEqual({ refresh_token: 'refresh-1' });
    expect(request?.headers.Authorization).toBe('Bearer access-1');
    expect(userStore.getState()).toMatchObject({
      status: 'anonymous',
      accessToken: null,
      notice: 'signed-out',
    });
    expect(storedSession()).toEqual({ user: null, accessToken: null, refreshToken: null });
  });

  it('forgets the session even when the server cannot be reached', async () => {
    const server = fakeApi();
    server.fetchMock.mockRejectedValue(new TypeError('offline'));
    signedIn(tokensFor(ayu));
    await logout();
    expect(userStore.getState().status).toBe('anonymous');
  });

  it('remembers that a session expired until the notice is seen', () => {
    signedIn(tokensFor(ayu));
    sessionExpired();
    expect(userStore.getState()).toMatchObject({ status: 'anonymous', notice: 'expired' });
    noticeSeen();
    expect(userStore.getState().notice).toBeNull();
  });
});

describe('renewing the session through the API', () => {
  it('refreshes after a 401, keeps the rotated tokens and retries', async () => {
    const server = fakeApi({
      'POST /auth/refresh': json(200, tokensFor(ayu, 2)),
      'GET /users/profile': (request) =>
        request.headers.Authorization === 'Bearer access-2'
          ? json(200, ayu)
          : apiError(401, 'unauthenticated', 'Expired.'),
    });
    signedIn(tokensFor(ayu, 1));
    await expect(refreshProfile()).resolves.toEqual(ayu);
    expect(server.called('POST /auth/refresh')[0]?.body).toEqual({ refresh_token: 'refresh-1' });
    expect(userStore.getState()).toMatchObject({
      accessToken: 'access-2',
      refreshToken: 'refresh-2',
    });
  });

  it('signs out with a notice when the refresh token is refused', async () => {
    fakeApi({
      'POST /auth/refresh': apiError(401, 'invalid_refresh_token', 'Sign in again.'),
      'GET /users/contacts': apiError(401, 'unauthenticated', 'Expired.'),
    });
    signedIn(tokensFor(ayu));
    await expect(api.users.contacts()).rejects.toMatchObject({ status: 401 });
    expect(userStore.getState()).toMatchObject({ status: 'anonymous', notice: 'expired' });
  });

  it('adopts tokens another tab renewed instead of refreshing the used one', async () => {
    const server = fakeApi({
      'GET /users/settings': (request) =>
        request.headers.Authorization === 'Bearer access-7'
          ? json(200, { settings: {} })
          : apiError(401, 'unauthenticated', 'Expired.'),
    });
    signedIn(tokensFor(ayu, 1));
    const otherTab = { user: ayu, accessToken: 'access-7', refreshToken: 'refresh-7' };
    localStorage.setItem(SESSION_STORAGE_KEY, JSON.stringify({ state: otherTab, version: 1 }));
    await expect(api.users.settings()).resolves.toEqual({ settings: {} });
    expect(server.called('POST /auth/refresh')).toHaveLength(0);
    expect(userStore.getState().refreshToken).toBe('refresh-7');
  });

  it('keeps the session when the refresh fails for another reason', async () => {
    fakeApi({
      'POST /auth/refresh': apiError(503, 'unavailable', 'Down.'),
      'GET /users/profile': apiError(401, 'unauthenticated', 'Expired.'),
    });
    signedIn(tokensFor(ayu));
    await expect(refreshProfile()).rejects.toMatchObject({ status: 503 });
    expect(userStore.getState().status).toBe('signed-in');
  });
});

describe('restoring a kept session', () => {
  function keep(state: unknown) {
    localStorage.setItem(SESSION_STORAGE_KEY, JSON.stringify({ state, version: 1 }));
  }

  it('is signed in at once with the kept profile, then reads the current one', async () => {
    const renamed = { ...ayu, first_name: 'Ayuni' };
    const server = fakeApi({ 'GET /users/profile': json(200, renamed) });
    keep({ user: ayu, accessToken: 'access-1', refreshToken: 'refresh-1' });
    stopRestoring = restoreSession();
    expect(userStore.getState()).toMatchObject({ status: 'signed-in', user: ayu });
    await expect.poll(() => userStore.getState().user?.first_name).toBe('Ayuni');
    expect(server.called('GET /users/profile')[0]?.headers.Authorization).toBe('Bearer access-1');
  });

  it('is loading while only tokens were kept', () => {
    fakeApi({ 'GET /users/profile': json(200, ayu) });
    keep({ user: null, accessToken: 'access-1', refreshToken: 'refresh-1' });
    stopRestoring = restoreSession();
    expect(userStore.getState().status).toBe('loading');
  });

  it('stays anonymous with nothing usable kept', () => {
    const server = fakeApi();
    keep({ accessToken: 42 });
    stopRestoring = restoreSession();
    expect(userStore.getState().status).toBe('anonymous');
    expect(server.requests).toHaveLength(0);
  });

  it('follows a sign-out made in another tab', () => {
    fakeApi({ 'GET /users/profile': json(200, ayu) });
    keep({ user: ayu, accessToken: 'access-1', refreshToken: 'refresh-1' });
    stopRestoring = restoreSession();
    localStorage.removeItem(SESSION_STORAGE_KEY);
    window.dispatchEvent(new StorageEvent('storage', { key: SESSION_STORAGE_KEY }));
    expect(userStore.getState().status).toBe('anonymous');
  });

  it('refuses malformed kept values', () => {
    expect(keptSessionFrom('nope')).toEqual({ user: null, accessToken: null, refreshToken: null });
    expect(keptSessionFrom({ user: { id: 3 }, accessToken: 'a', refreshToken: 'r' })).toEqual({
      user: null,
      accessToken: 'a',
      refreshToken: 'r',
    });
  });
});

describe('displayNameOf', () => {
  it('uses the full name, or the email when there is none', () => {
    expect(displayNameOf(ayu)).toBe('Ayu Lestari');
    expect(displayNameOf({ ...ayu, first_name: '', last_name: ' ' })).toBe('ayu@example.id');
  });
});
