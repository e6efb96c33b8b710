import type { PasswordChange, ProfileChanges, User } from '@/api';
import { api, signedOut, userChanged, userStore } from './user';

// Account actions that change the signed-in user's profile or credentials.

export async function updateProfile(changes: ProfileChanges): Promise<User> {
  const user = await api.users.updateProfile(changes);
  userChanged(user);
  return user;
}

export async function uploadAvatar(file: File): Promise<User> {
  const user = await api.users.uploadAvatar(file);
  userChanged(user);
  return user;
}

export async function removeAvatar(): Promise<User> {
  const user = await api.users.removeAvatar();
  userChanged(user);
  return user;
}

/** The server signs out every other session; this one stays. */
export async function changePassword(change: PasswordChange): Promise<void> {
  await api.users.changePassword(change);
}

export async function resendVerification(): Promise<void> {
  await api.auth.resendVerification();
}

/** Redeems the emailed link; updates the profile here when it is this user's email. */
export async function verifyEmail(token: string): Promise<User> {
  const { user } = await api.auth.verifyEmail(token);
  if (userStore.getState().user?.id === user.id) {
    userChanged(user);
  }
  return user;
}

export async function requestPasswordReset(email: string): Promise<void> {
  await api.auth.forgotPassword(email);
}

/** Every session of the account ends, this browser's included. */
export async function resetPassword(token: string, password: string): Promise<void> {
  await api.auth.resetPassword(token, password);
  signedOut();
}
