import { fireEvent, screen, waitFor } from '@testing-library/preact';
import { beforeEach, describe, expect, it } from 'vitest';
import { resetUiStore, userStore } from '@/store';
import { aUser, apiError, fakeApi, json } from '@/test/fake-api';
import { currentLocation, openAt } from '@/test/render-app';
import { resetSession, signInAs } from '@/test/session';

function type(label: string, value: string) {
  fireEvent.input(screen.getByLabelText(label), { target: { value } });
}

beforeEach(() => {
  resetUiStore();
  resetSession();
});

describe('LoginPage', () => {
  async function signIn() {
    type('Email', 'ayu@example.id');
    type('Password', 'whatever it is');
    fireEvent.click(await screen.findByRole('button', { name: 'Sign in' }));
  }

  it('shows invalid credentials from the server', async () => {
    fakeApi({
      'POST /auth/login': apiError(
        401,
        'invalid_credentials',
        'The email or password is not right.',
      ),
    });
    openAt('/login');
    await signIn();
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The email or password is not right.',
    );
    expect(currentLocation()).toBe('/login');
  });

  it('tells how long to wait after too many attempts', async () => {
    fakeApi({
      'POST /auth/login': json(
        429,
        { error: { code: 'rate_limited', message: 'Slow down.' } },
        {
          'Retry-After': '30',
        },
      ),
    });
    openAt('/login');
    await signIn();
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Too many attempts. Try again in 30 s.',
    );
  });

  it('says when the account is disabled', async () => {
    fakeApi({ 'POST /auth/login': apiError(403, 'account_disabled', 'This account is disabled.') });
    openAt('/login');
    await signIn();
    expect(await screen.findByRole('alert')).toHaveTextContent('This account is disabled.');
  });
});

