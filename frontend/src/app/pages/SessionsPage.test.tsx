import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '@/api';
import { resetUiStore, uiStore } from '@/store';
import { apiError, fakeApi, json } from '@/test/fake-api';
import { openAt } from '@/test/render-app';
import { resetSession, signInAs } from '@/test/session';

const CHROME_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

function aSession(overrides: Partial<Session>): Session {
  return {
    id: 's-1',
    created_at: '2026-11-20T08:00:00Z',
    last_used_at: new Date().toISOString(),
    expires_at: '2026-11-27T08:00:00Z',
    ip_address: '203.0.113.7',
    user_agent: CHROME_WINDOWS,
    current: false,
    ...overrides,
  };
}

const SESSIONS = [
  aSession({ id: 's-here', current: true }),
  aSession({ id: 's-phone', user_agent: SAFARI_IPHONE, ip_address: '198.51.100.4' }),
];

beforeEach(() => {
  resetUiStore();
  resetSession();
  signInAs();
});

describe('SessionsPage', () => {
  it('lists devices by browser and system, marking this one', async () => {
    fakeApi({ 'GET /auth/sessions': json(200, SESSIONS) });
    openAt('/sessions');
    const list = await screen.findByRole('list', { name: 'Signed-in devices' });
    const [here, phone] = within(list).getAllByRole('listitem');
    expect(here).toHaveTextContent('Chrome on Windows');
    expect(here).toHaveTextContent('This device');
    expect(here).toHaveTextContent('203.0.113.7');
    expect(within(here!).queryByRole('button', { name: 'Sign out' })).toBeNull();
    expect(phone).toHaveTextContent('Safari on iOS');
    expect(phone).toHaveTextContent('Last active just now');
  });

  it('signs another device out after confirming', async () => {
    const server = fakeApi({
      'GET /auth/sessions': json(200, SESSIONS),
      'DELETE /auth/sessions/s-phone': json(204),
    });
    openAt('/sessions');
    fireEvent.click(await screen.findByRole('button', { name: 'Sign out' }));
    const dialog = screen.getByRole('dialog', { name: 'Sign out this device?' });
    expect(dialog).toHaveTextContent('Safari on iOS (198.51.100.4)');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Sign out device' }));
    await waitFor(() => {
      expect(screen.queryByText('Safari on iOS')).toBeNull();
    });
    expect(server.called('DELETE /auth/sessions/s-phone')).toHaveLength(1);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(uiStore.getState().toasts[0]?.title).toBe('Safari on iOS was signed out');
  });

  it('keeps the device when the confirmation is cancelled', async () => {
    const server = fakeApi({ 'GET /auth/sessions': json(200, SESSIONS) });
    openAt('/sessions');
    fireEvent.click(await screen.findByRole('button', { name: 'Sign out' }));
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByText('Safari on iOS')).toBeVisible();
    expect(server.requests.filter((request) => request.method === 'DELETE')).toHaveLength(0);
  });

  it('reports a refused sign-out and keeps the row', async () => {
    fakeApi({
      'GET /auth/sessions': json(200, SESSIONS),
      'DELETE /auth/sessions/s-phone': apiError(404, 'not_found', 'No such session.'),
    });
    openAt('/sessions');
    fireEvent.click(await screen.findByRole('button', { name: 'Sign out' }));
    fireEvent.click(screen.getByRole('button', { name: 'Sign out device' }));
    await waitFor(() => {
      expect(uiStore.getState().toasts[0]).toMatchObject({
        tone: 'error',
        description: 'No such session.',
      });
    });
    expect(screen.getByText('Safari on iOS')).toBeVisible();
  });

  it('offers to retry when the list cannot be loaded', async () => {
    const server = fakeApi({ 'GET /auth/sessions': apiError(503, 'unavailable', 'Down.') });
    openAt('/sessions');
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not load your devices');
    server.on('GET /auth/sessions', json(200, []));
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('No devices signed in')).toBeVisible();
  });
});
