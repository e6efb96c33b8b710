import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { beforeEach, describe, expect, it } from 'vitest';
import { resetRoomStore, resetUiStore, roomStore, signedOut, uiStore } from '@/store';
import { aUser } from '@/test/fake-api';
import { signInAs } from '@/test/session';
import { App } from './App';

function openAt(path: string) {
  window.history.replaceState(null, '', path);
  return render(<App />);
}

beforeEach(() => {
  resetUiStore();
  resetRoomStore();
  signedOut();
});

describe('App routes', () => {
  it('renders the dashboard inside the shell', async () => {
    openAt('/');
    expect(await screen.findByRole('heading', { name: 'Dashboard', level: 1 })).toBeInTheDocument();
    expect(screen.getByRole('banner')).toHaveTextContent('Rapat');
    const nav = screen.getByRole('navigation', { name: 'Main' });
    for (const name of ['Dashboard', 'Contacts', 'Profile', 'Settings']) {
      expect(nav).toHaveTextContent(name);
    }
    expect(screen.getByText('No rooms yet')).toBeInTheDocument();
    expect(document.title).toBe('Dashboard · Rapat');
  });

  it.each([
    ['/login', 'Sign in'],
    ['/register', 'Create your account'],
    ['/forgot-password', 'Forgot your password?'],
    ['/reset-password?token=t', 'Choose a new password'],
    ['/profile', 'Profile'],
    ['/contacts', 'Contacts'],
    ['/settings', 'Settings'],
    ['/no/such/page', 'Page not found'],
  ])('renders %s', async (path, heading) => {
    openAt(path);
    expect(await screen.findByRole('heading', { name: heading, level: 1 })).toBeInTheDocument();
  });

  it('opens the lobby for a meeting link', async () => {
    openAt('/r/abc-defg-hij');
    expect(await screen.findByRole('heading', { name: 'Ready to join?' })).toBeInTheDocument();
    expect(roomStore.getState()).toMatchObject({ code: 'abc-defg-hij', phase: 'lobby' });
    expect(screen.queryByRole('navigation', { name: 'Main' })).toBeNull();
  });

  it('says so when a meeting link is malformed', async () => {
    openAt('/r/not%20valid');
    expect(await screen.findByText('This meeting link is not valid')).toBeInTheDocument();
  });

  it('shows a toast when a form has nowhere to go yet', async () => {
    openAt('/login');
    fireEvent.input(await screen.findByLabelText('Email'), { target: { value: 'ayu@example.id' } });
    fireEvent.input(screen.getByLabelText('Password'), { target: { value: 'secret' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('status')).toHaveTextContent('Signing in is not available yet');
  });

  it('navigates with client routing and records the path', async () => {
    openAt('/');
    fireEvent.click(await screen.findByRole('link', { name: 'Contacts' }));
    expect(await screen.findByRole('heading', { name: 'Contacts', level: 1 })).toBeInTheDocument();
    expect(uiStore.getState().currentPath).toBe('/contacts');
    expect(screen.getByRole('link', { name: 'Contacts' })).toHaveAttribute('aria-current', 'page');
  });

  it('shows the signed-in user and signs out to the login page', async () => {
    signInAs(aUser());
    openAt('/profile');
    fireEvent.click(await screen.findByRole('button', { name: 'Account menu for Ayu Lestari' }));
    fireEvent.click(screen.getByRole('menuitem', { name: 'Sign out' }));
    await waitFor(() => {
      expect(window.location.pathname).toBe('/login');
    });
    expect(await screen.findByRole('heading', { name: 'Sign in', level: 1 })).toBeInTheDocument();
  });
});
