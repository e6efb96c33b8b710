import { createStore } from 'zustand/vanilla';

export interface CurrentUser {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  avatarUrl: string | null;
}

export interface UserState {
  user: CurrentUser | null;
  /** Kept in memory only; the refresh token lives in an HttpOnly cookie. */
  accessToken: string | null;
}

const initialState = (): UserState => ({ user: null, accessToken: null });

export const userStore = createStore<UserState>()(initialState);

export function signedIn(user: CurrentUser, accessToken: string): void {
  userStore.setState({ user, accessToken });
}

export function tokenRefreshed(accessToken: string): void {
  userStore.setState({ accessToken });
}

export function profileUpdated(changes: Partial<Omit<CurrentUser, 'id'>>): void {
  const { user } = userStore.getState();
  if (user) {
    userStore.setState({ user: { ...user, ...changes } });
  }
}

export function signedOut(): void {
  userStore.setState(initialState(), true);
}

export function displayNameOf(user: CurrentUser): string {
  return `${user.firstName} ${user.lastName}`.trim() || user.email;
}

export const selectAccessToken = (state: UserState): string | null => state.accessToken;