describe('RegisterPage', () => {
  function fillIn() {
    type('First name', 'Ayu');
    type('Last name', 'Lestari');
    type('Email', 'ayu@example.id');
    type('Password', 'green tea at four');
  }

  it('creates the account and asks to check the email', async () => {
    const server = fakeApi({
      'POST /auth/register': json(201, { user: aUser({ email_verified: false }) }),
    });
    openAt('/register');
    await screen.findByRole('heading', { name: 'Create your account' });
    // The sign-up page promises only what the product does: no recordings yet.
    expect(screen.getByText('Chat and scheduling built in')).toBeInTheDocument();
    expect(screen.queryByText(/recording/i)).toBeNull();
    fillIn();
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByRole('heading', { name: 'Check your email' })).toBeVisible();
    expect(screen.getByText('ayu@example.id')).toBeVisible();
    expect(server.requests[0]?.body).toEqual({
      email: 'ayu@example.id',
      password: 'green tea at four',
      first_name: 'Ayu',
      last_name: 'Lestari',
    });
    expect(userStore.getState().status).toBe('anonymous');
    expect(screen.getByRole('link', { name: 'Go to sign in' })).toHaveAttribute('href', '/login');
  });

  it.each([
    ['all', '/dev/mailbox', null],
    ['own', '/login?next=%2Fdev%2Fmailbox', 'sign in first'],
  ] as const)(
    "points to the dev mailbox when it keeps everyone's mail (%s)",
    async (shows, href, extra) => {
      fakeApi({
        'POST /auth/register': json(201, { user: aUser({ email_verified: false }) }),
        'GET /dev/mailbox/status': json(200, { shows }),
      });
      openAt('/register');
      await screen.findByRole('heading', { name: 'Create your account' });
      fillIn();
      fireEvent.click(screen.getByRole('button', { name: 'Create account' }));
      const link = await screen.findByRole('link', { name: 'dev mailbox' });
      expect(link).toHaveAttribute('href', href);
      const hint = screen.getByText(/Mail is not sent here/);
      if (extra) {
        expect(hint).toHaveTextContent(extra);
      } else {
        expect(hint).not.toHaveTextContent('sign in first');
      }
    },
  );

  it('says nothing of a dev mailbox where real mail is sent', async () => {
    const server = fakeApi({
      'POST /auth/register': json(201, { user: aUser({ email_verified: false }) }),
      'GET /dev/mailbox/status': apiError(
        404,
        'not_found',
        'There is no development mailbox here.',
      ),
    });
    openAt('/register');
    await screen.findByRole('heading', { name: 'Create your account' });
    fillIn();
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByRole('heading', { name: 'Check your email' })).toBeVisible();
    await waitFor(() => {
      expect(server.called('GET /dev/mailbox/status')).toHaveLength(1);
    });
    expect(screen.queryByRole('link', { name: 'dev mailbox' })).toBeNull();
    expect(screen.queryByText('Development server')).toBeNull();
  });

  it('shows per-field server errors from a 422', async () => {
    fakeApi({
      'POST /auth/register': apiError(422, 'validation_failed', 'The request is not valid.', {
        details: [
          { field: 'body.last_name', message: 'At most 100 characters.', type: 'too_long' },
        ],
      }),
    });
    openAt('/register');
    await screen.findByRole('heading', { name: 'Create your account' });
    // The sign-up page promises only what the product does: no recordings yet.
    expect(screen.getByText('Chat and scheduling built in')).toBeInTheDocument();
    expect(screen.queryByText(/recording/i)).toBeNull();
    fillIn();
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByText('At most 100 characters.')).toBeVisible();
    expect(screen.getByLabelText('Last name')).toHaveAttribute('aria-invalid', 'true');
  });

  it('puts a taken email on the email field', async () => {
    fakeApi({
      'POST /auth/register': apiError(
        409,
        'email_taken',
        'An account with this email already exists.',
      ),
    });
    openAt('/register');
    await screen.findByRole('heading', { name: 'Create your account' });
    // The sign-up page promises only what the product does: no recordings yet.
    expect(screen.getByText('Chat and scheduling built in')).toBeInTheDocument();
    expect(screen.queryByText(/recording/i)).toBeNull();
    fillIn();
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }));
    await waitFor(() => {
      expect(screen.getByLabelText('Email')).toHaveAccessibleDescription(
        'An account with this email already exists.',
      );
    });
  });
});

