import type { PasswordChange, ProfileChanges, User } from '@/api';
import { isApiError } from '@/api';
import { api, refreshProfile, signedOut, userChanged, userStore } from './user';

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

/** Mails a new link; if the email was verified meanwhile, the profile catches up instead. */
export async function resendVerification(): Promise<'sent' | 'already-verified'> {
  try {
    await api.auth.resendVerification();
    return 'sent';
  } catch (error) {
    if (isApiError(error) && error.code === 'already_verified') {
      await refreshProfile();
      return 'already-verified';
    }
    throw error;
  }
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
