import { beforeEach, describe, expect, it } from 'vitest';
import type { CurrentUser } from './user-store';
import {
  displayNameOf,
  profileUpdated,
  signedIn,
  signedOut,
  tokenRefreshed,
  userStore,
} from './user-store';

const ayu: CurrentUser = {
  id: 'u1',
  email: 'ayu@example.id',
  firstName: 'Ayu',
  lastName: 'Lestari',
  avatarUrl: null,
};

beforeEach(() => {
  signedOut();
});

describe('user store', () => {
  it('holds the user and token after sign-in and clears both on sign-out', () => {
    signedIn(ayu, 'access-1');
    expect(userStore.getState()).toEqual({ user: ayu, accessToken: 'access-1' });
    signedOut();
    expect(userStore.getState()).toEqual({ user: null, accessToken: null });
  });

  it('replaces only the token on refresh', () => {
    signedIn(ayu, 'access-1');
    tokenRefreshed('access-2');
    expect(userStore.getState()).toEqual({ user: ayu, accessToken: 'access-2' });
  });

  it('merges profile changes and ignores them when signed out', () => {
    signedIn(ayu, 't');
    profileUpdated({ firstName: 'Ayuni' });
    expect(userStore.getState().user).toEqual({ ...ayu, firstName: 'Ayuni' });
    signedOut();
    profileUpdated({ firstName: 'X' });
    expect(userStore.getState().user).toBeNull();
  });

  it('names a user by full name, or email when the name is empty', () => {
    expect(displayNameOf(ayu)).toBe('Ayu Lestari');
    expect(displayNameOf({ ...ayu, firstName: '', lastName: '' })).toBe('ayu@example.id');
  });
});