describe('ForgotPasswordPage', () => {
  it('confirms the same way whatever the address', async () => {
    const server = fakeApi({ 'POST /auth/forgot-password': json(202, { message: 'Sent.' }) });
    openAt('/forgot-password');
    type('Email', 'nobody@example.id');
    fireEvent.click(await screen.findByRole('button', { name: 'Send reset link' }));
    expect(await screen.findByText('Reset link requested')).toBeVisible();
    expect(screen.getByText('nobody@example.id')).toBeVisible();
    expect(server.requests[0]?.body).toEqual({ email: 'nobody@example.id' });
  });

  it.each([
    ['all', true],
    ['own', false],
  ] as const)('links the dev mailbox only where anyone may read it (%s)', async (shows, linked) => {
    const server = fakeApi({
      'POST /auth/forgot-password': json(202, { message: 'Sent.' }),
      'GET /dev/mailbox/status': json(200, { shows }),
    });
    openAt('/forgot-password');
    type('Email', 'ayu@example.id');
    fireEvent.click(await screen.findByRole('button', { name: 'Send reset link' }));
    expect(await screen.findByText('Reset link requested')).toBeVisible();
    await waitFor(() => {
      expect(server.called('GET /dev/mailbox/status')).toHaveLength(1);
    });
    if (linked) {
      expect(await screen.findByRole('link', { name: 'dev mailbox' })).toHaveAttribute(
        'href',
        '/dev/mailbox',
      );
    } else {
      // A signed-out person cannot read their own mail there: no link that leads nowhere.
      await Promise.resolve();
      expect(screen.queryByRole('link', { name: 'dev mailbox' })).toBeNull();
    }
  });

  it('shows a rate limit instead of confirming', async () => {
    fakeApi({
      'POST /auth/forgot-password': json(429, {}, { 'Retry-After': '60' }),
    });
    openAt('/forgot-password');
    type('Email', 'ayu@example.id');
    fireEvent.click(await screen.findByRole('button', { name: 'Send reset link' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Try again in 60 s.');
  });
});

describe('ResetPasswordPage', () => {
  function choose(password: string) {
    type('New password', password);
    type('Confirm new password', password);
    fireEvent.click(screen.getByRole('button', { name: 'Set new password' }));
  }

  it('asks for the emailed link when the token is missing', async () => {
    openAt('/reset-password');
    expect(
      await screen.findByText(/Open this page from the link in your reset email/),
    ).toBeVisible();
    expect(screen.queryByLabelText('New password')).toBeNull();
  });

  it('sets the new password with the token from the link', async () => {
    const server = fakeApi({ 'POST /auth/reset-password': json(200, { message: 'Done.' }) });
    openAt('/reset-password?token=abc-123');
    await screen.findByRole('heading', { name: 'Choose a new password' });
    choose('a whole new secret');
    expect(await screen.findByRole('heading', { name: 'Password changed' })).toBeVisible();
    expect(server.requests[0]?.body).toEqual({ token: 'abc-123', password: 'a whole new secret' });
  });

  it('explains a used or expired link and offers a new one', async () => {
    fakeApi({
      'POST /auth/reset-password': apiError(
        400,
        'invalid_token',
        'This link is not valid any more. Ask for a new one.',
      ),
    });
    openAt('/reset-password?token=old');
    await screen.findByRole('heading', { name: 'Choose a new password' });
    choose('a whole new secret');
    expect(await screen.findByRole('alert')).toHaveTextContent('This link is not valid any more.');
    expect(screen.getByRole('link', { name: 'Request a new link' })).toHaveAttribute(
      'href',
      '/forgot-password',
    );
  });

  it('shows a weak password on the password field', async () => {
    fakeApi({
      'POST /auth/reset-password': apiError(
        422,
        'weak_password',
        'This password is too easy to guess.',
      ),
    });
    openAt('/reset-password?token=t');
    await screen.findByRole('heading', { name: 'Choose a new password' });
    choose('1234567890');
    await waitFor(() => {
      expect(screen.getByLabelText('New password')).toHaveAttribute('aria-invalid', 'true');
    });
    expect(screen.getByText('This password is too easy to guess.')).toBeVisible();
  });
});

describe('VerifyEmailPage', () => {
  it('verifies the token as soon as it opens and links to sign in', async () => {
    const server = fakeApi({ 'POST /auth/verify-email': json(200, { user: aUser() }) });
    openAt('/verify-email?token=tok-1');
    expect(screen.getByText('Checking your link…')).toBeVisible();
    expect(await screen.findByText('Your email is verified')).toBeVisible();
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.body).toEqual({ token: 'tok-1' });
    expect(screen.getByRole('link', { name: 'Sign in' })).toHaveAttribute('href', '/login');
  });

  it('explains a refused link', async () => {
    fakeApi({
      'POST /auth/verify-email': apiError(
        400,
        'invalid_token',
        'This link is not valid any more. Ask for a new one.',
      ),
    });
    openAt('/verify-email?token=used');
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'We could not verify your emailThis link is not valid any more.',
    );
  });

  it('needs a token', async () => {
    const server = fakeApi();
    openAt('/verify-email');
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'needs the link from your verification email',
    );
    expect(server.requests).toHaveLength(0);
  });

  it('sends a signed-in user back to the profile after a failure', async () => {
    fakeApi({ 'POST /auth/verify-email': apiError(400, 'invalid_token', 'Expired.') });
    signInAs(aUser({ email_verified: false }));
    openAt('/verify-email?token=old');
    expect(await screen.findByRole('link', { name: 'Go to your profile' })).toHaveAttribute(
      'href',
      '/profile',
    );
  });
});
