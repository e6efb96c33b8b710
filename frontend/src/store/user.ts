import { createJSONStorage, persist } from 'zustand/middleware';
import { createStore } from 'zustand/vanilla';
import type { Credentials, Registration, Tokens, User } from '@/api';
import { createApiClient, isApiError, rapatApi, roomEndpoints } from '@/api';

/** anonymous: nobody signed in; loading: tokens kept but the profile not read yet. */
export type AuthStatus = 'anonymous' | 'loading' | 'signed-in';

/** How the last session ended: the server refused to renew it, or the user signed out. */
export type SessionNotice = 'expired' | 'signed-out' | null;

export interface UserState {
  status: AuthStatus;
  user: User | null;
  accessToken: string | null;
  refreshToken: string | null;
  notice: SessionNotice;
}

type KeptSession = Pick<UserState, 'user' | 'accessToken' | 'refreshToken'>;

/** The localStorage key; other tabs listen to it, the browser tests seed it. */
export const SESSION_STORAGE_KEY = 'rapat.session';

const anonymous = (notice: SessionNotice = null): UserState => ({
  status: 'anonymous',
  user: null,
  accessToken: null,
  refreshToken: null,
  notice,
});

function statusOf({ user, accessToken, refreshToken }: KeptSession): AuthStatus {
  if (!accessToken || !refreshToken) {
    return 'anonymous';
  }
  return user ? 'signed-in' : 'loading';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Storage can hold anything (an older version, a hand edit); keep only a usable session. */
export function keptSessionFrom(stored: unknown): KeptSession {
  if (!isRecord(stored)) {
    return { user: null, accessToken: null, refreshToken: null };
  }
  const { user, accessToken, refreshToken } = stored;
  return {
    user: isRecord(user) && typeof user.id === 'string' ? (user as unknown as User) : null,
    accessToken: typeof accessToken === 'string' ? accessToken : null,
    refreshToken: typeof refreshToken === 'string' ? refreshToken : null,
  };
}

export const userStore = createStore<UserState>()(
  persist(() => anonymous(), {
    name: SESSION_STORAGE_KEY,
    version: 1,
    storage: createJSONStorage(() => localStorage),
    // Read by restoreSession(), not when this module loads.
    skipHydration: true,
    partialize: ({ user, accessToken, refreshToken }): KeptSession => ({
      user,
      accessToken,
      refreshToken,
    }),
    merge: (stored, current) => {
      const kept = keptSessionFrom(stored);
      return { ...current, ...kept, status: statusOf(kept) };
    },
  }),
);

// State changes, each named for what happened.

export function signedIn(tokens: Tokens): void {
  userStore.setState({
    status: 'signed-in',
    user: tokens.user,
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    notice: null,
  });
}

export function tokensRenewed(tokens: Tokens): void {
  userStore.setState({
    user: tokens.user,
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
  });
}

/** The server sent a newer copy of the profile. */
export function userChanged(user: User): void {
  const state = userStore.getState();
  if (state.accessToken && state.refreshToken) {
    userStore.setState({ user, status: 'signed-in' });
  }
}

export function signedOut(notice: SessionNotice = null): void {
  userStore.setState(anonymous(notice), true);
}

/** The server refused to renew the session: sign in again. */
export function sessionExpired(): void {
  userStore.setState(anonymous('expired'), true);
}

export function noticeSeen(): void {
  userStore.setState({ notice: null });
}

// The API, speaking for whoever is signed in.

export const api = rapatApi(
  createApiClient({
    getAccessToken: () => userStore.getState().accessToken,
    renewSession,
    onSessionExpired: sessionExpired,
  }),
);

/** The rooms endpoints, on the same client (same token, same renewal). */
export const roomsApi = roomEndpoints(api.client);

/**
 * Trades the refresh token for a new pair. True when renewed, false when the session is over;
 * other failures (offline, server error) reject and leave the session alone.
 */
export async function renewSession(): Promise<boolean> {
  const held = userStore.getState().refreshToken;
  // Another tab may have renewed already; its refresh token replaced ours in storage.
  const stored = readStoredSession();
  if (stored.refreshToken && stored.accessToken && stored.refreshToken !== held) {
    userStore.setState({ ...stored, status: statusOf(stored) });
    return true;
  }
  if (!held) {
    return false;
  }
  try {
    tokensRenewed(await api.auth.refresh(held));
    return true;
  } catch (error) {
    if (isApiError(error) && (error.status === 401 || error.status === 400)) {
      return false;
    }
    throw error;
  }
}

function readStoredSession(): KeptSession {
  try {
    const raw = localStorage.getItem(SESSION_STORAGE_KEY);
    return keptSessionFrom(raw ? (JSON.parse(raw) as { state?: unknown }).state : null);
  } catch {
    return keptSessionFrom(null);
  }
}

// What the pages ask for.

export async function login(credentials: Credentials): Promise<User> {
  const tokens = await api.auth.login(credentials);
  signedIn(tokens);
  return tokens.user;
}

/** Creates the account; the user signs in after verifying the email. */
export async function register(registration: Registration): Promise<User> {
  const { user } = await api.auth.register(registration);
  return user;
}

/** Ends the session on the server when it can be reached, and here in any case. */
export async function logout(): Promise<void> {
  const { refreshToken, accessToken } = userStore.getState();
  try {
    if (accessToken) {
      await api.auth.logout(refreshToken ?? undefined);
    }
  } catch {
    // Already signed out there, or unreachable: the tokens are forgotten here either way.
  } finally {
    signedOut('signed-out');
  }
}

export async function refreshProfile(): Promise<User> {
  const user = await api.users.profile();
  userChanged(user);
  return user;
}

/**
 * Picks up the session kept in this browser, checks it with the server in the background and
 * follows sign-ins and sign-outs made in other tabs. Returns a function that stops listening.
 */
export function restoreSession(): () => void {
  void userStore.persist.rehydrate();
  if (userStore.getState().status !== 'anonymous') {
    refreshProfile().catch(() => {
      // An ended session was handled by the API client; offline keeps the kept profile.
    });
  }
  const onStorage = (event: StorageEvent) => {
    if (event.key === SESSION_STORAGE_KEY) {
      void userStore.persist.rehydrate();
    }
  };
  window.addEventListener('storage', onStorage);
  return () => {
    window.removeEventListener('storage', onStorage);
  };
}

export function displayNameOf(user: Pick<User, 'first_name' | 'last_name' | 'email'>): string {
  return `${user.first_name} ${user.last_name}`.trim() || user.email;
}
