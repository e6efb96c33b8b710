import { fireEvent, screen, waitFor } from '@testing-library/preact';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  resetRoomStore,
  resetUiStore,
  lobbyStore,
  sessionExpired,
  uiStore,
  userStore,
} from '@/store';
import { aUser, fakeApi, json, tokensFor } from '@/test/fake-api';
import { aRoom, page } from '@/test/rooms';
import { currentLocation, openAt } from '@/test/render-app';
import { resetSession, signInAs } from '@/test/session';

beforeEach(() => {
  resetUiStore();
  resetRoomStore();
  resetSession();
  fakeApi({
    'GET /users/contacts': json(200, []),
    'GET /users/settings': json(200, { settings: {} }),
    'GET /auth/sessions': json(200, []),
    'POST /auth/logout': json(204),
    'GET /rooms': json(200, page([])),
    'GET /rooms/history': json(200, page([])),
    'GET /rooms/abc-defg-hij': json(200, aRoom()),
  });
});

describe('App routes', () => {
  it('renders the dashboard inside the shell for a signed-in user', async () => {
    signInAs();
    openAt('/');
    expect(await screen.findByRole('heading', { name: 'Dashboard', level: 1 })).toBeInTheDocument();
    expect(screen.getByRole('banner')).toHaveTextContent('Rapat');
    const nav = screen.getByRole('navigation', { name: 'Main' });
    for (const name of ['Dashboard', 'Contacts', 'Profile', 'Sessions', 'Settings']) {
      expect(nav).toHaveTextContent(name);
    }
    expect(await screen.findByText('No rooms yet')).toBeInTheDocument();
    expect(document.title).toBe('Dashboard · Rapat');
  });

  it.each([
    ['/login', 'Sign in'],
    ['/register', 'Create your account'],
    ['/forgot-password', 'Forgot your password?'],
    ['/reset-password?token=t', 'Choose a new password'],
    ['/verify-email', 'Verify your email'],
    ['/no/such/page', 'Page not found'],
  ])('renders %s to anyone', async (path, heading) => {
    openAt(path);
    expect(await screen.findByRole('heading', { name: heading, level: 1 })).toBeInTheDocument();
  });

  it.each([
    ['/profile', 'Profile'],
    ['/sessions', 'Sessions'],
    ['/contacts', 'Contacts'],
    ['/settings', 'Settings'],
  ])('renders %s when signed in', async (path, heading) => {
    signInAs();
    openAt(path);
    expect(await screen.findByRole('heading', { name: heading, level: 1 })).toBeInTheDocument();
  });

  it('opens the lobby for a meeting link', async () => {
    signInAs();
    openAt('/r/abc-defg-hij');
    expect(await screen.findByRole('heading', { name: 'Weekly sync' })).toBeInTheDocument();
    expect(lobbyStore.getState()).toMatchObject({ code: 'abc-defg-hij', phase: 'lobby' });
    expect(screen.queryByRole('navigation', { name: 'Main' })).toBeNull();
  });

  it('says so when a meeting link is malformed', async () => {
    signInAs();
    openAt('/r/not%20valid');
    expect(await screen.findByText('This meeting link is not valid')).toBeInTheDocument();
  });

  it('navigates with client routing and records the path', async () => {
    signInAs();
    openAt('/');
    fireEvent.click(await screen.findByRole('link', { name: 'Contacts' }));
    expect(await screen.findByRole('heading', { name: 'Contacts', level: 1 })).toBeInTheDocument();
    expect(uiStore.getState().currentPath).toBe('/contacts');
    expect(screen.getByRole('link', { name: 'Contacts' })).toHaveAttribute('aria-current', 'page');
  });
});

describe('route guards', () => {
  it.each(['/', '/profile', '/sessions', '/contacts', '/settings'])(
    'sends an anonymous visitor of %s to sign in and back',
    async (path) => {
      openAt(path);
      await waitFor(() => {
        expect(currentLocation()).toBe(
          path === '/' ? '/login' : `/login?next=${encodeURIComponent(path)}`,
        );
      });
      expect(await screen.findByRole('heading', { name: 'Sign in', level: 1 })).toBeVisible();
    },
  );

  it('signs in and returns to the page asked for', async () => {
    const server = fakeApi({
      'POST /auth/login': json(200, tokensFor(aUser())),
      'GET /users/contacts': json(200, []),
    });
    openAt('/contacts');
    fireEvent.input(await screen.findByLabelText('Email'), { target: { value: 'ayu@example.id' } });
    fireEvent.input(screen.getByLabelText('Password'), { target: { value: 'correct horse' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('heading', { name: 'Contacts', level: 1 })).toBeVisible();
    expect(currentLocation()).toBe('/contacts');
    expect(server.called('POST /auth/login')).toHaveLength(1);
  });

  it('never follows a next= that leaves the app', async () => {
    signInAs();
    openAt('/login?next=https%3A%2F%2Fevil.example');
    await waitFor(() => {
      expect(currentLocation()).toBe('/');
    });
  });

  it.each(['/login', '/register'])('sends a signed-in user away from %s', async (path) => {
    signInAs();
    openAt(path);
    expect(await screen.findByRole('heading', { name: 'Dashboard', level: 1 })).toBeVisible();
  });

  it('waits while the kept session is being checked', () => {
    userStore.setState({ status: 'loading', accessToken: 'a', refreshToken: 'r' });
    openAt('/profile');
    expect(screen.getByRole('status')).toHaveTextContent('Loading your account');
    expect(currentLocation()).toBe('/profile');
  });

  it('sends the user to sign in when the session expires on a page', async () => {
    signInAs();
    openAt('/settings');
    await screen.findByRole('heading', { name: 'Settings', level: 1 });
    sessionExpired();
    await waitFor(() => {
      expect(currentLocation()).toBe('/login?next=%2Fsettings');
    });
    expect(
      await screen.findByText('Your session has ended. Sign in again to continue.'),
    ).toBeVisible();
  });
});

describe('the header', () => {
  it('shows the signed-in user and signs out to the login page', async () => {
    const ayu = signInAs(aUser({ avatar_url: '/api/v1/users/u-ayu/avatar?v=2' }));
    openAt('/profile');
    const menu = await screen.findByRole('button', { name: 'Account menu for Ayu Lestari' });
    expect(menu).toHaveTextContent('Ayu Lestari');
    expect(screen.getByRole('banner').querySelector('img')).toHaveAttribute('src', ayu.avatar_url);
    fireEvent.click(menu);
    expect(screen.getByRole('menuitem', { name: 'Profile' })).toBeVisible();
    expect(screen.getByRole('menuitem', { name: 'Settings' })).toBeVisible();
    fireEvent.click(screen.getByRole('menuitem', { name: 'Sign out' }));
    await waitFor(() => {
      expect(currentLocation()).toBe('/login');
    });
    expect(await screen.findByText('You have signed out.')).toBeVisible();
    expect(userStore.getState().status).toBe('anonymous');
  });

  it('offers sign-in and no navigation to visitors', async () => {
    openAt('/no/such/page');
    await screen.findByRole('heading', { name: 'Page not found' });
    expect(screen.getByRole('link', { name: 'Sign in' })).toHaveAttribute('href', '/login');
    expect(screen.queryByRole('navigation', { name: 'Main' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Open navigation' })).toBeNull();
  });
});
