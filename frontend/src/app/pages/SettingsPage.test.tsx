import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { beforeEach, describe, expect, it } from 'vitest';
import type { UserSettings } from '@/api';
import { resetUiStore, uiStore } from '@/store';
import { apiError, fakeApi, json } from '@/test/fake-api';
import type { ReceivedRequest } from '@/test/fake-api';
import { openAt } from '@/test/render-app';
import { resetSession, signInAs } from '@/test/session';

const DEFAULTS: UserSettings = {
  camera_on_join: false,
  mic_on_join: false,
  preferred_resolution: '720p',
  theme: 'system',
  echo_cancellation: true,
  noise_suppression: true,
  auto_gain_control: true,
  notify_email_invitations: true,
  notify_email_reminders: true,
  notify_in_app: true,
  discoverable: false,
};

/** A settings endpoint that keeps what it is sent. */
function settingsServer() {
  let stored = { ...DEFAULTS };
  return fakeApi({
    'GET /users/settings': () => json(200, { settings: stored }),
    'PUT /users/settings': (request: ReceivedRequest) => {
      stored = { ...stored, ...(request.body as { settings: Partial<UserSettings> }).settings };
      return json(200, { settings: stored });
    },
  });
}

beforeEach(() => {
  resetUiStore();
  resetSession();
  signInAs();
});

describe('SettingsPage', () => {
  it('offers only the settings that take effect', async () => {
    settingsServer();
    openAt('/settings');
    await screen.findByRole('switch', { name: 'Email me meeting invitations' });
    expect(screen.getAllByRole('switch')).toHaveLength(4);
    // Stored by the API, applied by nothing yet: not offered.
    for (const name of [
      'Camera on when joining',
      'Microphone on when joining',
      'Echo cancellation',
    ]) {
      expect(screen.queryByRole('switch', { name })).toBeNull();
    }
    expect(screen.queryByRole('combobox')).toBeNull();
  });

  it('saves a switched setting at once and confirms with a toast', async () => {
    const server = settingsServer();
    openAt('/settings');
    const reminders = await screen.findByRole('switch', { name: 'Email me reminders' });
    fireEvent.click(reminders);
    expect(reminders).toHaveAttribute('aria-checked', 'false');
    await waitFor(() => {
      expect(uiStore.getState().toasts[0]).toMatchObject({
        tone: 'success',
        title: 'Settings saved',
      });
    });
    expect(server.called('PUT /users/settings')[0]?.body).toEqual({
      settings: { notify_email_reminders: false },
    });
  });

  it('offers a Privacy switch, off by default, that saves discoverable', async () => {
    const server = settingsServer();
    openAt('/settings');
    const privacy = await screen.findByRole('region', { name: 'Privacy' });
    const findable = within(privacy).getByRole('switch', {
      name: 'Let people find me by name or email',
    });
    expect(within(privacy).getAllByRole('switch')).toHaveLength(1);
    expect(findable).toHaveAttribute('aria-checked', 'false');
    expect(findable).toHaveAccessibleDescription(
      /only people who already have you in their contacts/,
    );
    expect(findable).toHaveClass('bg-gray-300');

    fireEvent.click(findable);
    expect(findable).toHaveAttribute('aria-checked', 'true');
    expect(findable).toHaveClass('bg-green-700');
    await waitFor(() => {
      expect(uiStore.getState().toasts[0]?.title).toBe('Settings saved');
    });
    expect(server.called('PUT /users/settings')).toHaveLength(1);
    expect(server.called('PUT /users/settings')[0]?.body).toEqual({
      settings: { discoverable: true },
    });

    // What the server kept is what a fresh page shows.
    cleanup();
    openAt('/settings');
    const again = await screen.findByRole('switch', {
      name: 'Let people find me by name or email',
    });
    expect(again).toHaveAttribute('aria-checked', 'true');
  });

  it('shows discoverable as the server has it, and can turn it off', async () => {
    const server = fakeApi({
      'GET /users/settings': json(200, { settings: { ...DEFAULTS, discoverable: true } }),
      'PUT /users/settings': json(200, { settings: DEFAULTS }),
    });
    openAt('/settings');
    const findable = await screen.findByRole('switch', {
      name: 'Let people find me by name or email',
    });
    expect(findable).toHaveAttribute('aria-checked', 'true');
    fireEvent.click(findable);
    await waitFor(() => {
      expect(server.called('PUT /users/settings')[0]?.body).toEqual({
        settings: { discoverable: false },
      });
    });
    expect(findable).toHaveAttribute('aria-checked', 'false');
  });

  it('undoes a change the server refused', async () => {
    fakeApi({
      'GET /users/settings': json(200, { settings: DEFAULTS }),
      'PUT /users/settings': apiError(422, 'validation_failed', 'Unknown setting.'),
    });
    openAt('/settings');
    const inApp = await screen.findByRole('switch', { name: 'Notifications in the app' });
    fireEvent.click(inApp);
    await waitFor(() => {
      expect(uiStore.getState().toasts[0]).toMatchObject({
        tone: 'error',
        description: 'Unknown setting.',
      });
    });
    expect(inApp).toHaveAttribute('aria-checked', 'true');
  });

  it('says when the settings cannot be loaded', async () => {
    fakeApi({ 'GET /users/settings': apiError(503, 'unavailable', 'Down.') });
    openAt('/settings');
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not load your settings');
  });
});
