import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetUiStore, uiStore, userStore } from '@/store';
import { aUser, apiError, fakeApi, json } from '@/test/fake-api';
import { openAt } from '@/test/render-app';
import { resetSession, signInAs } from '@/test/session';

const PHOTO_URL = '/api/v1/users/u-ayu/avatar?v=1';

function toastTitles() {
  return uiStore.getState().toasts.map((toast) => toast.title);
}

function chooseFile(file: File) {
  const input = screen.getByLabelText<HTMLInputElement>('Profile photo file');
  Object.defineProperty(input, 'files', { value: [file], configurable: true });
  // A real "change": testing-library turns change into input once preact/compat is loaded.
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

beforeEach(() => {
  resetUiStore();
  resetSession();
  vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:preview');
  vi.spyOn(URL, 'revokeObjectURL').mockReturnValue(undefined);
});

afterEach(() => {
  resetUiStore();
});

describe('ProfilePage', () => {
  it('saves the names and shows them in the header', async () => {
    const server = fakeApi({
      'PUT /users/profile': json(200, aUser({ first_name: 'Ayuni', last_name: 'Lestari' })),
    });
    signInAs();
    openAt('/profile');
    const save = await screen.findByRole('button', { name: 'Save changes' });
    expect(save).toBeDisabled();
    fireEvent.input(screen.getByLabelText('First name'), { target: { value: ' Ayuni ' } });
    fireEvent.click(save);
    await waitFor(() => {
      expect(toastTitles()).toContain('Profile saved');
    });
    expect(server.requests[0]?.body).toEqual({ first_name: 'Ayuni', last_name: 'Lestari' });
    expect(screen.getByRole('button', { name: 'Account menu for Ayuni Lestari' })).toBeVisible();
  });

  it('refuses an empty name before sending', async () => {
    const server = fakeApi();
    signInAs();
    openAt('/profile');
    fireEvent.input(await screen.findByLabelText('Last name'), { target: { value: ' ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(screen.getByText('Enter your last name.')).toBeVisible();
    expect(server.requests).toHaveLength(0);
  });

  it.each([
    [new File(['gif'], 'cat.gif', { type: 'image/gif' }), 'Choose a PNG, JPEG or WebP image.'],
    [
      new File([new Uint8Array(2 * 1024 * 1024 + 1)], 'big.png', { type: 'image/png' }),
      'Choose an image of at most 2 MB.',
    ],
  ])('checks the photo file before uploading: %#', async (file, problem) => {
    const server = fakeApi();
    signInAs();
    openAt('/profile');
    await screen.findByRole('heading', { name: 'Profile', level: 1 });
    chooseFile(file);
    expect(await screen.findByRole('alert')).toHaveTextContent(problem);
    expect(screen.queryByRole('button', { name: 'Save photo' })).toBeNull();
    expect(server.requests).toHaveLength(0);
  });

  it('previews a chosen photo, uploads it and can remove it', async () => {
    const server = fakeApi({
      'PUT /users/profile/avatar': json(200, aUser({ avatar_url: PHOTO_URL })),
      'DELETE /users/profile/avatar': json(200, aUser()),
    });
    signInAs();
    openAt('/profile');
    await screen.findByRole('heading', { name: 'Profile', level: 1 });
    chooseFile(new File(['png'], 'me.png', { type: 'image/png' }));
    expect(await screen.findByText('This is a preview. Save to use it.')).toBeVisible();
    const photoCard = screen.getByRole('region', { name: 'Photo' });
    expect(within(photoCard).getByRole('img', { name: 'Ayu Lestari' })).toHaveAttribute(
      'src',
      'blob:preview',
    );

    fireEvent.click(screen.getByRole('button', { name: 'Save photo' }));
    await waitFor(() => {
      expect(userStore.getState().user?.avatar_url).toBe(PHOTO_URL);
    });
    expect(server.called('PUT /users/profile/avatar')[0]?.body).toBeInstanceOf(FormData);
    expect(screen.getByRole('banner').querySelector('img')).toHaveAttribute('src', PHOTO_URL);
    expect(toastTitles()).toContain('Profile photo updated');

    fireEvent.click(screen.getByRole('button', { name: 'Remove photo' }));
    await waitFor(() => {
      expect(userStore.getState().user?.avatar_url).toBeNull();
    });
    expect(toastTitles()).toContain('Profile photo removed');
  });

  it('shows a photo the server refused', async () => {
    fakeApi({
      'PUT /users/profile/avatar': apiError(
        415,
        'unsupported_image',
        'This is not an image we can read.',
      ),
    });
    signInAs();
    openAt('/profile');
    await screen.findByRole('heading', { name: 'Profile', level: 1 });
    chooseFile(new File(['not really'], 'fake.png', { type: 'image/png' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Save photo' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('This is not an image we can read.');
  });

  it('can drop a chosen photo without uploading it', async () => {
    fakeApi();
    signInAs();
    openAt('/profile');
    await screen.findByRole('heading', { name: 'Profile', level: 1 });
    chooseFile(new File(['png'], 'me.png', { type: 'image/png' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel' }));
    expect(screen.getByRole('button', { name: 'Upload photo' })).toBeVisible();
  });

  it('shows a verified email with a badge', async () => {
    fakeApi();
    signInAs();
    openAt('/profile');
    expect(await screen.findByText('Verified')).toBeVisible();
    expect(screen.queryByRole('button', { name: 'Resend verification email' })).toBeNull();
  });

  it('resends the verification mail for an unverified email', async () => {
    const server = fakeApi({
      'POST /auth/resend-verification': json(202, { message: 'Sent.' }),
    });
    signInAs(aUser({ email_verified: false }));
    openAt('/profile');
    expect(await screen.findByText('Not verified')).toBeVisible();
    fireEvent.click(screen.getByRole('button', { name: 'Resend verification email' }));
    expect(await screen.findByText('We sent a new link to ayu@example.id.')).toBeVisible();
    expect(server.called('POST /auth/resend-verification')).toHaveLength(1);
  });

  it('catches up when the email was verified meanwhile', async () => {
    fakeApi({
      'POST /auth/resend-verification': apiError(409, 'already_verified', 'Already verified.'),
      'GET /users/profile': json(200, aUser({ email_verified: true })),
    });
    signInAs(aUser({ email_verified: false }));
    openAt('/profile');
    fireEvent.click(await screen.findByRole('button', { name: 'Resend verification email' }));
    expect(await screen.findByText('Verified')).toBeVisible();
  });

  it('reports a failed resend', async () => {
    fakeApi({ 'POST /auth/resend-verification': json(429, {}, { 'Retry-After': '20' }) });
    signInAs(aUser({ email_verified: false }));
    openAt('/profile');
    fireEvent.click(await screen.findByRole('button', { name: 'Resend verification email' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Try again in 20 s.');
  });

  it('changes the password', async () => {
    const server = fakeApi({ 'PUT /users/password': json(204) });
    signInAs();
    openAt('/profile');
    fireEvent.input(await screen.findByLabelText('Current password'), {
      target: { value: 'old secret words' },
    });
    fireEvent.input(screen.getByLabelText('New password'), {
      target: { value: 'new secret words' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Change password' }));
    await waitFor(() => {
      expect(toastTitles()).toContain('Password changed');
    });
    expect(server.requests[0]?.body).toEqual({
      current_password: 'old secret words',
      new_password: 'new secret words',
    });
  });
});
