import type { User } from '@/api';
import { signedIn, signedOut } from '@/store';
import { aUser, tokensFor } from './fake-api';

/** Starts a test signed in as `user` (Ayu by default). */
export function signInAs(user: User = aUser()): User {
  signedIn(tokensFor(user));
  return user;
}

export function resetSession(): void {
  signedOut();
  localStorage.clear();
}
