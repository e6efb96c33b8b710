import { beforeEach, describe, expect, it } from 'vitest';
import { aUser, fakeApi, json } from '@/test/fake-api';
import { resetSession, signInAs } from '@/test/session';
import {
  changePassword,
  removeAvatar,
  requestPasswordReset,
  resendVerification,
  resetPassword,
  updateProfile,
  uploadAvatar,
  verifyEmail,
} from './profile';
import { userStore } from './user';

const ayu = aUser({ email_verified: false });

beforeEach(() => {
  resetSession();
});

describe('profile actions', () => {
  it('saves names and shows the server copy', async () => {
    const server = fakeApi({ 'PUT /users/profile': json(200, { ...ayu, first_name: 'Ayuni' }) });
    signInAs(ayu);
    await updateProfile({ first_name: 'Ayuni' });
    expect(server.called('PUT /users/profile')[0]?.body).toEqual({ first_name: 'Ayuni' });
    expect(userStore.getState().user?.first_name).toBe('Ayuni');
  });

  it('uploads and removes the avatar', async () => {
    const withPhoto = { ...ayu, avatar_url: '/api/v1/users/u-ayu/avatar?v=1' };
    fakeApi({
      'PUT /users/profile/avatar': json(200, withPhoto),
      'DELETE /users/profile/avatar': json(200, ayu),
    });
    signInAs(ayu);
    await uploadAvatar(new File(['png'], 'me.png', { type: 'image/png' }));
    expect(userStore.getState().user?.avatar_url).toBe(withPhoto.avatar_url);
    await removeAvatar();
    expect(userStore.getState().user?.avatar_url).toBeNull();
  });

  it('changes the password and keeps this session', async () => {
    const server = fakeApi({ 'PUT /users/password': json(204) });
    signInAs(ayu);
    await changePassword({ current_password: 'old password', new_password: 'new password!' });
    expect(server.requests[0]?.body).toEqual({
      current_password: 'old password',
      new_password: 'new password!',
    });
    expect(userStore.getState().status).toBe('signed-in');
  });

  it('marks the signed-in user verified when the link is theirs', async () => {
    fakeApi({ 'POST /auth/verify-email': json(200, { user: { ...ayu, email_verified: true } }) });
    signInAs(ayu);
    await verifyEmail('token-1');
    expect(userStore.getState().user?.email_verified).toBe(true);
  });

  it("leaves another account's profile alone when verifying", async () => {
    fakeApi({ 'POST /auth/verify-email': json(200, { user: aUser({ id: 'u-budi' }) }) });
    signInAs(ayu);
    await verifyEmail('token-1');
    expect(userStore.getState().user?.id).toBe('u-ayu');
  });

  it('asks for a new verification mail and a reset link', async () => {
    const server = fakeApi({
      'POST /auth/resend-verification': json(202, { message: 'Sent.' }),
      'POST /auth/forgot-password': json(202, { message: 'Sent.' }),
    });
    signInAs(ayu);
    await resendVerification();
    await requestPasswordReset('ayu@example.id');
    expect(server.requests.map((request) => request.path)).toEqual([
      '/auth/resend-verification',
      '/auth/forgot-password',
    ]);
  });

  it('signs this browser out after a password reset', async () => {
    fakeApi({ 'POST /auth/reset-password': json(200, { message: 'Done.' }) });
    signInAs(ayu);
    await resetPassword('token-1', 'brand new password');
    expect(userStore.getState().status).toBe('anonymous');
  });
});
